def test_admin_login_page_renders(service_client):
    response = service_client.get("/login")
    assert response.status_code == 200


def test_api_login_issues_tokens(service_client, trader_user):
    from tests.factories import PASSWORD

    response = service_client.post("/api/login", json={"username": trader_user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert set(response.get_json()) == {"access_token", "expires_in", "refresh_token"}
