"""A queued submission processed by a real RQ worker process, then polled to its result."""

import os
import subprocess
import sys

import pytest
from redis import Redis

from arc.extensions import db
from arc.vouchers.models import Voucher
from tests.conftest import SERVICE_HOST


@pytest.fixture
def redis_queue(app):
    url = os.environ.get("ARC_TEST_REDIS_URL")
    if not url:
        pytest.skip("Set ARC_TEST_REDIS_URL to run the queue tests against a real Redis.")
    connection = Redis.from_url(url)
    connection.flushdb()
    app.config["REDIS_URL"] = url
    yield url
    app.config["REDIS_URL"] = None
    connection.flushdb()


def run_worker_until_queue_is_empty(app, redis_url):
    environment = {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "ARC_SERVICE_DOMAIN": app.config["ARC_SERVICE_DOMAIN"],
        "ARC_STORE_DOMAIN": app.config["ARC_STORE_DOMAIN"],
        "ARC_MARKET_DOMAIN": app.config["ARC_MARKET_DOMAIN"],
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "arc", "worker", "--burst"],
        env=environment,
        cwd=os.path.dirname(app.root_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_worker_processes_queued_submission(app, redis_queue, committed):
    client = app.test_client()
    body = {"trader_id": committed["traders"][0], "transition": "collect", "vouchers": committed["codes"][:2]}
    queued = client.post(
        "/api/vouchers/transitions", json=body, headers=committed["headers"][0], base_url=f"http://{SERVICE_HOST}"
    ).get_json()
    before = client.get(f"/api/queue/{queued['id']}", headers=committed["headers"][0], base_url=f"http://{SERVICE_HOST}")

    worker = run_worker_until_queue_is_empty(app, redis_queue)
    after = client.get(f"/api/queue/{queued['id']}", headers=committed["headers"][0], base_url=f"http://{SERVICE_HOST}")
    result = client.get(
        f"/api/vouchers/transitions/{queued['id']}", headers=committed["headers"][0], base_url=f"http://{SERVICE_HOST}"
    )

    assert queued["status"] == "queued"
    assert before.status_code == 200
    assert worker.returncode == 0, worker.stderr
    assert after.status_code == 202
    assert result.get_json() == {
        "message": "Thanks! Your queue has been successfully submitted. 2 voucher(s) accepted, 0 duplicate(s) and 0 invalid."
    }
    with app.app_context():
        states = {v.currentstate for v in db.session.query(Voucher).filter(Voucher.id.in_(committed["vouchers"][:2]))}
        assert states == {"recorded"}


def test_worker_refuses_to_start_without_redis(runner):
    result = runner.invoke(args=["arc", "worker", "--burst"])

    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output
