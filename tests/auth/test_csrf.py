"""Portal forms need a CSRF token; the trader API does not use one."""

import re

from tests.factories import PASSWORD


def form_token(client, path):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_login_without_token_is_refused(csrf_enabled, store_client, centre_user):
    response = store_client.post("/login", data={"email": centre_user.email, "password": PASSWORD})
    page = store_client.get("/login").get_data(as_text=True)

    assert response.status_code == 302
    assert "Your session expired" in page
    assert store_client.get("/dashboard").status_code == 302


def test_login_with_token_succeeds(csrf_enabled, store_client, centre_user):
    token = form_token(store_client, "/login")

    response = store_client.post(
        "/login", data={"email": centre_user.email, "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 302
    assert store_client.get("/dashboard").status_code == 200


def test_logout_without_token_keeps_session(csrf_enabled, service_client, admin_user):
    token = form_token(service_client, "/login")
    service_client.post("/login", data={"email": admin_user.email, "password": PASSWORD, "csrf_token": token})

    service_client.post("/logout")

    assert service_client.get("/").status_code == 200


def test_api_login_needs_no_token(csrf_enabled, service_client, trader_user):
    response = service_client.post("/api/login", json={"username": trader_user.email, "password": PASSWORD})

    assert response.status_code == 200


def test_security_headers_on_every_host(service_client, store_client, market_client):
    for client, path in ((service_client, "/login"), (store_client, "/login"), (market_client, "/")):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
