"""Trader-app login, refresh and logout, with the response shapes the installed clients read."""

from datetime import timedelta

import pytest

from arc import clock
from arc.auth import tokens
from arc.auth.models import OAuthAccessToken, OAuthRefreshToken
from tests import factories
from tests.factories import PASSWORD

WRONG_CREDENTIALS = "The user credentials were incorrect."


def login(client, username, password, **kwargs):
    return client.post("/api/login", json={"username": username, "password": password}, **kwargs)


def test_login_returns_exactly_three_token_fields(service_client, trader_user):
    response = login(service_client, trader_user.email, PASSWORD)

    body = response.get_json()
    assert response.status_code == 200
    assert set(body) == {"access_token", "expires_in", "refresh_token"}
    assert body["expires_in"] == 86400
    assert body["access_token"] != body["refresh_token"]


def test_login_accepts_form_fields(service_client, trader_user):
    response = service_client.post("/api/login", data={"username": trader_user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "access_token" in response.get_json()


def test_login_matches_email_case_insensitively(service_client, trader_user):
    response = login(service_client, trader_user.email.upper(), PASSWORD)

    assert response.status_code == 200


def test_login_stores_only_token_digests(service_client, trader_user, db):
    body = login(service_client, trader_user.email, PASSWORD).get_json()

    access = db.session.get(OAuthAccessToken, tokens.digest(body["access_token"]))
    assert access is not None
    assert access.user_id == trader_user.id
    assert db.session.get(OAuthAccessToken, body["access_token"]) is None
    refresh = db.session.get(OAuthRefreshToken, tokens.digest(body["refresh_token"]))
    assert refresh.access_token_id == access.id


def test_wrong_password_is_400_invalid_grant(service_client, trader_user):
    response = login(service_client, trader_user.email, "not-the-password")

    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid_grant",
        "error_description": WRONG_CREDENTIALS,
        "message": WRONG_CREDENTIALS,
    }


def test_unknown_user_is_401_invalid_credentials(service_client, db):
    response = login(service_client, "nobody@example.org", PASSWORD)

    assert response.status_code == 401
    assert response.get_json() == {"error": "invalid_credentials", "message": WRONG_CREDENTIALS}


@pytest.mark.parametrize(
    "body",
    [{"username": "someone@example.org"}, {"password": PASSWORD}, {}, {"username": "", "password": ""}],
    ids=["no password", "no username", "empty body", "empty strings"],
)
def test_missing_field_is_400_invalid_request(service_client, trader_user, body):
    response = service_client.post("/api/login", json=body)

    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"


def test_user_with_only_disabled_traders_cannot_log_in(service_client, db):
    trader = factories.make_trader(disabled_at=clock.now())
    user = factories.make_trader_user(traders=[trader])

    response = login(service_client, user.email, PASSWORD)

    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_credentials"


def test_user_without_traders_cannot_log_in(service_client, db):
    user = factories.make_trader_user()

    assert login(service_client, user.email, PASSWORD).status_code == 401


def test_soft_deleted_user_cannot_log_in(service_client, trader_user, db):
    trader_user.deleted_at = clock.now()
    db.session.flush()

    assert login(service_client, trader_user.email, PASSWORD).status_code == 401


def test_existing_2y_hash_logs_in(service_client, db):
    # A bcrypt hash as PHP's password_hash() writes it, for the password "password".
    legacy_hash = "$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi"
    user = factories.make_trader_user(traders=[factories.make_trader()])
    user.password = legacy_hash
    db.session.flush()

    response = login(service_client, user.email, "password")

    assert response.status_code == 200
    assert user.password == legacy_hash


def test_refresh_wraps_new_tokens_in_original(service_client, trader_user):
    first = login(service_client, trader_user.email, PASSWORD).get_json()

    response = service_client.post("/api/login/refresh", json={"refresh_token": first["refresh_token"]})

    body = response.get_json()
    assert response.status_code == 200
    assert set(body) == {"headers", "original", "exception"}
    assert body["headers"] == {}
    assert body["exception"] is None
    assert set(body["original"]) == {"access_token", "expires_in", "refresh_token"}
    assert body["original"]["access_token"] != first["access_token"]


def test_refresh_revokes_the_old_pair(service_client, trader_user):
    first = login(service_client, trader_user.email, PASSWORD).get_json()
    service_client.post("/api/login/refresh", json={"refresh_token": first["refresh_token"]})

    old_access = service_client.post("/api/logout", headers={"Authorization": f"Bearer {first['access_token']}"})
    reused = service_client.post("/api/login/refresh", json={"refresh_token": first["refresh_token"]})

    assert old_access.status_code == 401
    assert reused.get_json() == {"headers": {}, "original": {}, "exception": {}}


@pytest.mark.parametrize("body", [{"refresh_token": "made-up"}, {}], ids=["unknown token", "no token"])
def test_failed_refresh_is_200_with_empty_original(service_client, db, body):
    response = service_client.post("/api/login/refresh", json=body)

    assert response.status_code == 200
    assert response.get_json() == {"headers": {}, "original": {}, "exception": {}}


def test_expired_refresh_token_is_refused(service_client, trader_user, db):
    first = login(service_client, trader_user.email, PASSWORD).get_json()
    refresh = db.session.get(OAuthRefreshToken, tokens.digest(first["refresh_token"]))
    refresh.expires_at = clock.now() - timedelta(seconds=1)
    db.session.flush()

    response = service_client.post("/api/login/refresh", json={"refresh_token": first["refresh_token"]})

    assert response.get_json()["original"] == {}


def test_logout_is_204_and_revokes_token(service_client, trader_user):
    body = login(service_client, trader_user.email, PASSWORD).get_json()
    headers = {"Authorization": f"Bearer {body['access_token']}"}

    response = service_client.post("/api/logout", headers=headers)
    again = service_client.post("/api/logout", headers=headers)
    refreshed = service_client.post("/api/login/refresh", json={"refresh_token": body["refresh_token"]})

    assert response.status_code == 204
    assert response.data == b""
    assert again.status_code == 401
    assert refreshed.get_json()["original"] == {}


def test_logout_leaves_other_tokens_valid(service_client, trader_user):
    first = login(service_client, trader_user.email, PASSWORD).get_json()
    second = login(service_client, trader_user.email, PASSWORD).get_json()

    service_client.post("/api/logout", headers={"Authorization": f"Bearer {first['access_token']}"})
    response = service_client.post("/api/logout", headers={"Authorization": f"Bearer {second['access_token']}"})

    assert response.status_code == 204


@pytest.mark.parametrize(
    "header", [None, "Bearer made-up-token", "Basic dXNlcjpwYXNz", "Bearer "], ids=["none", "unknown", "basic", "empty"]
)
def test_logout_without_valid_token_is_401(service_client, db, header):
    headers = {"Authorization": header} if header else {}

    response = service_client.post("/api/logout", headers=headers)

    assert response.status_code == 401
    assert response.get_json() == {"error": "Unauthenticated."}


def test_expired_access_token_is_401(service_client, trader_user, db):
    body = login(service_client, trader_user.email, PASSWORD).get_json()
    access = db.session.get(OAuthAccessToken, tokens.digest(body["access_token"]))
    access.expires_at = clock.now() - timedelta(seconds=1)
    db.session.flush()

    response = service_client.post("/api/logout", headers={"Authorization": f"Bearer {body['access_token']}"})

    assert response.status_code == 401


def test_revoke_user_tokens_ends_every_session_of_the_user(service_client, trader_user, db):
    body = login(service_client, trader_user.email, PASSWORD).get_json()

    tokens.revoke_user_tokens([trader_user.id])
    response = service_client.post("/api/logout", headers={"Authorization": f"Bearer {body['access_token']}"})
    refreshed = service_client.post("/api/login/refresh", json={"refresh_token": body["refresh_token"]})

    assert response.status_code == 401
    assert refreshed.get_json()["original"] == {}


def test_openapi_document_lists_login_routes(service_client):
    document = service_client.get("/api/openapi.json").get_json()

    assert {"/api/login", "/api/login/refresh", "/api/logout"} <= set(document["paths"])
    for path in ("/api/login", "/api/login/refresh", "/api/logout"):
        assert document["paths"][path]["post"]["summary"]
