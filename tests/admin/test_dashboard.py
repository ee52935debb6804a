"""The admin dashboard, and who may open the voucher, delivery, payment and data pages."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.admin.voucher_data import page_of
from tests.factories import PASSWORD, password_hash

# The modules whose routes must refuse everyone but a logged-in admin.
GUARDED_MODULES = ("arc.admin.vouchers", "arc.admin.deliveries", "arc.admin.payments", "arc.admin.data")
SAMPLE_ARGUMENTS = {"voucher_id": 1, "trader_id": 1, "uuid": "some-request"}


def guarded_routes(app):
    """Return ``(method, path)`` for every route of the guarded modules, and the dashboard."""
    routes = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if view.__module__ not in GUARDED_MODULES and rule.endpoint != "admin.dashboard":
            continue
        path = rule.rule
        for name, value in SAMPLE_ARGUMENTS.items():
            path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path))
    return routes


def test_guarded_routes_are_found(app):
    routes = guarded_routes(app)

    assert ("GET", "/") in routes
    assert ("PATCH", "/vouchers") in routes
    assert ("PUT", "/payments/payment-request/some-request") in routes
    assert ("POST", "/data/reset") in routes
    assert len(routes) >= 20


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_anonymous_is_sent_to_login(app, service_client):
    for method, path in guarded_routes(app):
        assert_sent_to_login(service_client.open(path, method=method))


def test_centre_worker_session_is_refused(app, service_client, centre_user):
    with service_client.session_transaction() as session:
        session["_user_id"] = centre_user.get_id()
        session["_fresh"] = True

    for method, path in guarded_routes(app):
        assert_sent_to_login(service_client.open(path, method=method))


def test_trader_app_token_is_refused(app, service_client, api_token):
    headers = {"Authorization": f"Bearer {api_token}"}

    for method, path in guarded_routes(app):
        assert_sent_to_login(service_client.open(path, method=method, headers=headers))


def test_dashboard_lists_tasks(logged_in_admin, admin_user):
    response = logged_in_admin.get("/")

    page = page_of(response)
    links = {link.text: link.attrs["href"] for link in page.find_all("a")}
    assert response.status_code == 200
    assert page.find("h1").text == "Rosie Admin Dashboard"
    assert f"Welcome, {admin_user.name}." in page.find("p", class_="lead").text
    assert links["Add voucher codes"] == "/vouchers/create"
    assert links["Send vouchers"] == "/deliveries/create"
    assert links["View and pay payment requests"] == "/payments"


def test_dashboard_shows_no_payment_notice_without_requests(logged_in_admin):
    page = page_of(logged_in_admin.get("/"))

    assert page.find("p", class_="notice") is None
    assert page.find("a", href="/payments").classes == []


@pytest.mark.parametrize("path", ["/", "/vouchers", "/deliveries/create", "/payments"])
def test_admin_pages_have_side_menu(logged_in_admin, path):
    page = page_of(logged_in_admin.get(path))

    menu = page.find("nav", class_="side-menu")
    assert menu is not None
    assert page.find("a", href="/vouchers/void").text == "Void voucher codes"


def test_database_failure_shows_message(logged_in_admin, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from arc.vouchers import listing

    def fail(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("Lost connection to server during query"))

    monkeypatch.setattr(listing, "list_vouchers", fail)

    response = logged_in_admin.get("/vouchers")

    assert response.status_code == 503
    assert "The database is not available just now" in response.get_data(as_text=True)


def test_logout_ends_on_login_page(logged_in_admin):
    response = logged_in_admin.post("/logout", follow_redirects=True)

    assert response.status_code == 200
    assert response.request.path == "/login"



# Logging in through a real browser (skipped when Chromium or Playwright is missing).

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(port, process):
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, "the service stopped while starting"
        request = urllib.request.Request(f"http://127.0.0.1:{port}/login", headers={"Host": f"admin.localhost:{port}"})
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"The service did not answer within {START_TIMEOUT_SECONDS} s.")


@pytest.fixture
def live_admin_service(tmp_path):
    """The service in a subprocess on a free loopback port, on its own SQLite file with one admin."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing; run scripts/install-browser to run the browser tests.")
    pytest.importorskip("playwright", reason="the browser tests need the `playwright` package (the `test` extra).")
    port = free_port()
    database = tmp_path / "arc.sqlite"
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("ARC_TEST_", "REDIS_URL"))}
    environment.update(
        APP_ENV="development",
        DATABASE_URL=f"sqlite:///{database}",
        ARC_SERVICE_DOMAIN=f"admin.localhost:{port}",
        ARC_STORE_DOMAIN=f"store.localhost:{port}",
        ARC_MARKET_DOMAIN=f"market.localhost:{port}",
        MAIL_HOST="",
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    upgraded = subprocess.run([*flask, "db", "upgrade"], env=environment, cwd=ROOT, capture_output=True, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO admin_users (name, email, password) VALUES ('Browser Admin', 'browser@example.org', :hash)"),
            {"hash": password_hash()},
        )
    engine.dispose()

    with open(tmp_path / "service.log", "w") as log:
        process = subprocess.Popen(
            [*flask, "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"],
            env=environment, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(port, process)
        yield f"http://admin.localhost:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_browser_login_reaches_dashboard(live_admin_service):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="en-GB")
            page.goto(f"{live_admin_service}/login")
            page.get_by_label("E-mail address").fill("browser@example.org")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()

            page.get_by_role("heading", name="Rosie Admin Dashboard").wait_for()
            assert page.url == f"{live_admin_service}/"
            assert page.get_by_text("Welcome, Browser Admin.").is_visible()
        finally:
            browser.close()
