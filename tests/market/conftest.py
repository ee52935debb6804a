"""Fixtures for the trader app's browser tests: the real service in a subprocess, and Chromium.

Each test gets a fresh service process on a free loopback port with its own SQLite file, a copy
of one migrated and filled with the data of ``tests.market.seed`` at the start of the session. A fresh
process also starts the API's per-minute request counts at zero. The browser is Debian's Chromium
(``scripts/install-browser``) driven by Playwright; the tests skip when it is not installed.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A fake camera that needs no permission prompt, for the scanning test.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("ARC_SCREENSHOT_DIR", "/tmp/pwa-shots"))
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveService:
    """A running service: its hosts, database file, process and the data seeded into it."""

    port: int
    database_path: Path
    process: subprocess.Popen | None
    log_path: Path
    data: dict = field(default_factory=dict)

    @property
    def market_url(self):
        return f"http://market.localhost:{self.port}"

    @property
    def api_url(self):
        return f"http://admin.localhost:{self.port}/api"

    def query(self, sql, **params):
        """Run a read-only SQL query on the service's database; returns the rows."""
        engine = sa.create_engine(f"sqlite:///{self.database_path}")
        try:
            with engine.connect() as connection:
                return connection.execute(sa.text(sql), params).all()
        finally:
            engine.dispose()

    def execute(self, sql, **params):
        """Change the service's database directly, for a test's given state."""
        engine = sa.create_engine(f"sqlite:///{self.database_path}")
        try:
            with engine.begin() as connection:
                connection.execute(sa.text(sql), params)
        finally:
            engine.dispose()

    def log(self):
        return self.log_path.read_text(errors="replace")

    def start(self, **settings):
        """Start the service process, with ``settings`` added to its environment."""
        environment = {**service_environment(self.database_path, self.port), **settings}
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1", "--port", str(self.port),
                 "--no-reload", "--no-debugger"],
                env=environment, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )
        _wait_until_serving(self)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def service_environment(database_path, port):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("ARC_TEST_", "REDIS_URL", "DATABASE_URL"))
    }
    environment.update(
        {
            "APP_ENV": "development",
            "DATABASE_URL": f"sqlite:///{database_path}",
            "ARC_SERVICE_DOMAIN": f"admin.localhost:{port}",
            "ARC_STORE_DOMAIN": f"store.localhost:{port}",
            "ARC_MARKET_DOMAIN": f"market.localhost:{port}",
            # No mail server: outside production the service writes each e-mail to its log instead.
            "MAIL_HOST": "",
            "ARC_MARKET_LOG": str(Path(database_path).parent / "market-app.log"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environment


def run_flask(arguments, environment, **options):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *arguments],
        env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120, **options,
    )


@pytest.fixture(scope="session")
def chromium_path():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing; run scripts/install-browser to run the trader app's browser tests.")
    pytest.importorskip("playwright", reason="the browser tests need the `playwright` package (the `test` extra).")
    return CHROMIUM


@pytest.fixture(scope="session")
def seeded_database(chromium_path, tmp_path_factory):
    """A SQLite file migrated to the newest schema and seeded, copied for each test; and the seed's data."""
    path = tmp_path_factory.mktemp("market-template") / "arc.sqlite"
    environment = service_environment(path, 0)
    migrated = run_flask(["db", "upgrade"], environment)
    assert migrated.returncode == 0, migrated.stderr
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.market.seed"], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert seeded.returncode == 0, seeded.stderr
    return path, json.loads(seeded.stdout.strip().splitlines()[-1])


def _wait_until_serving(service):
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"The service stopped while starting:\n{service.log()}")
        request = urllib.request.Request(f"http://127.0.0.1:{service.port}/", headers={"Host": f"market.localhost:{service.port}"})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"The service did not start serving within {START_TIMEOUT_SECONDS} s:\n{service.log()}")


@pytest.fixture
def live_service(seeded_database, tmp_path):
    """The real service on a free loopback port, with the seeded data; stopped after the test."""
    template, data = seeded_database
    database_path = tmp_path / "arc.sqlite"
    shutil.copyfile(template, database_path)
    port = free_port()

    log_path = tmp_path / "service.log"
    log_path.touch()
    service = LiveService(port=port, database_path=database_path, process=None, log_path=log_path, data=data)
    try:
        service.start()
        yield service
    finally:
        if service.process is not None:
            service.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Printed output is shown when a test fails.
    page.on("console", lambda message: print(f"console {message.type}: {message.text}"))
    page.on("requestfailed", lambda request: print(f"request failed: {request.method} {request.url} {request.failure}"))
    yield page
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
