"""Admin pages and domain functions for traders and their trader-app users."""

import csv
import io

import pytest
import sqlalchemy as sa

from arc import clock
from arc.admin.people_forms import TraderEditForm, TraderForm, grouped_choices
from arc.auth.models import OAuthAccessToken, OAuthRefreshToken
from arc.auth.tokens import issue_tokens
from arc.extensions import db as _db
from arc.markets import listings, operations
from arc.markets.listings import markets_by_area
from arc.markets.models import Trader
from arc.markets.operations import AppUserEntry, MarketError
from arc.users.models import User
from tests import factories
from tests.admin.people_data import (
    add,
    assert_sent_to_login,
    field_errors,
    heading,
    parse,
    use_centre_session,
)

ROUTES = [
    ("GET", "/traders"),
    ("GET", "/traders/create"),
    ("POST", "/traders"),
    ("GET", "/traders/1/edit"),
    ("POST", "/traders/1"),
    ("GET", "/traders/download"),
]


@pytest.fixture
def market(db):
    return factories.make_market(factories.make_sponsor(name="Trader Area"), name="Test Market")


def users_data(*entries, start=0):
    data = {}
    for index, (name, email) in enumerate(entries, start=start):
        data[f"users-{index}-name"] = name
        data[f"users-{index}-email"] = email
    return data


def user_by_email(email):
    return _db.session.scalars(sa.select(User).where(User.email == email)).first()


def live_tokens(user):
    return _db.session.scalar(
        sa.select(sa.func.count()).select_from(OAuthAccessToken).where(
            OAuthAccessToken.user_id == user.id, OAuthAccessToken.revoked.is_(False)
        )
    )


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("method, path", ROUTES)
def test_anonymous_visitor_sent_to_login(service_client, method, path):
    assert_sent_to_login(service_client.open(path, method=method))


@pytest.mark.parametrize("method, path", ROUTES)
def test_centre_user_session_refused(service_client, store_client, centre_user, method, path):
    client = use_centre_session(service_client, store_client, centre_user)

    assert_sent_to_login(client.open(path, method=method))


@pytest.mark.parametrize("method, path", ROUTES)
def test_trader_bearer_token_refused(service_client, api_token, method, path):
    response = service_client.open(path, method=method, headers={"Authorization": f"Bearer {api_token}"})

    assert_sent_to_login(response)


# List


def test_empty_list_has_headers_and_download_link(logged_in_admin):
    response = logged_in_admin.get("/traders")

    page = parse(response)
    headers = [cell.text for cell in page.one("table", id="tradersTable").select("th")]
    downloads = [link.attrs["href"] for link in page.select("a") if "Download Trader List" in link.text]
    assert response.status_code == 200
    assert heading(response) == "Traders"
    assert headers[:5] == ["Name", "Market", "Area", "Users", "Payments"]
    assert downloads == ["/traders/download"]


def test_list_shows_trader_users_and_state(logged_in_admin, market):
    enabled = factories.make_trader(market, name="Enabled Stall")
    disabled = factories.make_trader(market, name="Disabled Stall", disabled_at=clock.now())
    factories.make_trader_user(traders=[enabled], name="Zoe")
    factories.make_trader_user(traders=[enabled], name="adam")

    rows = parse(logged_in_admin.get("/traders")).one("table", id="tradersTable").select("tbody")[0].select("tr")

    by_name = {row.select("td")[0].text.removesuffix(" disabled"): row for row in rows}
    assert [cell.text for cell in by_name["Enabled Stall"].select("td")[1:3]] == ["Test Market", "Trader Area"]
    assert [item.text for item in by_name["Enabled Stall"].select("li")] == ["adam", "Zoe"]
    assert by_name["Enabled Stall"].attrs["class"] == "active"
    assert by_name["Disabled Stall"].attrs["class"] == "inactive"
    links = [link.attrs["href"] for link in by_name["Disabled Stall"].select("a")]
    assert links == [f"/payments/trader-payment-history/{disabled.id}", f"/traders/{disabled.id}/edit"]


def test_list_shows_trader_without_market(logged_in_admin):
    add(Trader(name="Marketless Stall", market_id=None))

    response = logged_in_admin.get("/traders")

    assert response.status_code == 200
    assert "Marketless Stall" in response.get_data(as_text=True)


def test_list_omits_deleted_trader(logged_in_admin, market):
    factories.make_trader(market, name="Deleted Stall", deleted_at=clock.now())

    assert "Deleted Stall" not in logged_in_admin.get("/traders").get_data(as_text=True)


def test_listing_orders_by_area_market_and_name(db):
    beta = factories.make_market(factories.make_sponsor(name="Beta"), name="A Market")
    alpha_one = factories.make_market(factories.make_sponsor(name="Alpha"), name="Market B")
    alpha_two = factories.make_market(alpha_one.sponsor, name="market a")
    for trader_market, name in ((beta, "First"), (alpha_one, "Second"), (alpha_two, "zed"), (alpha_two, "Ant")):
        factories.make_trader(trader_market, name=name)

    rows = db.session.execute(listings.trader_listing()).all()

    names = [trader.name for trader, _, _ in rows if trader.name in ("First", "Second", "zed", "Ant")]
    assert names == ["Ant", "zed", "Second", "First"]


def test_list_search(logged_in_admin, market):
    factories.make_trader(market, name="Fruit Stall")
    factories.make_trader(market, name="Bakery")

    body = logged_in_admin.get("/traders?search=fruit").get_data(as_text=True)

    assert "Fruit Stall" in body
    assert "Bakery" not in body


# Download


def test_download_lists_enabled_traders(logged_in_admin, market):
    with_users = factories.make_trader(market, name="Busy Stall", created_at=clock.now().replace(year=2024, month=3, day=5))
    factories.make_trader_user(traders=[with_users], name="Bob")
    factories.make_trader_user(traders=[with_users], name="alice")
    factories.make_trader(market, name="Quiet Stall", created_at=clock.now().replace(year=2024, month=4, day=1))
    factories.make_trader(market, name="Closed Stall", disabled_at=clock.now())

    response = logged_in_admin.get("/traders/download")

    rows = csv_rows(response)
    assert 'filename="active_traders.csv"' in response.headers["Content-Disposition"]
    assert rows[0] == ["Name", "Market", "Area", "Users", "Join Date", "Disabled"]
    ours = [row for row in rows[1:] if row[1] == "Test Market"]
    assert ours == [
        ["Busy Stall", "Test Market", "Trader Area", "alice, Bob", "05-03-2024", ""],
        ["Quiet Stall", "Test Market", "Trader Area", "", "01-04-2024", ""],
    ]


def test_download_with_disabled_traders(logged_in_admin, market):
    disabled_at = clock.now().replace(year=2025, month=1, day=31)
    factories.make_trader(market, name="Closed Stall", disabled_at=disabled_at)

    response = logged_in_admin.get("/traders/download?include=disabled")

    rows = csv_rows(response)
    assert 'filename="all_traders.csv"' in response.headers["Content-Disposition"]
    closed = [row for row in rows if row[0] == "Closed Stall"]
    assert closed[0][5] == "31-01-2025"


def test_download_has_empty_cells_for_trader_without_market(logged_in_admin):
    trader = add(Trader(name="Marketless Stall", market_id=None))
    _db.session.execute(sa.update(Trader).where(Trader.id == trader.id).values(created_at=None))

    rows = csv_rows(logged_in_admin.get("/traders/download"))

    assert ["Marketless Stall", "", "", "", "", ""] in rows


# Create


def test_create_page_preselects_market(logged_in_admin, market):
    response = logged_in_admin.get(f"/traders/create?market={market.id}")

    page = parse(response)
    assert heading(response) == "Add Trader"
    assert page.one("select", name="market").one("option", selected="").attrs["value"] == str(market.id)
    assert "Forgotten your password?" in response.get_data(as_text=True)
    assert len(page.select("input", name="users-0-email")) == 1
    assert page.one("button", class_="updateTrader").text == "Save Trader"


@pytest.mark.parametrize("query", ["999999", "f", "0"])
def test_create_page_ignores_unknown_market(logged_in_admin, market, query):
    response = logged_in_admin.get(f"/traders/create?market={query}")

    page = parse(response)
    assert response.status_code == 200
    assert f"Market {query} was not found" in response.get_data(as_text=True)
    assert page.one("select", name="market").one("option", selected="").text == "Choose one"


def test_create_trader_with_users(logged_in_admin, market):
    existing = factories.make_trader_user(name="Old Name", email="known@example.org")

    response = logged_in_admin.post("/traders", data={
        "market": str(market.id), "name": "Test Trader",
        **users_data(("New Name", "KNOWN@example.org"), ("Fresh Person", "fresh@example.org")),
    })

    trader = _db.session.scalars(sa.select(Trader).filter_by(name="Test Trader")).one()
    fresh = user_by_email("fresh@example.org")
    _db.session.refresh(existing)
    page = logged_in_admin.get("/traders").get_data(as_text=True)
    assert response.status_code == 302
    assert response.headers["Location"] == "/traders"
    assert sorted(user.id for user in trader.users) == sorted([existing.id, fresh.id])
    assert existing.name == "New Name"
    assert fresh.password.startswith("$2y$")
    assert not fresh.check_password(factories.PASSWORD)
    assert "Trader Test Trader was created." in page
    assert "New app users (Fresh Person) must reset their password" in page


def test_create_with_unknown_market_shows_error(logged_in_admin, market):
    logged_in_admin.get("/traders/create")

    response = logged_in_admin.post("/traders", data={"market": "999999", "name": "Test Trader"})

    assert response.status_code == 200
    assert heading(response) == "Add Trader"
    assert field_errors(response, "market")


def test_create_with_empty_name_shows_error(logged_in_admin, market):
    response = logged_in_admin.post("/traders", data={"market": str(market.id), "name": ""})

    assert field_errors(response, "name") == ["Enter the trader stall name."]


def test_create_rejects_name_used_at_the_market(db, market, admin_user):
    factories.make_trader(market, name="Test Trader", deleted_at=clock.now())

    with pytest.raises(MarketError) as raised:
        operations.create_trader("test trader", market.id, [], admin_user)
    assert raised.value.field == "name"


def test_create_restores_deleted_user_with_that_email(db, market, admin_user):
    deleted = factories.make_trader_user(name="Gone", email="back@example.org", deleted_at=clock.now())
    old_password = deleted.password

    change = operations.create_trader("Test Trader", market.id, [AppUserEntry("Back Again", "back@example.org")], admin_user)

    assert change.trader.users == [deleted]
    assert deleted.deleted_at is None
    assert deleted.name == "Back Again"
    assert deleted.password != old_password
    assert change.created_users == [deleted]


RULE_CASES = [
    ({"name": "Test Trader", "market": "MARKET"}, True),
    ({"name": "Test Trader", "market": "MARKET", "disabled": "1"}, True),
    ({"name": "Test Trader", "market": "MARKET", "disabled": ""}, True),
    ({"name": "Test Trader", "market": "MARKET", "disabled": "true"}, True),
    ({"name": "Test Trader", "market": "MARKET", "disabled": "on"}, True),
    ({"market": "MARKET"}, False),
    ({"name": "1", "market": "MARKET"}, False),
    ({"name": "a" * 161, "market": "MARKET"}, False),
    ({"name": "a" * 160, "market": "MARKET"}, True),
    ({"name": "Test Trader"}, False),
    ({"name": "Test Trader", "market": "f"}, False),
    ({"name": "Test Trader", "market": "999999"}, False),
    ({"name": "Test Trader", "market": "MARKET", **users_data(("Test Name", "valid@example.org"), start=10)}, True),
    ({"name": "Test Trader", "market": "MARKET", **users_data(("1", "valid@example.org"))}, False),
    ({"name": "Test Trader", "market": "MARKET", **users_data(("a" * 160, "valid@example.org"))}, True),
    ({"name": "Test Trader", "market": "MARKET", **users_data(("a" * 161, "valid@example.org"))}, False),
    ({"name": "Test Trader", "market": "MARKET", **users_data(("", "valid@example.org"))}, False),
    ({"name": "Test Trader", "market": "MARKET", **users_data(("Test Name", ""))}, False),
    ({"name": "Test Trader", "market": "MARKET", **users_data(("Test Name", "notAValidMail.com"))}, False),
    ({"name": "Test Trader", "market": "MARKET",
      **users_data(("Test Name", "one@example.org"), ("Other Name", "two@example.org"))}, True),
    ({"name": "Test Trader", "market": "MARKET", **users_data(("", "one@example.org"), ("Other Name", ""))}, False),
    ({"name": "Test Trader", "market": "MARKET",
      **users_data(("Test Name", "same@example.org"), ("Other Name", "Same@example.org"))}, False),
]


@pytest.mark.parametrize("data, valid", RULE_CASES)
def test_trader_form_rules(app, db, market, data, valid):
    fields = {name: str(market.id) if value == "MARKET" else value for name, value in data.items()}

    with app.test_request_context(method="POST", data=fields):
        form = TraderEditForm()
        form.market.choices = grouped_choices(markets_by_area())
        assert form.validate() is valid, form.errors


def test_trader_form_ignores_removed_and_blank_rows(app, db, market):
    fields = {"name": "Test Trader", "market": str(market.id),
              **users_data(("Kept", "kept@example.org"), ("", "bad address"), ("", "")), "users-1-remove": "y"}

    with app.test_request_context(method="POST", data=fields):
        form = TraderForm()
        form.market.choices = grouped_choices(markets_by_area())
        assert form.validate()
        assert form.app_users() == [AppUserEntry("Kept", "kept@example.org")]


def test_create_trader_rejects_repeated_email(db, market, admin_user):
    entries = [AppUserEntry("One", "same@example.org"), AppUserEntry("Two", "SAME@example.org")]

    with pytest.raises(MarketError) as raised:
        operations.create_trader("Test Trader", market.id, entries, admin_user)
    assert raised.value.field == "users"


# Edit


@pytest.fixture
def trader(db, market):
    return factories.make_trader(market, name="Test Trader")


def test_edit_page_lists_users(logged_in_admin, trader):
    user = factories.make_trader_user(traders=[trader], name="Rolf", email="rolf@example.org")

    response = logged_in_admin.get(f"/traders/{trader.id}/edit")

    page = parse(response)
    assert heading(response) == "Edit Trader"
    assert page.one("input", name="users-0-name").attrs["value"] == user.name
    assert page.one("input", name="users-0-email").attrs["value"] == "rolf@example.org"
    assert "checked" not in page.one("input", id="disable-toggle").attrs
    assert page.one("label", for_="disable-toggle").text == "Disabled"
    assert page.one("button", class_="updateTrader").text == "Update All"


def test_edit_page_warns_when_disabled(logged_in_admin, trader):
    trader.disabled_at = clock.now()
    _db.session.flush()

    response = logged_in_admin.get(f"/traders/{trader.id}/edit")

    assert "This trader is disabled" in response.get_data(as_text=True)
    assert "checked" in parse(response).one("input", id="disable-toggle").attrs


@pytest.mark.parametrize(
    "changes, field",
    [({"market": "999999"}, "market"), ({"name": ""}, "name"), ({"disabled": "Not a bool-a-like value"}, "disable-toggle")],
)
def test_edit_shows_field_errors(logged_in_admin, trader, changes, field):
    data = {"market": str(trader.market_id), "name": "Test Trader", **changes}

    response = logged_in_admin.post(f"/traders/{trader.id}", data=data)

    assert response.status_code == 200
    assert heading(response) == "Edit Trader"
    assert field_errors(response, field)


def test_edit_of_trader_without_market(logged_in_admin):
    trader = add(Trader(name="Marketless Stall", market_id=None))

    response = logged_in_admin.get(f"/traders/{trader.id}/edit")

    assert response.status_code == 200
    assert parse(response).one("select", name="market").one("option", selected="").text == "Choose one"


def test_unknown_or_deleted_trader_is_404(logged_in_admin, market):
    deleted = factories.make_trader(market, deleted_at=clock.now())

    assert logged_in_admin.get("/traders/999999/edit").status_code == 404
    assert logged_in_admin.get(f"/traders/{deleted.id}/edit").status_code == 404
    assert logged_in_admin.post(f"/traders/{deleted.id}", data={"name": "x"}).status_code == 404


def test_disabling_revokes_tokens_at_once(logged_in_admin, trader):
    user = factories.make_trader_user(traders=[trader], name="Rolf", email="rolf@example.org")
    login = logged_in_admin.post("/api/login", json={"username": user.email, "password": factories.PASSWORD})
    headers = {"Authorization": "Bearer " + login.get_json()["access_token"]}
    assert logged_in_admin.get("/api/traders", headers=headers).status_code == 200

    response = logged_in_admin.post(f"/traders/{trader.id}", data={
        "market": str(trader.market_id), "name": "Test Trader", "disabled": "1", **users_data(("Rolf", "rolf@example.org")),
    })

    _db.session.refresh(trader)
    assert response.status_code == 302
    assert trader.disabled_at is not None
    assert logged_in_admin.get("/api/traders", headers=headers).status_code == 401
    assert "logged out of the trader app" in logged_in_admin.get("/traders").get_data(as_text=True)


def test_update_revokes_tokens_of_old_and_new_users(db, trader, admin_user):
    old = factories.make_trader_user(traders=[trader], email="old@example.org")
    other_trader = factories.make_trader(trader.market)
    new = factories.make_trader_user(traders=[other_trader], email="new@example.org")
    issue_tokens(old)
    pair = issue_tokens(new)

    change = operations.update_trader(trader, trader.name, trader.market_id, True, [AppUserEntry("New", "new@example.org")], admin_user)

    assert change.revoked_user_ids == sorted([old.id, new.id])
    assert live_tokens(old) == 0
    assert live_tokens(new) == 0
    refresh = db.session.scalars(sa.select(OAuthRefreshToken).where(OAuthRefreshToken.access_token_id.in_(
        sa.select(OAuthAccessToken.id).where(OAuthAccessToken.user_id == new.id)))).one()
    assert refresh.revoked is True
    assert pair.access_token


def test_enabling_clears_disabled_at_and_keeps_tokens(db, trader, admin_user):
    user = factories.make_trader_user(traders=[trader])
    trader.disabled_at = clock.now()
    issue_tokens(user)

    change = operations.update_trader(trader, trader.name, trader.market_id, False, [AppUserEntry(user.name, user.email)], admin_user)

    assert trader.disabled_at is None
    assert change.revoked_user_ids == []
    assert live_tokens(user) == 1


def test_saving_disabled_trader_leaves_disabled_at(db, trader, admin_user):
    disabled_at = clock.now().replace(year=2024)
    trader.disabled_at = disabled_at

    change = operations.update_trader(trader, "Renamed", trader.market_id, True, [], admin_user)

    assert trader.disabled_at == disabled_at
    assert change.revoked_user_ids == []


def test_removed_user_without_other_trader_is_anonymised(db, trader, admin_user):
    leaving = factories.make_trader_user(traders=[trader], name="Leaving", email="leaving@example.org")
    issue_tokens(leaving)

    change = operations.update_trader(trader, trader.name, trader.market_id, False, [], admin_user)

    assert trader.users == []
    assert leaving.deleted_at is not None
    assert leaving.email.endswith("@localhost")
    assert leaving.email != "leaving@example.org"
    assert change.retired_users == ["Leaving"]
    assert live_tokens(leaving) == 0


def test_removed_user_with_another_trader_is_kept(db, trader, admin_user):
    other = factories.make_trader(trader.market, name="Other Stall")
    staying = factories.make_trader_user(traders=[trader, other], email="staying@example.org")

    change = operations.update_trader(trader, trader.name, trader.market_id, False, [], admin_user)

    assert staying.deleted_at is None
    assert staying.email == "staying@example.org"
    assert [t.id for t in staying.traders] == [other.id]
    assert change.retired_users == []


def test_changed_email_links_another_user(logged_in_admin, trader):
    original = factories.make_trader_user(traders=[trader], name="Rolf", email="rolf@example.org")

    response = logged_in_admin.post(f"/traders/{trader.id}", data={
        "market": str(trader.market_id), "name": "Test Trader", **users_data(("Rolf", "rolf.new@example.org")),
    })

    _db.session.refresh(original)
    _db.session.refresh(trader)
    page = logged_in_admin.get("/traders").get_data(as_text=True)
    assert response.status_code == 302
    assert [user.email for user in trader.users] == ["rolf.new@example.org"]
    assert original.deleted_at is not None
    assert "App users left with no trader were deleted: Rolf." in page


def test_update_moves_trader_to_another_market(db, trader, admin_user):
    other_market = factories.make_market(name="Other Market")

    operations.update_trader(trader, "Moved Stall", other_market.id, False, [], admin_user)

    assert (trader.name, trader.market.id) == ("Moved Stall", other_market.id)


def test_update_keeps_own_name(db, trader, admin_user):
    operations.update_trader(trader, "Test Trader", trader.market_id, False, [], admin_user)

    assert trader.name == "Test Trader"


def test_set_trader_disabled_revokes_and_enables(db, trader, admin_user):
    user = factories.make_trader_user(traders=[trader])
    issue_tokens(user)

    operations.set_trader_disabled(trader, True, admin_user)
    disabled_at = trader.disabled_at
    operations.set_trader_disabled(trader, False, admin_user)

    assert disabled_at is not None
    assert trader.disabled_at is None
    assert live_tokens(user) == 0
