"""Each blueprint answers on its own host only."""

import re

import pytest

from tests.conftest import MARKET_HOST, SERVICE_HOST, STORE_HOST

HOSTS = (SERVICE_HOST, STORE_HOST, MARKET_HOST)

# Paths that exist on one host only, with that host.
ROUTES = [
    ("GET", "/version", SERVICE_HOST),
    ("POST", "/api/login", SERVICE_HOST),
    ("GET", "/api/openapi.json", SERVICE_HOST),
    ("GET", "/dashboard", STORE_HOST),
]


@pytest.mark.parametrize("method,path,home", ROUTES)
@pytest.mark.parametrize("host", HOSTS)
def test_route_answers_only_on_its_host(service_client, method, path, home, host):
    response = service_client.open(path, method=method, base_url=f"http://{host}", json={})

    if host == home:
        assert response.status_code != 404
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(
    "host,expected",
    [(SERVICE_HOST, "/login"), (STORE_HOST, "/dashboard")],
)
def test_root_of_each_portal_leads_to_that_portal(service_client, host, expected):
    response = service_client.get("/", base_url=f"http://{host}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith(expected)


def test_root_of_market_host_is_trader_app(market_client):
    response = market_client.get("/")

    assert response.status_code == 200
    assert "Rose Vouchers for traders" in response.get_data(as_text=True)


def test_unknown_host_is_404(service_client):
    response = service_client.get("/login", base_url="http://elsewhere.localhost")

    assert response.status_code == 404


def test_every_rule_is_bound_to_a_configured_host(app):
    for rule in app.url_map.iter_rules():
        assert rule.host in HOSTS, rule.rule


def test_version_reports_service_version(service_client):
    response = service_client.get("/version")

    assert response.status_code == 200
    assert set(response.get_json()) == {"Service/API"}
    assert response.get_json()["Service/API"]


def test_api_404_is_json(service_client):
    response = service_client.get("/api/no-such-route")

    assert response.status_code == 404
    assert "message" in response.get_json()


def test_portal_404_is_a_page(store_client):
    response = store_client.get("/no-such-page")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Not Found" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", [SERVICE_HOST, STORE_HOST])
def test_portal_pages_load_the_double_submit_guard(service_client, host):
    page = service_client.get("/login", base_url=f"http://{host}").get_data(as_text=True)
    script = service_client.get("/static/forms.js", base_url=f"http://{host}")

    assert 'src="/static/forms.js"' in page
    assert script.status_code == 200
    assert "dataset.submitted" in script.get_data(as_text=True)


@pytest.mark.parametrize("client_name", ["service_client", "store_client"])
def test_portal_pages_name_an_icon_that_is_served(request, client_name):
    client = request.getfixturevalue(client_name)
    page = client.get("/login").get_data(as_text=True)
    href = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)

    response = client.get(href)

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
