"""The service data routes: JSON dumps and the demo-data reset, outside production only."""

import re

import pytest
import sqlalchemy as sa

from arc import clock
from arc.demo import data as demo_data
from arc.extensions import db
from arc.users.models import AdminUser
from arc.vouchers.models import Voucher
from tests import factories
from tests.admin.voucher_data import make_vouchers, page_of, text_of

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATA_PATHS = ["/data/vouchers", "/data/users", "/data/markets", "/data/traders", "/data/reset"]


@pytest.fixture
def service_data(db):
    """10 vouchers, 2 trader-app users, 2 markets, 5 traders."""
    sponsor = factories.make_sponsor(shortcode="DATA")
    make_vouchers(sponsor, [f"DATA{number:05d}" for number in range(10)])
    markets = [factories.make_market(sponsor=sponsor) for _ in range(2)]
    traders = [factories.make_trader(market=markets[number % 2]) for number in range(5)]
    factories.make_trader_user(traders=traders[:2])
    factories.make_trader_user(traders=traders[2:])
    make_vouchers(sponsor, ["DATA99999"], deleted_at=clock.now())


@pytest.fixture
def production(app):
    app.config["APP_ENV"] = "production"
    yield
    app.config["APP_ENV"] = "testing"


def test_anonymous_is_sent_to_login(service_client, service_data):
    response = service_client.get("/data/vouchers")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_vouchers_list_has_columns(logged_in_admin, service_data):
    response = logged_in_admin.get("/data/vouchers")

    vouchers = response.get_json()
    assert response.status_code == 200
    assert len(vouchers) == 10
    for key in ("id", "trader_id", "code", "currentstate", "sponsor_id", "delivery_id", "bundle_id"):
        assert key in vouchers[0]
    assert "DATA99999" not in {voucher["code"] for voucher in vouchers}
    assert TIMESTAMP.match(vouchers[0]["created_at"])


def test_one_voucher(logged_in_admin, service_data):
    voucher_id = db.session.scalar(sa.select(Voucher.id).where(Voucher.code == "DATA00000"))

    response = logged_in_admin.get(f"/data/vouchers/{voucher_id}")

    voucher = response.get_json()
    assert response.status_code == 200
    assert {"id", "trader_id", "code", "currentstate", "sponsor_id"} <= set(voucher)
    assert voucher["code"] == "DATA00000"
    assert "T" not in voucher["updated_at"] and "Z" not in voucher["updated_at"]


def test_unknown_or_deleted_voucher_is_404(logged_in_admin, service_data):
    deleted_id = db.session.scalar(sa.select(Voucher.id).where(Voucher.code == "DATA99999"))

    assert logged_in_admin.get("/data/vouchers/999999").status_code == 404
    assert logged_in_admin.get(f"/data/vouchers/{deleted_id}").status_code == 404


def test_users_list_has_no_secrets(logged_in_admin, service_data):
    users = logged_in_admin.get("/data/users").get_json()

    assert len(users) == 2
    assert {"id", "name", "email"} <= set(users[0])
    assert "password" not in users[0]
    assert "remember_token" not in users[0]


def test_markets_list_has_sponsor(logged_in_admin, service_data):
    markets = logged_in_admin.get("/data/markets").get_json()

    assert len(markets) == 2
    assert markets[0]["sponsor_shortcode"] == "DATA"
    assert markets[0]["sponsor"]["shortcode"] == "DATA"


def test_traders_list_has_market(logged_in_admin, service_data):
    traders = logged_in_admin.get("/data/traders").get_json()

    assert len(traders) == 5
    assert {"id", "name", "pic_url", "market_id"} <= set(traders[0])
    assert traders[0]["market"]["id"] == traders[0]["market_id"]
    assert TIMESTAMP.match(traders[0]["created_at"])


@pytest.mark.parametrize("path", DATA_PATHS + ["/data/vouchers/1"])
def test_production_hides_routes_from_admin(logged_in_admin, production, path):
    assert logged_in_admin.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/data/vouchers/1", "/data/vouchers"])
def test_production_hides_routes_from_anonymous(service_client, production, path):
    assert service_client.get(path).status_code == 404


def test_production_refuses_reset_post(logged_in_admin, production, service_data):
    response = logged_in_admin.post("/data/reset")

    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Voucher)) == 11


def test_production_menu_has_no_data_links(logged_in_admin, production):
    page = page_of(logged_in_admin.get("/"))

    assert page.find("a", href="/data/reset") is None


def test_reset_page_asks_for_confirmation(logged_in_admin):
    page = page_of(logged_in_admin.get("/data/reset"))

    form = page.find("form", action="/data/reset")
    assert form.attrs["method"] == "post"
    assert "cannot be undone" in page.find("div", class_="warning-panel").text


def test_reset_empties_and_reloads_demo_data(logged_in_admin, service_data, admin_user):
    response = logged_in_admin.post("/data/reset")

    login_page = text_of(logged_in_admin.get(response.headers["Location"]))
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "the demo data reloaded" in login_page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Voucher).where(Voucher.code.like("DATA%"))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Voucher)) > 0
    admins = db.session.scalars(sa.select(AdminUser.email)).all()
    assert admins == [demo_data.ADMIN_USER[1]]
    assert logged_in_admin.get("/").status_code == 302


def test_reset_needs_csrf_token(app, logged_in_admin, service_data):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = logged_in_admin.post("/data/reset")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

    assert response.status_code == 302
    assert response.headers["Location"] == "/data/reset"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Voucher)) == 11
