"""Recording voucher codes in the trader app: with a signal, without one, and after a crash."""

import re

from playwright.sync_api import expect

from tests.market.helpers import (
    expect_outcome,
    history_rows,
    log_in,
    log_in_for_typing,
    numbers_of,
    queue_item,
    type_code,
)

VALID = "Voucher is valid"
INVALID = "The voucher code you have added is incorrect. Please check the numbers and the letters and try again."
RECORDED = "Voucher recorded."
RECORDED_EARLIER = "It reached the service on an earlier try"


def test_valid_invalid_and_duplicate_codes(page, live_service):
    codes = live_service.data["codes"]
    shortcode = live_service.data["shortcode"]
    log_in_for_typing(page, live_service)

    expect(page.locator("#voucher-letters")).to_have_value(shortcode)
    type_code(page, numbers_of(codes[0], shortcode))
    expect(page.locator("#record-message")).to_contain_text(f"Done: {codes[0]} {VALID}")
    type_code(page, "77777777")
    expect(page.locator("#record-message")).to_contain_text(f"Problem: {shortcode}77777777 {INVALID}")
    type_code(page, numbers_of(codes[0], shortcode))
    expect(page.locator("#record-message")).to_contain_text(f"You have already submitted voucher code {codes[0]}.")

    rows = page.locator("#queue-list li")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Check: You have already submitted")
    expect(rows.nth(1)).to_contain_text(f"Problem: {INVALID}")
    expect(rows.nth(2)).to_contain_text(f"Done: {VALID}")
    assert len(history_rows(live_service, codes[0], "recorded")) == 1


def test_empty_numbers_are_not_sent(page, live_service):
    log_in_for_typing(page, live_service)

    page.click("#add-voucher")

    expect(page.locator("#record-message")).to_contain_text("Enter the numbers from the voucher.")
    expect(page.locator("#queue-list li")).to_have_count(0)


def test_offline_codes_are_sent_once_when_online(page, context, live_service):
    codes = live_service.data["codes"][:3]
    shortcode = live_service.data["shortcode"]
    log_in_for_typing(page, live_service)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    for code in codes:
        type_code(page, numbers_of(code, shortcode))
        expect(queue_item(page, code)).to_contain_text("Waiting to be sent")
    expect(page.locator("#record-message")).to_contain_text("There is no signal")
    expect(page.locator("#connection")).to_contain_text("No signal.")
    expect(page.locator("#connection")).to_contain_text("3 codes waiting to be sent.")

    # Closing and opening the app without a signal keeps the codes: the page comes from the
    # service worker's cache and the codes from IndexedDB.
    page.reload()
    expect(page.locator("#connection")).to_contain_text("3 codes waiting to be sent.")
    context.set_offline(False)

    for code in codes:
        expect_outcome(page, code, RECORDED, timeout=30000)
    expect(page.locator("#connection")).to_be_hidden()
    for code in codes:
        assert len(history_rows(live_service, code, "recorded")) == 1, code
    jobs = live_service.query("SELECT input FROM job_statuses")
    assert len(jobs) == 1
    for code in codes:
        assert code in jobs[0].input


def test_offline_batch_reports_each_code(page, context, live_service):
    codes = live_service.data["codes"]
    shortcode = live_service.data["shortcode"]
    log_in_for_typing(page, live_service)
    type_code(page, numbers_of(codes[0], shortcode))
    expect_outcome(page, codes[0], VALID)

    context.set_offline(True)
    type_code(page, numbers_of(codes[1], shortcode))
    type_code(page, "55555555")
    expect(page.locator("#connection")).to_contain_text("2 codes waiting to be sent.")
    context.set_offline(False)

    expect_outcome(page, codes[1], RECORDED, timeout=30000)
    expect_outcome(page, f"{shortcode}55555555", "Not recorded: this code is incorrect or has been used already.")


def test_same_code_twice_offline_is_kept_once(page, context, live_service):
    code = live_service.data["codes"][0]
    shortcode = live_service.data["shortcode"]
    log_in_for_typing(page, live_service)

    context.set_offline(True)
    type_code(page, numbers_of(code, shortcode))
    type_code(page, numbers_of(code, shortcode))

    expect(page.locator("#record-message")).to_contain_text("is already on this phone, waiting to be sent")
    expect(page.locator("#queue-list li")).to_have_count(1)


IMPORT_STORE = "const store = await import('/static/js/store.js');"


def leave_code_mid_send(page, trader_id, code):
    """Store a code as if a page that is now gone had been sending it when it closed."""
    page.evaluate(
        f"""async () => {{
          {IMPORT_STORE}
          const [entry] = await store.addCodes({trader_id}, ["{code}"]);
          await store.updateCodes([entry.id], (stored) => Object.assign(stored, {{ state: store.SENDING, session: "closed-page" }}));
        }}"""
    )


def test_code_abandoned_mid_send_is_sent_again(page, live_service):
    code = live_service.data["codes"][4]
    log_in_for_typing(page, live_service)
    leave_code_mid_send(page, live_service.data["trader_id"], code)

    page.reload()

    # The service had not received it. On a slow machine the app's first try after the reload can
    # time out after the service recorded it, so the retry then reports an earlier arrival. Either
    # way the code is recorded exactly once.
    expect_outcome(page, code, re.compile(f"{VALID}|{RECORDED_EARLIER}"), timeout=30000)
    assert len(history_rows(live_service, code, "recorded")) == 1


def test_abandoned_code_already_received_is_not_recorded_twice(page, live_service):
    code = live_service.data["codes"][5]
    log_in_for_typing(page, live_service)
    # The first send reached the service, but the app closed before the reply came back.
    response = page.evaluate(
        f"""async () => {{
          const api = await import('/static/js/api.js');
          const reply = await api.post('/vouchers', {{trader_id: {live_service.data["trader_id"]}, transition: 'collect', vouchers: ['{code}']}});
          return reply.body;
        }}"""
    )
    assert response == {"message": VALID}
    leave_code_mid_send(page, live_service.data["trader_id"], code)

    page.reload()

    expect_outcome(page, code, RECORDED_EARLIER, timeout=30000)
    assert len(history_rows(live_service, code, "recorded")) == 1


def test_codes_from_previous_app_are_imported(page, live_service):
    code = live_service.data["codes"][6]
    log_in_for_typing(page, live_service)
    page.evaluate(
        f"""() => {{
          const trader = JSON.parse(localStorage.getItem('Store.trader'));
          trader.vouchers = [{{code: '{code}', online: false}}];
          localStorage.setItem('Store.trader', JSON.stringify(trader));
        }}"""
    )

    page.reload()

    expect_outcome(page, code, VALID, timeout=30000)
    stored = page.evaluate("JSON.parse(localStorage.getItem('Store.trader')).vouchers")
    assert stored == []
    assert len(history_rows(live_service, code, "recorded")) == 1


def test_scan_only_trader_has_no_typing(page, live_service):
    log_in(page, live_service, choose=live_service.data["scan_trader_name"])

    expect(page.locator("h1")).to_have_text("Scan a voucher")
    expect(page.locator("#tab-record")).to_be_hidden()
    expect(page.locator("#no-camera")).to_contain_text("cannot read barcodes with the camera")
    expect(page.locator("#no-camera a")).to_have_count(0)
    page.goto(live_service.market_url + "/")
    expect(page.locator("h1")).to_have_text("Scan a voucher")


def test_scan_only_trader_cannot_type_into_scanner_box(page, live_service):
    code = live_service.data["scan_codes"][0]
    log_in(page, live_service, choose=live_service.data["scan_trader_name"])

    page.locator("#scanner-input").press_sequentially(code, delay=120)
    page.locator("#scanner-input").press("Enter")
    expect(page.locator("#scan-message")).to_contain_text("That looked like typing.")

    # A handheld scanner types the whole code at once.
    page.fill("#scanner-input", code)
    page.locator("#scanner-input").press("Enter")
    expect_outcome(page, code, VALID)


FAKE_BARCODE_DETECTOR = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ['code_128', 'qr_code']; }
  constructor(options) { this.options = options; }
  async detect(source) {
    const value = localStorage.getItem('fake-barcode');
    return value ? [{ rawValue: value, format: 'code_128' }] : [];
  }
};
"""


def test_camera_scan_records_code_once(page, context, live_service):
    code = live_service.data["codes"][7]
    context.add_init_script(FAKE_BARCODE_DETECTOR)
    log_in(page, live_service)
    page.click("a[data-tab=scan]")

    page.click("#camera-button")
    expect(page.locator("#camera-button")).to_have_text("Stop camera")
    page.evaluate(f"localStorage.setItem('fake-barcode', ' {code.lower()} ')")

    expect_outcome(page, code, VALID)
    # The voucher stays in front of the camera: it is read in many frames but recorded once.
    page.wait_for_timeout(1500)
    page.evaluate("localStorage.removeItem('fake-barcode')")
    page.click("#camera-button")
    expect(page.locator("#queue-list li")).to_have_count(1)
    assert len(history_rows(live_service, code, "recorded")) == 1
