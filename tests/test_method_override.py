"""Forms standing for PUT, PATCH and DELETE with a hidden ``_method`` field."""

import pytest

from arc.extensions import db
from arc.method_override import requested_method
from tests import factories
from tests.conftest import SERVICE_HOST


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
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/x-www-form-urlencoded"}

    assert requested_method(environ, body) == method


def test_requested_method_of_a_multipart_form():
    body = (
        b"--XyZ\r\nContent-Disposition: form-data; name=\"_method\"\r\n\r\nDELETE\r\n"
        b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx\r\n--XyZ--\r\n"
    )
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "multipart/form-data; boundary=XyZ"}

    assert requested_method(environ, body) == "DELETE"


def test_broken_multipart_body_names_no_method():
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "multipart/form-data; boundary=XyZ"}

    assert requested_method(environ, b"--XyZ\r\nContent-Disposition: form-data; name=\"_method\"\r\n") is None


def test_content_type_is_matched_in_any_case(logged_in_admin):
    market = factories.make_market()
    trader = factories.make_trader(market, name="Old Name")

    response = logged_in_admin.post(
        f"/traders/{trader.id}",
        data=f"name=New+Name&market={market.id}&_method=DELETE",
        content_type="Application/X-WWW-Form-URLEncoded",
    )

    assert response.headers["Location"] == "/"
    db.session.refresh(trader)
    assert trader.name == "Old Name"


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


def test_multipart_form_with_method_field_is_routed(logged_in_admin):
    market = factories.make_market()
    trader = factories.make_trader(market, name="Old Name")
    data = {"name": "New Name", "market": str(market.id), "_method": "PUT"}

    response = logged_in_admin.post(f"/traders/{trader.id}", data=data, content_type="multipart/form-data")

    assert response.status_code == 302
    db.session.refresh(trader)
    assert trader.name == "New Name"


def test_expired_form_token_returns_to_the_form_address(logged_in_admin, csrf_enabled):
    market = factories.make_market()
    trader = factories.make_trader(market, name="Old Name")

    response = logged_in_admin.post(f"/traders/{trader.id}", data={"name": "New Name", "_method": "PUT"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/traders/{trader.id}"
    db.session.refresh(trader)
    assert trader.name == "Old Name"


def test_redirect_for_a_double_slash_has_no_body(service_client):
    response = service_client.get("/api//traders")

    assert response.status_code == 308
    assert response.data == b""


def test_expired_token_returns_to_form_page(logged_in_admin, csrf_enabled):
    market = factories.make_market()
    trader = factories.make_trader(market, name="Old Name")

    response = logged_in_admin.post(
        f"/traders/{trader.id}",
        data={"name": "New Name"},
        headers={"Referer": f"http://{SERVICE_HOST}/traders/{trader.id}/edit"},
    )

    assert response.headers["Location"] == f"/traders/{trader.id}/edit"


@pytest.mark.parametrize(
    "referer", ["http://elsewhere.localhost/phish", f"http://{SERVICE_HOST}//elsewhere.localhost/phish", "javascript:x"]
)
def test_referer_leaving_the_site_is_not_followed(logged_in_admin, csrf_enabled, referer):
    market = factories.make_market()
    trader = factories.make_trader(market, name="Old Name")

    response = logged_in_admin.post(f"/traders/{trader.id}", data={"name": "New Name"}, headers={"Referer": referer})

    assert response.headers["Location"] == f"/traders/{trader.id}"
