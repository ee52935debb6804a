"""Requesting payment and reading the payment history in the trader app."""

from playwright.sync_api import expect

from tests.market.helpers import expect_outcome, history_rows, log_in_for_typing, numbers_of, type_code

VALID = "Voucher is valid"


def record_codes(page, service, count):
    shortcode = service.data["shortcode"]
    codes = service.data["codes"][:count]
    for code in codes:
        type_code(page, numbers_of(code, shortcode))
        expect_outcome(page, code, VALID)
    return codes


def test_request_payment_shows_market_message(page, live_service):
    log_in_for_typing(page, live_service)
    codes = record_codes(page, live_service, 2)

    page.click("a[data-tab=payment]")
    expect(page.locator("#payment-summary")).to_have_text("You have 2 vouchers waiting for payment, worth £2.")
    expect(page.locator("#voucher-list li")).to_have_count(2)
    page.click("#request-payment")
    expect(page.locator("#confirm-payment")).to_contain_text("Ask to be paid £2 for 2 vouchers?")
    page.click("#confirm-payment-yes")

    expect(page.locator("h1")).to_have_text("Payment requested")
    expect(page.locator("main")).to_contain_text(live_service.data["payment_message"])
    for code in codes:
        assert len(history_rows(live_service, code, "payment_pending")) == 1, code
    assert len(live_service.query("SELECT id FROM state_tokens WHERE user_id = :user", user=live_service.data["user_id"])) == 18


def test_payment_without_market_message_shows_default(page, live_service):
    live_service.execute("UPDATE markets SET payment_message = ''")
    log_in_for_typing(page, live_service)
    record_codes(page, live_service, 1)

    page.click("a[data-tab=payment]")
    page.click("#request-payment")
    page.click("#confirm-payment-yes")

    expect(page.locator("main")).to_contain_text("Please give your paper vouchers to your market representative.")


def test_payment_includes_codes_sent_after_signal_returns(page, context, live_service):
    code = live_service.data["codes"][3]
    log_in_for_typing(page, live_service)
    context.set_offline(True)
    type_code(page, numbers_of(code, live_service.data["shortcode"]))
    expect(page.locator("#connection")).to_contain_text("1 code waiting to be sent.")
    page.click("a[data-tab=payment]")
    expect(page.locator("#payment-phone-note")).to_contain_text("1 code waiting to be sent.")

    context.set_offline(False)
    # The list refreshes by itself once the service has recorded the code.
    expect(page.locator("#voucher-list li")).to_have_count(1, timeout=30000)
    expect(page.locator("#payment-phone-note")).to_be_hidden()
    page.click("#request-payment")
    page.click("#confirm-payment-yes")

    expect(page.locator("h1")).to_have_text("Payment requested")
    assert len(history_rows(live_service, code, "payment_pending")) == 1


def test_remove_voucher_needs_confirmation(page, live_service):
    log_in_for_typing(page, live_service)
    first, second = record_codes(page, live_service, 2)

    page.click("a[data-tab=payment]")
    page.get_by_role("button", name=f"Remove {first}").click()
    page.get_by_role("button", name="Keep it").click()
    expect(page.locator("#voucher-list li")).to_have_count(2)
    page.get_by_role("button", name=f"Remove {first}").click()
    page.get_by_role("button", name=f"Yes, remove {first}").click()

    expect(page.locator("#payment-message")).to_contain_text(f"{first} has been removed from your list.")
    expect(page.locator("#voucher-list li")).to_have_count(1)
    assert live_service.query("SELECT currentstate FROM vouchers WHERE code = :code", code=first)[0][0] == "dispatched"
    assert live_service.query("SELECT currentstate FROM vouchers WHERE code = :code", code=second)[0][0] == "recorded"


def test_history_pages_follow_links_header(page, live_service):
    log_in_for_typing(page, live_service)

    page.click("a[data-tab=history]")
    days = page.locator("section.day")
    expect(days).to_have_count(15)
    pager = page.get_by_role("navigation", name="Pages of payment history")
    expect(pager).to_contain_text("Page 1 of 2")
    expect(pager.get_by_role("button", name="Previous")).to_be_disabled()
    expect(pager.get_by_role("button", name="First")).to_be_disabled()
    pager.get_by_role("button", name="Next").click()

    expect(pager).to_contain_text("Page 2 of 2")
    expect(days).to_have_count(2)
    expect(pager.get_by_role("button", name="Next")).to_be_disabled()
    expect(pager.get_by_role("button", name="Previous")).to_be_enabled()
    first_day = days.first
    expect(first_day).to_contain_text("1 voucher, £1")
    first_day.get_by_text("Show the voucher codes").click()
    expect(first_day.locator("tbody th")).to_have_text(live_service.data["history_codes"][15])


def test_new_payment_request_appears_in_history(page, live_service):
    log_in_for_typing(page, live_service)
    record_codes(page, live_service, 3)
    page.click("a[data-tab=payment]")
    page.click("#request-payment")
    page.click("#confirm-payment-yes")

    page.get_by_role("link", name="See your payment history").click()

    newest = page.locator("section.day").first
    expect(newest).to_contain_text("3 vouchers, £3")


def test_email_history_all_and_one_day(page, live_service):
    log_in_for_typing(page, live_service)
    page.click("a[data-tab=history]")

    page.click("#email-all")
    expect(page.locator("#history-message")).to_contain_text(
        "Thanks. If you don't receive an email with your voucher records, please try again later."
    )
    page.locator("section.day").first.get_by_role("button", name="E-mail me this day's records").click()
    expect(page.locator("#day-0-message")).to_contain_text("Thanks, we've received your request for payment records from ")
