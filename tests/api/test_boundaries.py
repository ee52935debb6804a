"""Access rules of the trader API: which caller reaches which trader, job, transition and portal."""

import pytest

from arc import clock
from tests import factories
from tests.factories import PASSWORD


def login(client, user):
    token = client.post("/api/login", json={"username": user.email, "password": PASSWORD}).get_json()
    return {"Authorization": "Bearer " + token["access_token"]}


@pytest.fixture
def two_callers(service_client, db):
    traders = [factories.make_trader(), factories.make_trader()]
    users = [factories.make_trader_user(traders=[trader]) for trader in traders]
    return traders, [login(service_client, user) for user in users]


def test_job_of_other_user_is_404(service_client, two_callers):
    traders, headers = two_callers
    queued = service_client.post(
        "/api/vouchers/transitions",
        json={"trader_id": traders[0].id, "transition": "collect", "vouchers": ["NOPE00001"]},
        headers=headers[0],
    ).get_json()

    assert service_client.get(f"/api/queue/{queued['id']}", headers=headers[0]).status_code == 202
    assert service_client.get(f"/api/queue/{queued['id']}", headers=headers[1]).status_code == 404
    assert service_client.get(f"/api/vouchers/transitions/{queued['id']}", headers=headers[1]).status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/traders/{id}"),
        ("GET", "/api/traders/{id}/vouchers"),
        ("GET", "/api/traders/{id}/voucher-history"),
        ("POST", "/api/traders/{id}/voucher-history-email"),
    ],
)
def test_other_trader_is_403(service_client, two_callers, method, path):
    traders, headers = two_callers

    response = service_client.open(path.format(id=traders[1].id), method=method, json={}, headers=headers[0])

    assert response.status_code == 403


def test_disabled_trader_is_403(service_client, two_callers, db):
    traders, headers = two_callers
    traders[0].disabled_at = clock.now()
    db.session.flush()

    listing = service_client.get("/api/traders", headers=headers[0])
    submission = service_client.post(
        "/api/vouchers", json={"trader_id": traders[0].id, "transition": "collect", "vouchers": ["X1"]}, headers=headers[0]
    )

    assert listing.get_json() == []
    assert service_client.get(f"/api/traders/{traders[0].id}/vouchers", headers=headers[0]).status_code == 403
    assert submission.status_code == 403


def test_portal_sessions_are_401_on_api(logged_in_admin):
    response = logged_in_admin.get("/api/traders")

    assert response.status_code == 401
    assert response.get_json() == {"error": "Unauthenticated."}


def test_bearer_token_opens_no_portal(service_client, store_client, api_token):
    headers = {"Authorization": "Bearer " + api_token}

    assert service_client.get("/", headers=headers).status_code == 302
    assert store_client.get("/dashboard", headers=headers).status_code == 302


@pytest.mark.parametrize("transition", ["payout", "void", "reject-to-printed", "COLLECT", " collect"])
def test_other_transitions_are_400(service_client, two_callers, transition):
    traders, headers = two_callers

    response = service_client.post(
        "/api/vouchers", json={"trader_id": traders[0].id, "transition": transition, "vouchers": ["X1"]}, headers=headers[0]
    )

    assert response.status_code == 400
    assert response.mimetype == "text/plain"
