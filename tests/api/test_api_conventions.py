"""Conventions of the whole trader API: CORS, the rate limit and the client log."""

import csv
import json

import pytest



def test_cors_preflight_is_answered(service_client, db):
    response = service_client.options(
        "/api/traders",
        headers={
            "Origin": "http://market.localhost",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization, X-Requested-With",
        },
    )

    assert response.status_code == 204
    assert response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "http://market.localhost")
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()


def test_preflight_unknown_path_answered(service_client, db):
    response = service_client.options(
        "/api/no-such-thing",
        headers={"Origin": "http://market.localhost", "Access-Control-Request-Method": "GET"},
    )

    assert response.status_code == 204
    assert "Access-Control-Allow-Origin" in response.headers


def test_wrong_method_redirects_to_the_site_root(service_client, auth_headers, trader):
    response = service_client.delete(f"/api/traders/{trader.id}/vouchers", headers=auth_headers)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert response.data == b""


def test_cors_exposes_links_and_etag(service_client, auth_headers, trader):
    response = service_client.get(
        f"/api/traders/{trader.id}/voucher-history", headers={**auth_headers, "Origin": "http://market.localhost"}
    )

    exposed = {name.strip().lower() for name in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"links", "etag"} <= exposed


def test_portal_pages_send_no_cors_headers(service_client, db):
    response = service_client.get("/login", headers={"Origin": "http://market.localhost"})

    assert "Access-Control-Allow-Origin" not in response.headers


def test_production_allows_only_market_origin(app):
    from arc.api.cors import allowed_origins

    config = {**app.config, "APP_ENV": "production", "ARC_MARKET_DOMAIN": "voucher.example.org"}

    assert allowed_origins(config) == ["https://voucher.example.org"]


def test_sixty_requests_a_minute_per_user(service_client, auth_headers):
    statuses = [service_client.get("/api/traders", headers=auth_headers).status_code for _ in range(61)]
    limited = service_client.get("/api/traders", headers=auth_headers)

    assert statuses[:59] == [200] * 59
    assert limited.status_code == 429
    assert limited.get_json() == {"message": "Too Many Attempts."}
    assert "Retry-After" in limited.headers


def test_rate_limit_headers_on_normal_responses(service_client, auth_headers):
    response = service_client.get("/api/traders", headers=auth_headers)

    assert response.headers["X-RateLimit-Limit"] == "60"
    assert int(response.headers["X-RateLimit-Remaining"]) < 60


@pytest.fixture
def market_log(app, tmp_path):
    path = tmp_path / "market-app.log"
    configured = app.config["ARC_MARKET_LOG"]
    app.config["ARC_MARKET_LOG"] = str(path)
    yield path
    app.config["ARC_MARKET_LOG"] = configured


def test_log_stores_entries_and_returns_keys(service_client, auth_headers, market_log):
    entries = {
        "3f5a": {"config": {"url": "/traders"}, "status": 200, "created": "2026-12-01 10:00", "trader": 4},
        "9b0c": {"message": "Network Error"},
    }

    response = service_client.put("/api/log", json=entries, headers=auth_headers)

    assert response.get_json() == ["3f5a", "9b0c"]
    rows = list(csv.reader(market_log.open(encoding="utf-8")))
    assert rows[0][:4] == ["3f5a", "/traders", "200", "2026-12-01 10:00"]
    assert json.loads(rows[0][4]) == entries["3f5a"]
    assert rows[0][5] == "4"
    assert rows[1][1:4] == ["", "-1", ""]


@pytest.mark.parametrize("body", [b"not json", b"42", b"{}"], ids=["not json", "scalar", "empty object"])
def test_log_with_nothing_to_store_returns_empty_list(service_client, auth_headers, market_log, body):
    response = service_client.put("/api/log", data=body, headers={**auth_headers, "Content-Type": "application/json"})

    assert response.status_code == 200
    assert response.get_json() == []


def test_log_accepts_a_list(service_client, auth_headers, market_log):
    response = service_client.put("/api/log", json=[{"status": 500}, {"status": 404}], headers=auth_headers)

    assert response.get_json() == [0, 1]


def test_log_needs_token(service_client, db):
    assert service_client.put("/api/log", json={}).status_code == 401
