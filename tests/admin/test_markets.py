"""Admin pages and domain functions for markets."""

import pytest
import sqlalchemy as sa

from arc import clock
from arc.admin.people_forms import DEFAULT_PAYMENT_MESSAGE, MarketForm, grouped_choices
from arc.extensions import db as _db
from arc.markets import listings, operations
from arc.markets.models import Market
from arc.markets.operations import MarketError
from arc.sponsors.queries import active_sponsors
from tests import factories
from tests.admin.people_data import (
    add,
    assert_sent_to_login,
    field_errors,
    heading,
    label_text,
    parse,
    use_centre_session,
)

ROUTES = [
    ("GET", "/markets"),
    ("GET", "/markets/create"),
    ("POST", "/markets"),
    ("GET", "/markets/1/edit"),
    ("POST", "/markets/1"),
]


@pytest.fixture
def area(db):
    return factories.make_sponsor(name="Market Area")


@pytest.fixture
def markets_with_traders(db, area):
    """Three markets in one area, with no, one and two traders."""
    empty = factories.make_market(area, name="Empty Market")
    single = factories.make_market(area, name="Single Market")
    double = factories.make_market(area, name="Double Market")
    factories.make_trader(single, name="Only Trader")
    factories.make_trader(double, name="Zed's Stall")
    factories.make_trader(double, name="Able's Stall", disabled_at=clock.now())
    return empty, single, double


def market_data(area, **changes):
    data = {"sponsor": str(area.id), "name": "Test Market", "payment_message": "Thanks, we got that market"}
    data.update(changes)
    return data


def table_rows(response):
    return parse(response).one("table", id="marketsTable").select("tbody")[0].select("tr")


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


def test_list_headers(logged_in_admin, markets_with_traders):
    response = logged_in_admin.get("/markets")

    headers = [cell.text for cell in parse(response).one("table", id="marketsTable").select("thead")[0].select("th")]
    assert response.status_code == 200
    assert heading(response) == "Markets"
    assert headers[:3] == ["Name", "Area", "Traders"]
    assert headers[3] == "Edit"
    assert parse(response).one("table", id="marketsTable").select("th")[3].one("span", class_="visually-hidden")


def test_list_links_adding_a_trader_to_each_market(logged_in_admin, markets_with_traders):
    rows = table_rows(logged_in_admin.get("/markets"))

    by_name = {row.select("td")[0].text: row for row in rows}
    for market in markets_with_traders:
        hrefs = [link.attrs["href"] for link in by_name[market.name].select("td")[2].select("a")]
        assert hrefs == [f"http://admin.localhost/traders/create?market={market.id}"]


def test_list_shows_traders_in_name_order(logged_in_admin, markets_with_traders):
    rows = table_rows(logged_in_admin.get("/markets"))

    by_name = {row.select("td")[0].text: row for row in rows}
    items = by_name["Double Market"].select("td")[2].select("li")
    assert [item.text for item in items] == ["Able's Stall disabled", "Zed's Stall"]
    assert [item.attrs["class"] for item in items] == ["inactive", "active"]
    assert by_name["Empty Market"].select("td")[2].select("li") == []


def test_list_orders_by_area_then_name(logged_in_admin, markets_with_traders):
    rows = table_rows(logged_in_admin.get("/markets"))

    names = [row.select("td")[0].text for row in rows if row.select("td")[1].text == "Market Area"]
    assert names == ["Double Market", "Empty Market", "Single Market"]


def test_list_omits_deleted_market(logged_in_admin, markets_with_traders):
    markets_with_traders[0].deleted_at = clock.now()
    _db.session.flush()

    names = [row.select("td")[0].text for row in table_rows(logged_in_admin.get("/markets"))]

    assert "Empty Market" not in names


def test_listing_includes_market_without_area(db):
    add(Market(name="Orphan Market", location="Nowhere", sponsor_id=None))

    rows = db.session.execute(listings.market_listing()).all()

    assert ("Orphan Market", None) in [(market.name, area) for market, area in rows]


# Create


def test_create_page_has_form(logged_in_admin, area):
    response = logged_in_admin.get("/markets/create")

    page = parse(response)
    assert response.status_code == 200
    assert heading(response) == "Add Market"
    assert len(page.select("form")) >= 1
    assert label_text(response, "sponsor") == ["Area"]
    assert label_text(response, "name") == ["Name"]
    assert label_text(response, "payment_message") == ["Voucher return message"]
    assert len(page.select("select", name="sponsor")) == 1
    assert len(page.select("input", name="name")) == 1
    assert page.one("textarea", name="payment_message").text == DEFAULT_PAYMENT_MESSAGE
    assert page.one("button", id="updateMarket").text == "Save Market"
    assert page.select("label", role="alert") == []


def test_create_market_via_form(logged_in_admin, area):
    response = logged_in_admin.post("/markets", data=market_data(area))

    market = _db.session.scalars(sa.select(Market).filter_by(name="Test Market")).one()
    assert response.status_code == 302
    assert response.headers["Location"] == "/markets"
    assert (market.sponsor_id, market.location, market.payment_message) == (area.id, "Market Area", "Thanks, we got that market")
    assert "Market Test Market was created." in logged_in_admin.get("/markets").get_data(as_text=True)


def test_create_with_empty_message_shows_error(logged_in_admin, area):
    logged_in_admin.get("/markets/create")

    response = logged_in_admin.post("/markets", data=market_data(area, payment_message=""))

    assert response.status_code == 200
    assert heading(response) == "Add Market"
    assert field_errors(response, "payment_message")


def test_create_with_empty_name_shows_error(logged_in_admin, area):
    response = logged_in_admin.post("/markets", data=market_data(area, name=""))

    assert field_errors(response, "name") == ["Enter the name."]


def test_create_rejects_name_used_in_the_area(logged_in_admin, area):
    factories.make_market(area, name="Test Market", deleted_at=clock.now())

    response = logged_in_admin.post("/markets", data=market_data(area, name="test market"))

    assert field_errors(response, "name") == ["Market Area already has a market called test market."]


def test_same_name_allowed_in_another_area(db, area, admin_user):
    factories.make_market(area, name="Test Market")
    other = factories.make_sponsor(name="Other Area")

    market = operations.create_market("Test Market", other.id, "a message", admin_user)

    assert market.location == "Other Area"


@pytest.mark.parametrize(
    "data, valid",
    [
        ({"name": "Test Market", "sponsor": "AREA", "payment_message": "a message"}, True),
        ({"sponsor": "AREA", "payment_message": "a message"}, False),
        ({"name": "1", "sponsor": "AREA", "payment_message": "a message"}, False),
        ({"name": "Test Market", "payment_message": "a message"}, False),
        ({"name": "Test Market", "sponsor": "f", "payment_message": "a message"}, False),
        ({"name": "Test Market", "sponsor": "999999", "payment_message": "a message"}, False),
        ({"name": "Test Market", "sponsor": "AREA"}, False),
        ({"name": "Test Market", "sponsor": "AREA", "payment_message": "1"}, False),
        ({"name": "Test Market", "sponsor": "AREA", "payment_message": ""}, False),
        ({"name": "Test Market", "sponsor": "AREA", "payment_message": "a" * 161}, False),
        ({"name": "Test Market", "sponsor": "AREA", "payment_message": "a" * 160}, True),
    ],
)
def test_market_form_rules(app, db, area, data, valid):
    fields = {name: str(area.id) if value == "AREA" else value for name, value in data.items()}

    with app.test_request_context(method="POST", data=fields):
        form = MarketForm()
        form.sponsor.choices = grouped_choices([(None, active_sponsors())])
        assert form.validate() is valid, form.errors


@pytest.mark.parametrize("message", ["", "a" * 161])
def test_create_market_checks_message_length(db, area, admin_user, message):
    with pytest.raises(MarketError) as raised:
        operations.create_market("Test Market", area.id, message, admin_user)
    assert raised.value.field == "payment_message"


def test_create_market_rejects_deleted_area(db, area, admin_user):
    area.deleted_at = clock.now()

    with pytest.raises(MarketError) as raised:
        operations.create_market("Test Market", area.id, "a message", admin_user)
    assert raised.value.field == "sponsor"


# Edit


def test_edit_page_has_form(logged_in_admin, area):
    market = factories.make_market(area, name="Test Market", payment_message="Post them")

    response = logged_in_admin.get(f"/markets/{market.id}/edit")

    page = parse(response)
    assert heading(response) == "Edit Market"
    assert label_text(response, "sponsor") == ["Area"]
    assert label_text(response, "name") == ["Name"]
    assert label_text(response, "payment_message") == ["Voucher return message"]
    assert page.one("select", name="sponsor").one("option", selected="").attrs["value"] == str(area.id)
    assert page.one("input", name="name").attrs["value"] == "Test Market"
    assert page.one("textarea", name="payment_message").text == "Post them"
    assert page.one("button", id="updateMarket").text == "Save Market"
    assert page.select("label", role="alert") == []


def test_edit_with_unknown_area_shows_error(logged_in_admin, area):
    market = factories.make_market(area, name="Test Market")

    response = logged_in_admin.post(f"/markets/{market.id}", data=market_data(area, sponsor="999999"))

    assert response.status_code == 200
    assert field_errors(response, "sponsor")


def test_edit_with_empty_name_shows_error(logged_in_admin, area):
    market = factories.make_market(area, name="Test Market")

    response = logged_in_admin.post(f"/markets/{market.id}", data=market_data(area, name=""))

    assert field_errors(response, "name")


def test_edit_moves_market_to_another_area(logged_in_admin, area):
    market = factories.make_market(area, name="Test Market")
    other = factories.make_sponsor(name="New Home")

    response = logged_in_admin.post(
        f"/markets/{market.id}", data=market_data(other, name="Moved Market", payment_message="New message")
    )

    _db.session.refresh(market)
    assert response.status_code == 302
    assert (market.name, market.sponsor_id, market.location, market.payment_message) == (
        "Moved Market", other.id, "New Home", "New message")


def test_edit_keeps_own_name(db, area, admin_user):
    market = factories.make_market(area, name="Test Market")

    operations.update_market(market, "Test Market", area.id, "Changed message", admin_user)

    assert market.payment_message == "Changed message"


def test_edit_rejects_name_of_another_market(db, area, admin_user):
    factories.make_market(area, name="Taken")
    market = factories.make_market(area, name="Test Market")

    with pytest.raises(MarketError) as raised:
        operations.update_market(market, "Taken", area.id, "a message", admin_user)
    assert raised.value.field == "name"


def test_unknown_or_deleted_market_is_404(logged_in_admin, area):
    market = factories.make_market(area, deleted_at=clock.now())

    assert logged_in_admin.get("/markets/999999/edit").status_code == 404
    assert logged_in_admin.get(f"/markets/{market.id}/edit").status_code == 404
    assert logged_in_admin.post(f"/markets/{market.id}", data=market_data(area)).status_code == 404
