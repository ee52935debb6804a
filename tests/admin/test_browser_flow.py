"""The money flow through the real service, in Chromium: print, send, record, request payment, pay.

A member of staff creates a printed batch and sends part of it to a centre in the admin portal, a
trader records some of the sent vouchers and requests payment for them in the trader app, and the
member of staff pays the request. The service runs in a subprocess with its own SQLite file, as in
the trader app's browser tests, whose service and browser set-up this module reuses.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="the browser tests need the `playwright` package (the `test` extra).")

from playwright.sync_api import expect  # noqa: E402

from tests.market.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    ROOT,
    LiveService,
    free_port,
    run_flask,
    service_environment,
)
from tests.market.helpers import expect_outcome, numbers_of, type_code  # noqa: E402

SCREENSHOTS = Path(os.environ.get("ARC_ADMIN_SCREENSHOT_DIR", "/tmp/admin-flow-shots"))
DESKTOP = {"width": 1280, "height": 900}

# The batch the member of staff prints, the part of it sent to the centre, and the part the trader records.
BATCH_START, BATCH_END = 100, 119
SENT_END = 109
RECORDED = 3


@pytest.fixture(scope="module")
def chromium_path():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing; run scripts/install-browser to run the admin portal's browser test.")
    return CHROMIUM


@pytest.fixture(scope="module")
def seeded_database(chromium_path, tmp_path_factory):
    """Return a SQLite file migrated to the newest schema and seeded by ``tests.admin.browser_seed``, and the seed's data."""
    path = tmp_path_factory.mktemp("admin-flow-template") / "arc.sqlite"
    environment = service_environment(path, 0)
    migrated = run_flask(["db", "upgrade"], environment)
    assert migrated.returncode == 0, migrated.stderr
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.admin.browser_seed"],
        env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr
    return path, json.loads(seeded.stdout.strip().splitlines()[-1])


@pytest.fixture
def live_service(seeded_database, tmp_path):
    """Run the real service on a free loopback port with a copy of the seeded database, and stop it after the test."""
    template, data = seeded_database
    database_path = tmp_path / "arc.sqlite"
    shutil.copyfile(template, database_path)
    log_path = tmp_path / "service.log"
    log_path.touch()
    service = LiveService(port=free_port(), database_path=database_path, process=None, log_path=log_path, data=data)
    try:
        service.start()
        yield service
    finally:
        if service.process is not None:
            service.stop()


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open_page(browser, viewport, errors):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15000)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("console", lambda message: print(f"console {message.type}: {message.text} ({page.url})"))
    return context, page


@pytest.fixture
def pages(browser):
    """A desktop-sized page for the admin portal and a phone-sized one for the trader app, each in its own context."""
    errors = []
    admin_context, admin_page = _open_page(browser, DESKTOP, errors)
    trader_context, trader_page = _open_page(browser, PHONE, errors)
    yield admin_page, trader_page
    admin_context.close()
    trader_context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"


@pytest.fixture(scope="module")
def shots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()

    def save(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return save


def side_menu(page):
    return page.get_by_role("navigation", name="Admin sections")


def code(service, number):
    return f"{service.data['shortcode']}{number:05d}"


def history(service, voucher_code):
    return service.query(
        'SELECT voucher_states.transition, voucher_states."from", voucher_states."to", voucher_states.user_type, '
        "voucher_states.user_id, voucher_states.state_token_id, voucher_states.source "
        "FROM voucher_states JOIN vouchers ON vouchers.id = voucher_states.voucher_id "
        "WHERE vouchers.code = :code ORDER BY voucher_states.id",
        code=voucher_code,
    )


def voucher_row(service, voucher_code):
    rows = service.query(
        "SELECT currentstate, trader_id, delivery_id FROM vouchers WHERE code = :code", code=voucher_code
    )
    assert len(rows) == 1, voucher_code
    return rows[0]


def admin_logs_in(page, service, shots):
    page.goto(f"http://admin.localhost:{service.port}/login")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    shots(page, "01-admin-login")
    page.get_by_label("E-mail address").fill(service.data["admin_email"])
    page.get_by_label("Password").fill(service.data["password"])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Admin sections")).to_be_visible()
    shots(page, "02-admin-dashboard")


def admin_creates_batch(page, service, shots):
    data = service.data
    side_menu(page).get_by_role("link", name="Add voucher codes").click()
    page.get_by_label("Area", exact=True).select_option(label=f"{data['sponsor_name']} ({data['shortcode']})")
    page.get_by_label("Starting number").fill(str(BATCH_START))
    page.get_by_label("Ending number").fill(str(BATCH_END))
    shots(page, "03-create-batch-form")
    page.get_by_role("button", name="Create vouchers").click()

    created = BATCH_END - BATCH_START + 1
    expect(page.get_by_role("status")).to_contain_text(f"Created {created:,} printed vouchers")
    expect(page.get_by_role("status")).to_contain_text(data["sponsor_name"])
    shots(page, "04-batch-created")


def admin_sends_part_of_batch(page, service, shots):
    data = service.data
    side_menu(page).get_by_role("link", name="Send vouchers").click()
    page.get_by_label("Centre", exact=True).select_option(label=data["centre_name"])
    page.get_by_label("Start voucher").fill(code(service, BATCH_START))
    page.get_by_label("End voucher").fill(code(service, SENT_END))
    shots(page, "05-send-vouchers-form")
    page.get_by_role("button", name="Create Delivery").click()

    sent = SENT_END - BATCH_START + 1
    status = page.get_by_role("status")
    expect(status).to_contain_text(f"Sent {sent} vouchers")
    expect(status).to_contain_text(f"to {data['centre_name']}")
    expect(page.get_by_role("main")).to_contain_text(data["centre_name"])
    shots(page, "06-vouchers-sent")


def trader_records_and_requests_payment(page, service, codes, shots):
    data = service.data
    page.goto(service.market_url + "/login")
    page.fill("#email", data["user_email"])
    page.fill("#password", data["password"])
    page.click("button[type=submit]")
    # The user has one trader, so the app chooses it and goes straight to typing codes.
    expect(page.locator("h1")).to_have_text("Type a voucher code")
    for voucher_code in codes:
        type_code(page, numbers_of(voucher_code, data["shortcode"]))
        expect_outcome(page, voucher_code, "Voucher is valid")
    shots(page, "07-trader-codes-recorded")

    page.click("a[data-tab=payment]")
    expect(page.locator("#voucher-list li")).to_have_count(len(codes))
    page.click("#request-payment")
    expect(page.locator("#confirm-payment")).to_contain_text(f"Ask to be paid £{len(codes)} for {len(codes)} vouchers?")
    page.click("#confirm-payment-yes")
    expect(page.locator("h1")).to_have_text("Payment requested")
    shots(page, "08-trader-payment-requested")


def admin_pays_request(page, service, codes, shots):
    data = service.data
    side_menu(page).get_by_role("link", name="Payment requests", exact=True).click()
    expect(page.locator("h1")).to_have_text("Payment Requests")
    request_row = page.locator("#paymentRequests tbody.request.pending")
    expect(request_row).to_have_count(1)
    header = request_row.locator("tr").first
    expect(header.get_by_role("rowheader")).to_have_text(data["trader_name"])
    expect(header).to_contain_text(data["market_name"])
    expect(header).to_contain_text(data["user_name"])
    expect(header.locator("td.number")).to_have_text(str(len(codes)))
    expect(request_row.locator("tr.sub-row")).to_contain_text(data["sponsor_name"])
    shots(page, "09-payment-requests")

    page.get_by_role("link", name=f"Pay Request from {data['trader_name']}").click()
    details = page.locator("dl.details")
    expect(details).to_contain_text(data["user_name"])
    expect(details).to_contain_text(f"{len(codes)}, of which {len(codes)} waiting for payment")
    expect(details).to_contain_text("Waiting for payment")
    listed = page.locator("#requestVouchers tbody tr")
    expect(listed).to_have_count(len(codes))
    for voucher_code in codes:
        expect(listed.filter(has_text=voucher_code)).to_contain_text("Requested")
    shots(page, "10-payment-request")

    page.get_by_role("button", name=f"Pay {len(codes)} Vouchers").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Vouchers Paid! {len(codes)} vouchers marked as paid, and the request from {data['user_name']} is closed."
    )
    expect(page.locator("#paymentRequests tbody.request.pending")).to_have_count(0)
    paid_row = page.locator("#paymentRequests tbody.request.paid")
    expect(paid_row).to_have_count(1)
    expect(paid_row).to_contain_text("Paid")
    expect(page.get_by_role("link", name="Payment requests (some are waiting)")).to_have_count(0)
    shots(page, "11-request-paid")

    page.get_by_role("link", name=f"View paid request from {data['trader_name']}").click()
    expect(page.locator("dl.details")).to_contain_text(f"{len(codes)}, of which 0 waiting for payment")
    expect(page.locator("dl.details dd").last).to_have_text("Paid")
    expect(page.get_by_role("button", name=f"Pay {len(codes)} Vouchers")).to_have_count(0)
    for voucher_code in codes:
        expect(page.locator("#requestVouchers tbody tr").filter(has_text=voucher_code)).to_contain_text("Paid")
    shots(page, "12-paid-request")


def admin_checks_voucher_and_trader_history(page, service, codes, shots):
    data = service.data
    page.get_by_role("link", name=codes[0]).click()
    expect(page.locator("dl.details")).to_contain_text("reimbursed")
    expect(page.locator("dl.details")).to_contain_text(data["trader_name"])
    expect(page.locator("dl.details")).to_contain_text(data["centre_name"])
    steps = page.locator("#voucherHistory tbody tr")
    expect(steps).to_have_count(4)
    expected = [
        ("dispatch", "printed", "dispatched", data["admin_name"]),
        ("collect", "dispatched", "recorded", data["user_name"]),
        ("confirm", "recorded", "payment_pending", data["user_name"]),
        ("payout", "payment_pending", "reimbursed", data["admin_name"]),
    ]
    for index, (transition, from_state, to_state, actor) in enumerate(expected):
        cells = steps.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(transition)
        expect(cells.nth(1)).to_have_text(from_state)
        expect(cells.nth(2)).to_have_text(to_state)
        expect(cells.nth(3)).to_contain_text(actor)
    shots(page, "13-voucher-history")

    page.goto(f"http://admin.localhost:{service.port}/payments/trader-payment-history/{data['trader_id']}")
    days = page.locator("#paymentHistory > tbody")
    expect(days).to_have_count(1)
    expect(days.locator("tr").first.locator("td.number").first).to_have_text(str(len(codes)))
    days.get_by_text(f"Show the {len(codes)} vouchers").click()
    for voucher_code in codes:
        expect(days.locator("table.nested tbody tr").filter(has_text=voucher_code)).not_to_contain_text("Not paid yet")
    shots(page, "14-trader-payment-history")


def check_database(service, codes):
    data = service.data
    admin, user = data["admin_id"], data["user_id"]

    tokens = service.query("SELECT id, user_id, admin_user_id FROM state_tokens")
    assert len(tokens) == 1
    token_id, token_user, token_admin = tokens[0]
    assert token_user == user
    assert token_admin == admin

    deliveries = service.query("SELECT id, centre_id, range FROM deliveries")
    assert len(deliveries) == 1
    delivery_id, centre_id, delivery_range = deliveries[0]
    assert centre_id == data["centre_id"]
    # The range is display text with the numbers unpadded.
    assert delivery_range == f"{data['shortcode']}{BATCH_START} - {data['shortcode']}{SENT_END}"

    for voucher_code in codes:
        state, trader_id, voucher_delivery = voucher_row(service, voucher_code)
        assert state == "reimbursed", voucher_code
        assert trader_id == data["trader_id"], voucher_code
        assert voucher_delivery == delivery_id, voucher_code
        assert history(service, voucher_code) == [
            ("dispatch", "printed", "dispatched", "AdminUser", admin, None, ""),
            ("collect", "dispatched", "recorded", "User", user, None, ""),
            ("confirm", "recorded", "payment_pending", "User", user, token_id, ""),
            ("payout", "payment_pending", "reimbursed", "AdminUser", admin, None, ""),
        ], voucher_code

    for number in range(BATCH_START + len(codes), SENT_END + 1):
        voucher_code = code(service, number)
        assert voucher_row(service, voucher_code) == ("dispatched", None, delivery_id), voucher_code
        assert history(service, voucher_code) == [
            ("dispatch", "printed", "dispatched", "AdminUser", admin, None, ""),
        ], voucher_code

    for number in range(SENT_END + 1, BATCH_END + 1):
        voucher_code = code(service, number)
        assert voucher_row(service, voucher_code) == ("printed", None, None), voucher_code
        assert history(service, voucher_code) == [], voucher_code

    total = service.query("SELECT COUNT(*) FROM vouchers")[0][0]
    assert total == BATCH_END - BATCH_START + 1


def test_batch_sent_recorded_and_paid(pages, live_service, shots):
    admin_page, trader_page = pages
    codes = [code(live_service, number) for number in range(BATCH_START, BATCH_START + RECORDED)]

    admin_logs_in(admin_page, live_service, shots)
    admin_creates_batch(admin_page, live_service, shots)
    admin_sends_part_of_batch(admin_page, live_service, shots)
    trader_records_and_requests_payment(trader_page, live_service, codes, shots)
    admin_pays_request(admin_page, live_service, codes, shots)
    admin_checks_voucher_and_trader_history(admin_page, live_service, codes, shots)
    check_database(live_service, codes)
