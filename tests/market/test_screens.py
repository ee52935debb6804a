"""Every screen of the trader app at phone size, with a screenshot, axe-core's accessibility rules
and touch-target sizes. Also the service worker, which keeps the app working offline."""

from playwright.sync_api import expect

from tests.market.helpers import (
    check_screen,
    expect_outcome,
    log_in,
    log_in_for_typing,
    numbers_of,
    type_code,
)
from tests.market.test_recording import FAKE_BARCODE_DETECTOR


def test_logged_out_screens(page, live_service, screenshots):
    page.goto(live_service.market_url + "/login")
    expect(page.locator("h1")).to_have_text("Log in")
    check_screen(page, screenshots, "01-login")

    page.fill("#email", live_service.data["email"])
    page.fill("#password", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator("#login-message")).to_contain_text("We did not recognise")
    check_screen(page, screenshots, "02-login-wrong-password")

    page.goto(live_service.market_url + "/lost-password")
    page.fill("#email", live_service.data["email"])
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.locator("#lost-password-message")).not_to_be_empty()
    check_screen(page, screenshots, "03-lost-password")

    page.goto(f"{live_service.market_url}/change-password?email={live_service.data['email']}&token=abc")
    expect(page.locator("h1")).to_have_text("Choose a new password")
    check_screen(page, screenshots, "04-change-password")


def test_recording_screens(page, context, live_service, screenshots):
    codes = live_service.data["codes"]
    shortcode = live_service.data["shortcode"]
    page.goto(live_service.market_url + "/login")
    page.fill("#email", live_service.data["email"])
    page.fill("#password", live_service.data["password"])
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Choose a trader")
    check_screen(page, screenshots, "05-choose-trader")
    page.get_by_label(live_service.data["trader_name"]).check()
    page.click("#continue")
    expect(page.locator("h1")).to_have_text("Type a voucher code")
    check_screen(page, screenshots, "06-type-code")

    type_code(page, numbers_of(codes[0], shortcode))
    expect_outcome(page, codes[0], "Voucher is valid")
    type_code(page, "77777777")
    expect_outcome(page, f"{shortcode}77777777", "incorrect")
    type_code(page, numbers_of(codes[0], shortcode))
    expect(page.locator("#queue-list li")).to_have_count(3)
    expect(page.locator("#queue-list li").first).to_have_attribute("data-state", "done")
    check_screen(page, screenshots, "07-type-code-outcomes")

    context.set_offline(True)
    type_code(page, numbers_of(codes[1], shortcode))
    type_code(page, numbers_of(codes[2], shortcode))
    expect(page.locator("#connection")).to_contain_text("2 codes waiting to be sent.")
    page.screenshot(path=str(screenshots / "08-offline-waiting.png"))
    page.screenshot(path=str(screenshots / "08-offline-waiting-full.png"), full_page=True)
    context.set_offline(False)
    expect(page.locator("#connection")).to_be_hidden(timeout=30000)
    check_screen(page, screenshots, "09-back-online")

    page.click("#menu-button")
    expect(page.locator("#logout-button")).to_be_visible()
    check_screen(page, screenshots, "10-menu")
    page.keyboard.press("Escape")

    page.click("a[data-tab=scan]")
    expect(page.locator("h1")).to_have_text("Scan a voucher")
    check_screen(page, screenshots, "11-scan-without-camera")


def test_payment_and_history_screens(page, live_service, screenshots):
    codes = live_service.data["codes"][:3]
    log_in_for_typing(page, live_service)
    for code in codes:
        type_code(page, numbers_of(code, live_service.data["shortcode"]))
        expect_outcome(page, code, "Voucher is valid")

    page.click("a[data-tab=payment]")
    expect(page.locator("#voucher-list li")).to_have_count(3)
    check_screen(page, screenshots, "12-payment")
    page.get_by_role("button", name=f"Remove {codes[0]}").click()
    check_screen(page, screenshots, "13-payment-remove")
    page.get_by_role("button", name="Keep it").click()
    page.click("#request-payment")
    check_screen(page, screenshots, "14-payment-confirm")
    page.click("#confirm-payment-yes")
    expect(page.locator("h1")).to_have_text("Payment requested")
    check_screen(page, screenshots, "15-payment-requested")

    page.get_by_role("link", name="See your payment history").click()
    expect(page.locator("section.day").first).to_contain_text("3 vouchers, £3")
    check_screen(page, screenshots, "16-history")
    page.locator("section.day").first.get_by_text("Show the voucher codes").click()
    page.locator("section.day").first.get_by_role("button", name="E-mail me this day's records").click()
    expect(page.locator("#day-0-message")).to_contain_text("Thanks, we've received your request")
    check_screen(page, screenshots, "17-history-open-day")


def test_scan_screens(page, context, live_service, screenshots):
    context.add_init_script(FAKE_BARCODE_DETECTOR)
    log_in(page, live_service, choose=live_service.data["scan_trader_name"])
    expect(page.locator("h1")).to_have_text("Scan a voucher")

    page.click("#camera-button")
    expect(page.locator("#camera-button")).to_have_text("Stop camera")
    page.evaluate(f"localStorage.setItem('fake-barcode', '{live_service.data['scan_codes'][0]}')")
    expect_outcome(page, live_service.data["scan_codes"][0], "Voucher is valid")
    page.evaluate("localStorage.removeItem('fake-barcode')")
    check_screen(page, screenshots, "18-scan-with-camera")


def test_service_worker_serves_app_offline(page, context, live_service):
    page.goto(live_service.market_url + "/login")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    version = page.get_attribute("meta[name=app-version]", "content")
    cached = page.evaluate("async () => (await caches.keys())")
    assert cached == [f"arc-trader-app-{version}"]

    context.set_offline(True)
    page.goto(live_service.market_url + "/lost-password")

    expect(page.locator("h1")).to_have_text("Forgotten your password?")
    expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") == "rgb(139, 15, 79)"


def test_new_version_takes_over_without_trader_action(page, live_service):
    page.goto(live_service.market_url + "/login")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    old_version = page.get_attribute("meta[name=app-version]", "content")

    # A deployment: the service restarts with another API address, so the app's files differ.
    live_service.stop()
    live_service.start(ARC_SERVICE_DOMAIN=f"api.localhost:{live_service.port}")
    with page.expect_event("load", timeout=20000):
        page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")

    expect(page.locator("h1")).to_have_text("Log in")
    new_version = page.get_attribute("meta[name=app-version]", "content")
    assert new_version != old_version
    assert page.get_attribute("body", "data-api-base") == f"//api.localhost:{live_service.port}/api"
    page.wait_for_function(f"async () => (await caches.keys()).join() === 'arc-trader-app-{new_version}'")


def test_new_version_waits_while_code_is_half_typed(page, live_service):
    log_in_for_typing(page, live_service)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    old_version = page.get_attribute("meta[name=app-version]", "content")
    page.fill("#voucher-numbers", "123")

    live_service.stop()
    live_service.start(ARC_SERVICE_DOMAIN=f"api.localhost:{live_service.port}")
    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    page.wait_for_function("async () => (await caches.keys()).length === 1 && !(await caches.keys())[0].endsWith(document.querySelector('meta[name=app-version]').content)")
    page.wait_for_timeout(500)
    expect(page.locator("#voucher-numbers")).to_have_value("123")
    assert page.get_attribute("meta[name=app-version]", "content") == old_version

    with page.expect_event("load"):
        page.click("a[data-tab=history]")
    expect(page.locator("h1")).to_have_text("Payment history")
    assert page.get_attribute("meta[name=app-version]", "content") != old_version
