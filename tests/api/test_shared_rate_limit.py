"""The trader API allows each user 60 requests a minute in total, across all routes."""

from tests import factories
from tests.factories import PASSWORD


def test_limit_counts_all_routes_together(service_client, db):
    trader = factories.make_trader()
    user = factories.make_trader_user(traders=[trader])
    token = service_client.post("/api/login", json={"username": user.email, "password": PASSWORD}).get_json()
    headers = {"Authorization": "Bearer " + token["access_token"]}
    for _ in range(60):
        assert service_client.get("/api/traders", headers=headers).status_code == 200

    # The 60 requests above used up the minute, whichever route the next request goes to.
    response = service_client.get(f"/api/traders/{trader.id}", headers=headers)

    assert response.status_code == 429
    assert response.get_json() == {"message": "Too Many Attempts."}


def test_limit_on_one_route(service_client, db):
    trader = factories.make_trader()
    user = factories.make_trader_user(traders=[trader])
    token = service_client.post("/api/login", json={"username": user.email, "password": PASSWORD}).get_json()
    headers = {"Authorization": "Bearer " + token["access_token"]}
    for _ in range(60):
        assert service_client.get("/api/traders", headers=headers).status_code == 200

    response = service_client.get("/api/traders", headers=headers)

    assert response.status_code == 429
    assert response.get_json() == {"message": "Too Many Attempts."}
