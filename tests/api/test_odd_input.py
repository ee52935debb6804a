"""Unusual input on the trader API: none of it may get a 500."""

import pytest

from tests import factories
from tests.factories import PASSWORD

# A JSON body nested deeper than Python's recursion limit (about 200 KB).
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000


@pytest.fixture
def caller(service_client, db):
    trader = factories.make_trader()
    user = factories.make_trader_user(traders=[trader])
    token = service_client.post("/api/login", json={"username": user.email, "password": PASSWORD}).get_json()
    return trader, {"Authorization": "Bearer " + token["access_token"]}


@pytest.mark.parametrize(
    "page",
    [
        "\u00b2",  # superscript two: str.isdigit() is true but int() rejects it
        "9" * 5000,  # more digits than int() converts by default
    ],
)
def test_history_odd_page_is_first_or_empty(service_client, caller, page):
    trader, headers = caller

    response = service_client.get(f"/api/traders/{trader.id}/voucher-history", query_string={"page": page}, headers=headers)

    assert response.status_code == 200
    assert response.get_json() == []


@pytest.mark.parametrize("trader_id", ["\u00b2", "9" * 5000])
@pytest.mark.parametrize("path", ["/api/vouchers", "/api/vouchers/transitions"])
def test_submission_odd_trader_id_is_404(service_client, caller, path, trader_id):
    _trader, headers = caller

    response = service_client.post(
        path, json={"trader_id": trader_id, "transition": "collect", "vouchers": ["RVNT00001"]}, headers=headers
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "method, path, authenticated",
    [
        ("POST", "/api/login", False),
        ("POST", "/api/login/refresh", False),
        ("POST", "/api/user/lost_password", False),
        ("POST", "/api/vouchers", True),
        ("PUT", "/api/log", True),
    ],
)
def test_deeply_nested_json_is_not_500(service_client, caller, method, path, authenticated):
    _trader, headers = caller

    response = service_client.open(
        path,
        method=method,
        data=DEEP_JSON,
        content_type="application/json",
        headers=headers if authenticated else {},
    )

    assert response.status_code < 500


@pytest.mark.parametrize(
    "vouchers, message",
    [
        ([""], "The vouchers.0 field is required."),
        (["RVNT00001", "   "], "The vouchers.1 field is required."),
    ],
)
def test_blank_code_is_required_error(service_client, caller, vouchers, message):
    # Blank strings are null to the reference's validation, so a blank code fails "required".
    trader, headers = caller

    response = service_client.post(
        "/api/vouchers", json={"trader_id": trader.id, "transition": "collect", "vouchers": vouchers}, headers=headers
    )

    assert response.status_code == 400
    assert response.get_data(as_text=True) == message


def test_blank_transition_is_no_transition(service_client, caller):
    trader, headers = caller

    response = service_client.post(
        "/api/vouchers", json={"trader_id": trader.id, "transition": "", "vouchers": ["RVNT00001"]}, headers=headers
    )

    assert response.status_code == 400
    assert response.get_data(as_text=True) == "No transition"
