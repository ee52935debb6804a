"""The OAuth 2 token endpoint of the previous service, called directly with client credentials."""

import pytest

from arc import clock
from arc.auth.models import OAuthClient
from arc.users import passwords
from tests import factories
from tests.factories import PASSWORD

WRONG_CREDENTIALS = "The user credentials were incorrect."


@pytest.fixture
def client_secret(app):
    app.config["PASSWORD_CLIENT_SECRET"] = "client-secret-for-tests"
    yield "client-secret-for-tests"
    app.config["PASSWORD_CLIENT_SECRET"] = None


def token_request(client, **fields):
    return client.post("/oauth/token", data=fields)


def password_grant(client, app, secret, username, password):
    return token_request(
        client,
        grant_type="password",
        client_id=str(app.config["PASSWORD_CLIENT"]),
        client_secret=secret,
        username=username,
        password=password,
        scope="",
    )


def test_password_grant_issues_tokens(service_client, app, client_secret, trader_user):
    response = password_grant(service_client, app, client_secret, trader_user.email, PASSWORD)

    body = response.get_json()
    assert response.status_code == 200
    assert body["token_type"] == "Bearer"
    assert body["access_token"] and body["refresh_token"]
    assert body["expires_in"] == 86400


def test_password_grant_does_not_need_an_enabled_trader(service_client, app, client_secret, db):
    user = factories.make_trader_user(traders=[factories.make_trader(disabled_at=clock.now())])

    response = password_grant(service_client, app, client_secret, user.email, PASSWORD)

    assert response.status_code == 200


def test_wrong_client_secret_is_invalid_client(service_client, app, client_secret, trader_user):
    response = password_grant(service_client, app, "not-the-secret", trader_user.email, PASSWORD)

    assert response.status_code == 401
    assert response.get_json() == {
        "error": "invalid_client",
        "error_description": "Client authentication failed",
        "message": "Client authentication failed",
    }


def test_unknown_user_is_invalid_grant(service_client, app, client_secret, db):
    response = password_grant(service_client, app, client_secret, "not-an-email-user", PASSWORD)

    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid_grant",
        "error_description": WRONG_CREDENTIALS,
        "message": WRONG_CREDENTIALS,
    }


def test_refresh_grant_exchanges_tokens(service_client, app, client_secret, trader_user):
    first = password_grant(service_client, app, client_secret, trader_user.email, PASSWORD).get_json()

    response = token_request(
        service_client,
        grant_type="refresh_token",
        client_id=str(app.config["PASSWORD_CLIENT"]),
        client_secret=client_secret,
        refresh_token=first["refresh_token"],
    )
    again = token_request(
        service_client,
        grant_type="refresh_token",
        client_id=str(app.config["PASSWORD_CLIENT"]),
        client_secret=client_secret,
        refresh_token=first["refresh_token"],
    )

    assert response.status_code == 200
    assert response.get_json()["access_token"] != first["access_token"]
    assert again.status_code == 400


def test_client_secret_stored_in_oauth_clients_is_accepted(service_client, app, trader_user, db):
    db.session.add(
        OAuthClient(
            id=app.config["PASSWORD_CLIENT"],
            name="Password Grant Client",
            secret=passwords.hash_password("stored-secret"),
            redirect="http://localhost",
            personal_access_client=False,
            password_client=True,
            revoked=False,
        )
    )
    db.session.flush()

    accepted = password_grant(service_client, app, "stored-secret", trader_user.email, PASSWORD)
    rejected = password_grant(service_client, app, "other-secret", trader_user.email, PASSWORD)

    assert accepted.status_code == 200
    assert rejected.status_code == 401


def test_without_any_secret_every_client_is_rejected(service_client, app, trader_user):
    response = password_grant(service_client, app, "anything", trader_user.email, PASSWORD)

    assert response.status_code == 401


def test_unsupported_grant_type(service_client, app, client_secret, db):
    response = token_request(
        service_client, grant_type="client_credentials", client_id=str(app.config["PASSWORD_CLIENT"]),
        client_secret=client_secret,
    )

    assert response.status_code == 400
    assert response.get_json()["error"] == "unsupported_grant_type"


def test_token_endpoint_is_only_on_the_service_host(market_client, db):
    assert market_client.post("/oauth/token", data={}).status_code == 404


def test_token_endpoint_needs_no_csrf_token(service_client, app, client_secret, trader_user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = password_grant(service_client, app, client_secret, trader_user.email, PASSWORD)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

    assert response.status_code == 200
