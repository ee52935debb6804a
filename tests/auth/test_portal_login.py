"""Logging in to the admin and store portals."""

import pytest

from arc import clock
from tests import factories
from tests.factories import PASSWORD

PORTALS = {
    "admin": ("service_client", "admin_user", "/"),
    "store": ("store_client", "centre_user", "/dashboard"),
}


@pytest.fixture(params=sorted(PORTALS))
def portal(request):
    client_fixture, user_fixture, home = PORTALS[request.param]
    return request.getfixturevalue(client_fixture), request.getfixturevalue(user_fixture), home


def post_login(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def test_login_redirects_home(portal):
    client, user, home = portal

    response = post_login(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_wrong_password_shows_error(portal):
    client, user, _home = portal

    response = post_login(client, user.email, "wrong-password")
    page = client.get("/login").get_data(as_text=True)

    assert response.status_code == 200
    assert "These credentials do not match our records." in response.get_data(as_text=True) + page
    assert client.get(_home).status_code == 302


def test_invalid_email_is_a_field_error(portal):
    client, _user, _home = portal

    response = post_login(client, "not-an-email", PASSWORD)

    assert response.status_code == 200
    assert "Invalid email address." in response.get_data(as_text=True)


def test_disabled_user_cannot_log_in(portal, db):
    client, user, home = portal
    user.deleted_at = clock.now()
    db.session.flush()

    post_login(client, user.email, PASSWORD)

    assert client.get(home).status_code == 302


def test_protected_page_redirects_to_login(portal):
    client, _user, home = portal

    response = client.get(home)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_ends_session(portal):
    client, user, home = portal
    post_login(client, user.email, PASSWORD)

    response = client.post("/logout")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get(home).status_code == 302


def test_logout_by_get_keeps_login(portal):
    client, user, home = portal
    post_login(client, user.email, PASSWORD)

    response = client.get("/logout")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get(home).status_code == 200


def test_login_follows_local_next_only(portal):
    client, user, home = portal

    local = client.post(f"/login?next={home}", data={"email": user.email, "password": PASSWORD})
    client.post("/logout")
    foreign = client.post("/login?next=//evil.example/", data={"email": user.email, "password": PASSWORD})

    assert local.headers["Location"] == home
    assert foreign.headers["Location"] == home


def test_sixth_failure_locks_even_the_right_password(portal):
    client, user, home = portal
    for _attempt in range(5):
        post_login(client, user.email, "wrong-password")

    response = post_login(client, user.email, PASSWORD)

    assert "Too many login attempts" in response.get_data(as_text=True)
    assert client.get(home).status_code == 302


def test_admin_cannot_use_store_session(service_client, store_client, admin_user, db):
    """An admin's credentials do not open the store portal, and a store session does not open admin."""
    worker = factories.make_centre_user()

    store_response = post_login(store_client, admin_user.email, PASSWORD)
    post_login(store_client, worker.email, PASSWORD)
    admin_page = service_client.get("/")

    assert store_response.status_code == 200
    assert admin_page.status_code == 302


def test_session_cookie_is_httponly_and_strict(service_client, admin_user):
    response = post_login(service_client, admin_user.email, PASSWORD)

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


def test_trader_app_user_cannot_log_in_to_portals(service_client, store_client, trader_user):
    post_login(service_client, trader_user.email, PASSWORD)
    post_login(store_client, trader_user.email, PASSWORD)

    assert service_client.get("/").status_code == 302
    assert store_client.get("/dashboard").status_code == 302
