"""The caller's traders, a trader's vouchers and payment history."""

import re
from datetime import timedelta

import pytest

from arc import clock
from arc.payments.models import StateToken
from tests import factories
from tests.api.conftest import add_history

ISO_MODEL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def test_traders_lists_enabled_traders_with_market_and_area(service_client, auth_headers, trader, api_user):
    response = service_client.get("/api/traders", headers=auth_headers)

    body = response.get_json()
    assert response.status_code == 200
    assert [entry["id"] for entry in body] == [trader.id]
    entry = body[0]
    assert entry["pivot"] == {"user_id": api_user.id, "trader_id": trader.id}
    assert entry["market"]["sponsor_shortcode"] == entry["market"]["sponsor"]["shortcode"]
    assert entry["market"]["sponsor"]["programme_name"] == "Standard"
    assert entry["market"]["sponsor"]["can_tap"] is True
    assert "featureOverride" not in entry
    assert ISO_MODEL_DATE.match(entry["created_at"])
    assert entry["disabled_at"] is None


def test_traders_flags_areas_that_cannot_tap(service_client, auth_headers, trader, db):
    trader.market.sponsor.can_tap = False
    db.session.flush()

    entry = service_client.get("/api/traders", headers=auth_headers).get_json()[0]

    assert entry["featureOverride"] == {"pageAccess": {"tap": False}}


def test_traders_omits_disabled_and_deleted_traders(service_client, auth_headers, api_user, db):
    disabled = factories.make_trader(disabled_at=clock.now())
    deleted = factories.make_trader(deleted_at=clock.now())
    api_user.traders.extend([disabled, deleted])
    db.session.flush()

    body = service_client.get("/api/traders", headers=auth_headers).get_json()

    assert disabled.id not in [entry["id"] for entry in body]
    assert deleted.id not in [entry["id"] for entry in body]


def test_traders_copes_with_trader_without_market(service_client, auth_headers, api_user, db):
    lone = factories.make_trader()
    lone.market_id = None
    api_user.traders.append(lone)
    db.session.flush()

    response = service_client.get("/api/traders", headers=auth_headers)

    assert response.status_code == 200
    entry = [entry for entry in response.get_json() if entry["id"] == lone.id][0]
    assert entry["market"] is None


def test_traders_needs_token(service_client, db):
    response = service_client.get("/api/traders")

    assert response.status_code == 401
    assert response.get_json() == {"error": "Unauthenticated."}


def test_show_own_trader(service_client, auth_headers, trader):
    body = service_client.get(f"/api/traders/{trader.id}", headers=auth_headers).get_json()

    assert body["id"] == trader.id
    assert "pivot" not in body
    assert body["market"]["id"] == trader.market_id


def test_show_other_trader_is_403(service_client, auth_headers, db):
    other = factories.make_trader()

    response = service_client.get(f"/api/traders/{other.id}", headers=auth_headers)

    assert response.status_code == 403
    assert response.get_json() == {"message": "This action is unauthorized."}


def test_show_disabled_own_trader_is_403(service_client, auth_headers, trader, db):
    trader.disabled_at = clock.now()
    db.session.flush()

    assert service_client.get(f"/api/traders/{trader.id}", headers=auth_headers).status_code == 403


def test_show_unknown_trader_is_404(service_client, auth_headers):
    response = service_client.get("/api/traders/999999", headers=auth_headers)

    assert response.status_code == 404
    assert response.get_json()["message"] == "No query results for model [App\\Trader] 999999"


def test_trader_id_must_be_digits(service_client, auth_headers):
    assert service_client.get("/api/traders/abc", headers=auth_headers).status_code == 404


@pytest.fixture
def trader_vouchers(db, trader):
    today = clock.now()
    sponsor = trader.market.sponsor
    recorded = factories.make_voucher(sponsor=sponsor, trader_id=trader.id)
    add_history(db, recorded, "collect", "dispatched", "recorded", today - timedelta(days=1))
    old = factories.make_voucher(sponsor=sponsor, trader_id=trader.id)
    add_history(db, old, "collect", "dispatched", "recorded", today - timedelta(days=250))
    pending = factories.make_voucher(sponsor=sponsor, trader_id=trader.id)
    add_history(db, pending, "confirm", "recorded", "payment_pending", today)
    return recorded, old, pending


@pytest.mark.parametrize(
    "status,expected",
    [(None, ["pending", "recorded", "old"]), ("unconfirmed", ["recorded"]), ("unpaid", ["pending"]), ("other", [])],
)
def test_vouchers_filtered_by_status(service_client, auth_headers, trader, trader_vouchers, status, expected):
    recorded, old, pending = trader_vouchers
    names = {recorded.code: "recorded", old.code: "old", pending.code: "pending"}
    query = f"?status={status}" if status else ""

    body = service_client.get(f"/api/traders/{trader.id}/vouchers{query}", headers=auth_headers).get_json()

    assert [names[entry["code"]] for entry in body] == expected
    for entry in body:
        assert set(entry) == {"code", "updated_at"}
        assert re.match(r"^\d{2}-\d{2}-\d{4}$", entry["updated_at"])


def test_vouchers_of_other_trader_is_403(service_client, auth_headers, db):
    other = factories.make_trader()

    assert service_client.get(f"/api/traders/{other.id}/vouchers", headers=auth_headers).status_code == 403


def test_vouchers_etag_gives_304_with_same_tag(service_client, auth_headers, trader, trader_vouchers):
    first = service_client.get(f"/api/traders/{trader.id}/vouchers", headers=auth_headers)
    tag = first.headers["ETag"]

    second = service_client.get(
        f"/api/traders/{trader.id}/vouchers", headers={**auth_headers, "If-None-Match": f"W/{tag}"}
    )

    assert second.status_code == 304
    assert second.data == b""
    assert second.headers["ETag"] == tag


def test_vouchers_etag_changes_with_content(service_client, auth_headers, trader, trader_vouchers, db):
    first = service_client.get(f"/api/traders/{trader.id}/vouchers", headers=auth_headers)
    factories.make_voucher(sponsor=trader.market.sponsor, trader_id=trader.id)

    second = service_client.get(
        f"/api/traders/{trader.id}/vouchers", headers={**auth_headers, "If-None-Match": first.headers["ETag"]}
    )

    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]


def pend(db, trader, at, reimburse_at=None):
    """Give the trader a voucher recorded, then sent for payment at ``at``, then optionally paid."""
    voucher = factories.make_voucher(sponsor=trader.market.sponsor, trader_id=trader.id)
    token = StateToken(uuid=f"token-{voucher.id}")
    db.session.add(token)
    add_history(db, voucher, "collect", "dispatched", "recorded", at - timedelta(seconds=10))
    add_history(db, voucher, "confirm", "recorded", "payment_pending", at, state_token=token)
    if reimburse_at:
        add_history(db, voucher, "payout", "payment_pending", "reimbursed", reimburse_at)
    return voucher


def test_history_groups_by_day_newest_first(service_client, auth_headers, trader, db):
    now = clock.now().replace(hour=12)
    paid = pend(db, trader, now - timedelta(days=3), reimburse_at=now - timedelta(days=1))
    today = pend(db, trader, now)

    body = service_client.get(f"/api/traders/{trader.id}/voucher-history", headers=auth_headers).get_json()

    assert [group["pended_on"] for group in body] == [
        now.strftime("%d-%m-%Y"),
        (now - timedelta(days=3)).strftime("%d-%m-%Y"),
    ]
    assert body[0]["vouchers"] == [{"code": today.code, "recorded_on": now.strftime("%d-%m-%Y"), "reimbursed_on": ""}]
    assert body[1]["vouchers"][0]["code"] == paid.code
    assert body[1]["vouchers"][0]["reimbursed_on"] == (now - timedelta(days=1)).strftime("%d-%m-%Y")


def test_history_leaves_out_old_days_and_rerecorded_vouchers(service_client, auth_headers, trader, db):
    now = clock.now().replace(hour=12)
    pend(db, trader, now - timedelta(days=100))
    back = pend(db, trader, now - timedelta(days=2))
    add_history(db, back, "reject-to-dispatched", "payment_pending", "recorded", now)

    response = service_client.get(f"/api/traders/{trader.id}/voucher-history", headers=auth_headers)

    assert response.get_json() == []
    assert '<>; rel="prev"' in response.headers["Links"]
    assert '<>; rel="next"' in response.headers["Links"]


def test_history_pages_hold_fifteen_days(service_client, auth_headers, trader, db):
    now = clock.now().replace(hour=12)
    for days_ago in range(20):
        pend(db, trader, now - timedelta(days=days_ago))

    first = service_client.get(f"/api/traders/{trader.id}/voucher-history", headers=auth_headers)
    second = service_client.get(f"/api/traders/{trader.id}/voucher-history?page=2", headers=auth_headers)

    assert len(first.get_json()) == 15
    assert len(second.get_json()) == 5
    links = first.headers["Links"].split(", ")
    assert links[0].endswith('voucher-history?page=1>; rel="current"')
    assert links[2] == '<>; rel="prev"'
    assert links[3].endswith('voucher-history?page=2>; rel="next"')
    assert links[4].endswith('voucher-history?page=2>; rel="last"')
    assert links[0].startswith("<http://admin.localhost/api/traders/")
    assert second.headers["Links"].split(", ")[3] == '<>; rel="next"'


@pytest.mark.parametrize("page", ["9", "0", "-1", "abc"])
def test_history_odd_page_numbers_do_not_fail(service_client, auth_headers, trader, db, page):
    pend(db, trader, clock.now())

    response = service_client.get(f"/api/traders/{trader.id}/voucher-history?page={page}", headers=auth_headers)

    assert response.status_code == 200
    expected_days = 0 if page == "9" else 1
    assert len(response.get_json()) == expected_days


def test_history_has_etag(service_client, auth_headers, trader, db):
    response = service_client.get(f"/api/traders/{trader.id}/voucher-history", headers=auth_headers)

    assert response.headers["ETag"].startswith('"')


def test_history_of_other_trader_is_403(service_client, auth_headers, db):
    other = factories.make_trader()

    assert service_client.get(f"/api/traders/{other.id}/voucher-history", headers=auth_headers).status_code == 403
