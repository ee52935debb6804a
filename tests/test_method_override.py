"""Forms standing for PUT, PATCH and DELETE with a hidden ``_method`` field."""

import pytest

from arc.extensions import db
from arc.method_override import requested_method
from tests import factories


@pytest.mark.parametrize(
    "body, method",
    [
        (b"_method=PUT&name=A", "PUT"),
        (b"name=A&_method=patch", "PATCH"),
        (b"_method=+delete+", "DELETE"),
        (b"_method=GET", None),
        (b"_method=TRACE", None),
        (b"_method=", None),
        (b"name=A", None),
        (b"_method=PUT&_method=DELETE", "PUT"),
    ],
)
def test_requested_method(body, method):
    assert requested_method(body) == method


@pytest.mark.parametrize("method, form_method", [("post", "PUT"), ("post", None), ("put", None)])
def test_trader_update_by_form_or_by_real_put(logged_in_admin, method, form_method):
    market = factories.make_market()
    trader = factories.make_trader(market, name="Old Name")
    data = {"name": "New Name", "market": str(market.id)}
    if form_method:
        data["_method"] = form_method

    response = logged_in_admin.open(f"/traders/{trader.id}", method=method.upper(), data=data)

    assert response.status_code == 302
    db.session.refresh(trader)
    assert trader.name == "New Name"


def test_unrouted_form_method_goes_home(logged_in_admin):
    market = factories.make_market()
    trader = factories.make_trader(market, name="Old Name")

    response = logged_in_admin.post(f"/traders/{trader.id}", data={"name": "New Name", "_method": "DELETE"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    db.session.refresh(trader)
    assert trader.name == "Old Name"


def test_only_form_bodies_name_a_method(service_client):
    form = service_client.post("/api/log", data={"_method": "PUT"})
    json = service_client.post("/api/log", json={"_method": "PUT"})

    assert form.status_code == 401
    assert json.status_code == 302
    assert json.headers["Location"] == "/"
