"""Server errors seen by the trader app reach the service's client log."""

import csv
import json

from playwright.sync_api import expect

from tests.market.helpers import log_in_for_typing


def market_log_rows(service):
    path = service.database_path.parent / "market-app.log"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_server_error_reaches_client_log(page, live_service):
    log_in_for_typing(page, live_service)
    trader_id = live_service.data["trader_id"]

    page.route(
        "**/voucher-history*",
        lambda route: route.fulfill(status=500, content_type="application/json", body='{"message":"Server Error"}'),
        times=1,
    )
    page.click("a[data-tab=history]")
    expect(page.locator("h1")).to_have_text("Payment history")
    page.wait_for_function("Object.keys(JSON.parse(localStorage.getItem('arcLogs') || '{}')).length === 1")

    page.reload()
    expect(page.locator("h1")).to_have_text("Payment history")
    page.wait_for_function("Object.keys(JSON.parse(localStorage.getItem('arcLogs') || '{}')).length === 0")

    [row] = market_log_rows(live_service)
    key, url, status, created, entry, trader = row
    assert len(key) == 64
    assert url == f"{live_service.api_url}/traders/{trader_id}/voucher-history?page=1"
    assert (status, trader) == ("500", str(trader_id))
    assert json.loads(entry)["config"]["method"] == "GET"
    assert created


def note_a_failure(page):
    page.route(
        "**/voucher-history*",
        lambda route: route.fulfill(status=500, content_type="application/json", body='{"message":"Server Error"}'),
        times=1,
    )
    page.click("a[data-tab=history]")
    page.wait_for_function("Object.keys(JSON.parse(localStorage.getItem('arcLogs') || '{}')).length === 1")


def test_failing_log_is_tried_once_then_waits(page, live_service):
    log_in_for_typing(page, live_service)
    attempts = []

    def reject(route):
        attempts.append(route.request.method)
        route.fulfill(status=503, content_type="application/json", body='{"message":"Service Unavailable"}')

    page.route("**/api/log", reject)
    note_a_failure(page)
    # Successful calls made in the page, without navigating away from a send in flight.
    for _ in range(3):
        page.evaluate("async () => (await import('/static/js/api.js')).get('/traders')")
        page.wait_for_function("localStorage.getItem('arcLogsRetryAt') !== null")
    page.wait_for_timeout(500)

    assert attempts == ["PUT"]
    assert page.evaluate("Object.keys(JSON.parse(localStorage.getItem('arcLogs') || '{}')).length") == 1


def test_log_refused_as_too_large_drops_the_notes(page, live_service):
    log_in_for_typing(page, live_service)
    page.route("**/api/log", lambda route: route.fulfill(status=413, content_type="application/json", body="{}"))
    note_a_failure(page)

    page.reload()
    page.wait_for_function("localStorage.getItem('arcLogs') === null")

    assert market_log_rows(live_service) == []


def test_failures_noted_together_are_all_kept(page, live_service):
    log_in_for_typing(page, live_service)

    count = page.evaluate(
        """async () => {
            const { noteFailure } = await import("/static/js/diagnostics.js");
            await Promise.all([1, 2, 3, 4, 5].map((number) => noteFailure("GET", `/example/${number}`, 502)));
            return Object.keys(JSON.parse(localStorage.getItem("arcLogs"))).length;
        }"""
    )

    assert count == 5


def test_forbidden_log_keeps_login(page, live_service):
    log_in_for_typing(page, live_service)
    page.route("**/api/log", lambda route: route.fulfill(status=403, content_type="application/json", body="{}"))
    note_a_failure(page)

    with page.expect_response("**/api/log"):
        page.reload()

    expect(page.locator("h1")).to_have_text("Payment history")
    assert page.evaluate("localStorage.getItem('NetMgr.token') !== null")
    assert page.evaluate("Object.keys(JSON.parse(localStorage.getItem('arcLogs') || '{}')).length") == 1


def test_retry_time_far_ahead_is_ignored(page, live_service):
    log_in_for_typing(page, live_service)
    page.evaluate("localStorage.setItem('arcLogsRetryAt', String(Date.now() + 365 * 24 * 3600 * 1000))")
    note_a_failure(page)

    page.reload()
    page.wait_for_function("Object.keys(JSON.parse(localStorage.getItem('arcLogs') || '{}')).length === 0")

    assert len(market_log_rows(live_service)) == 1
