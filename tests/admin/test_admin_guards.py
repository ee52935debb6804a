"""Every admin page refuses anyone who is not a logged-in member of staff.

The test walks the URL map of the service host, so a new admin route is covered without editing it.
"""

import pytest

from tests import factories
from tests.conftest import SERVICE_HOST
from tests.factories import PASSWORD

# Pages a visitor needs before logging in.
PUBLIC_ENDPOINTS = {"admin.login", "admin.static"}
PUBLIC_PREFIXES = ("admin.password",)


def admin_routes(app):
    """Yield (method, path) for every admin rule, with 1 for each path variable."""
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        if any(rule.endpoint.startswith(prefix) for prefix in PUBLIC_PREFIXES):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<{argument}>", "1")
            for converter in ("int", "string", "path", "uuid"):
                path = path.replace(f"<{converter}:{argument}>", "1")
        path = _strip_converters(path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def _strip_converters(path):
    # Converters with arguments, such as <int(max=4294967295):id>, also become 1.
    while "<" in path:
        start = path.index("<")
        end = path.index(">", start)
        path = path[:start] + "1" + path[end + 1 :]
    return path


def assert_refused(response, method, path):
    """Check the request was sent to the login page, before any id in the path was looked up."""
    assert response.status_code == 302, f"{method} {path}: {response.status_code}"
    assert response.headers["Location"].startswith("/login"), f"{method} {path} went to {response.headers['Location']}"


def test_admin_routes_exist(app):
    assert len(list(admin_routes(app))) >= 30


def test_anonymous_visitors_are_refused(app, service_client):
    for method, path in admin_routes(app):
        assert_refused(service_client.open(path, method=method), method, path)


def test_centre_user_session_is_refused(app, service_client, db):
    worker = factories.make_centre_user()
    with service_client.session_transaction(base_url=f"http://{SERVICE_HOST}") as session:
        session["_user_id"] = f"centre:{worker.id}"
        session["_fresh"] = True

    for method, path in admin_routes(app):
        assert_refused(service_client.open(path, method=method), method, path)


def test_trader_app_token_is_refused(app, service_client, trader_user):
    token = service_client.post("/api/login", json={"username": trader_user.email, "password": PASSWORD})
    headers = {"Authorization": "Bearer " + token.get_json()["access_token"]}

    for method, path in admin_routes(app):
        assert_refused(service_client.open(path, method=method, headers=headers), method, path)


@pytest.mark.parametrize("kind", ["admin", "centre"])
def test_logged_in_admin_reaches_dashboard_only_as_admin(service_client, admin_user, db, kind):
    worker = factories.make_centre_user()
    user_id = f"admin:{admin_user.id}" if kind == "admin" else f"centre:{worker.id}"
    with service_client.session_transaction(base_url=f"http://{SERVICE_HOST}") as session:
        session["_user_id"] = user_id
        session["_fresh"] = True

    response = service_client.get("/")

    assert response.status_code == (200 if kind == "admin" else 302)
