"""Running queued mail jobs in a real RQ worker process that sends to an SMTP server on loopback.

Needs ``ARC_TEST_REDIS_URL``; tests that use ``redis_url`` are skipped without it.
"""

import os
import subprocess
import sys

import pytest
from redis import Redis

from tests.mail.smtp_server import HOST, start_server


@pytest.fixture
def redis_url(app):
    url = os.environ.get("ARC_TEST_REDIS_URL")
    if not url:
        pytest.skip("Set ARC_TEST_REDIS_URL to run the queue tests against a real Redis.")
    connection = Redis.from_url(url)
    connection.flushdb()
    app.config["REDIS_URL"] = url
    yield url
    app.config["REDIS_URL"] = None
    connection.flushdb()


@pytest.fixture
def smtp_server():
    server, handler = start_server()
    yield server, handler
    server.stop()


def run_worker(app, redis_url, smtp_port):
    """Run one RQ worker process until the queue is empty, sending mail to the loopback SMTP server."""
    environment = {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "ARC_SERVICE_DOMAIN": app.config["ARC_SERVICE_DOMAIN"],
        "ARC_STORE_DOMAIN": app.config["ARC_STORE_DOMAIN"],
        "ARC_MARKET_DOMAIN": app.config["ARC_MARKET_DOMAIN"],
        "MAIL_HOST": HOST,
        "MAIL_PORT": str(smtp_port),
        "MAIL_USE_TLS": "false",
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "arc", "worker", "--burst"],
        env=environment,
        cwd=os.path.dirname(app.root_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
