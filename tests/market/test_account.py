"""Logging in and out of the trader app, choosing a trader, tokens and passwords."""

import re
import time

from playwright.sync_api import expect

from tests.market.helpers import log_in, log_in_for_typing

WRONG_CREDENTIALS = "We did not recognise that e-mail address and password."


def submit_login(page, service, email, password):
    page.goto(service.market_url + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")


def test_wrong_password_is_refused(page, live_service):
    submit_login(page, live_service, live_service.data["email"], "not-the-password")

    expect(page.locator("#login-message")).to_contain_text(WRONG_CREDENTIALS)
    expect(page.locator("h1")).to_have_text("Log in")


def test_unknown_user_is_refused(page, live_service):
    submit_login(page, live_service, "nobody@example.org", "whatever-it-is")

    expect(page.locator("#login-message")).to_contain_text(WRONG_CREDENTIALS)


def test_login_without_signal_says_so(page, context, live_service):
    page.goto(live_service.market_url + "/login")
    context.set_offline(True)
    page.fill("#email", live_service.data["email"])
    page.fill("#password", live_service.data["password"])
    page.click("button[type=submit]")

    expect(page.locator("#login-message")).to_contain_text("Logging in needs a signal.")


def test_guarded_screen_sends_to_login_then_back(page, live_service):
    page.goto(live_service.market_url + "/history")
    expect(page.locator("h1")).to_have_text("Log in")
    page.fill("#email", live_service.data["email"])
    page.fill("#password", live_service.data["password"])
    page.click("button[type=submit]")
    page.get_by_label(live_service.data["trader_name"]).check()
    page.click("#continue")

    expect(page.locator("h1")).to_have_text("Payment history")


def test_chosen_trader_is_remembered(page, live_service):
    log_in_for_typing(page, live_service)
    expect(page.locator("#trader-name")).to_have_text(live_service.data["trader_name"])

    page.reload()
    expect(page.locator("#trader-name")).to_have_text(live_service.data["trader_name"])
    page.click("#menu-button")
    page.click("#change-trader")
    expect(page.locator("h1")).to_have_text("Choose a trader")
    expect(page.get_by_label(live_service.data["trader_name"])).to_be_checked()
    page.get_by_label(live_service.data["scan_trader_name"]).check()
    page.click("#continue")

    expect(page.locator("#trader-name")).to_have_text(live_service.data["scan_trader_name"])


def test_logout_returns_to_login(page, live_service):
    log_in_for_typing(page, live_service)

    page.click("#menu-button")
    page.click("#logout-button")

    expect(page.locator("#login-message")).to_contain_text("You have logged out.")
    assert page.evaluate("localStorage.getItem('NetMgr.token')") is None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and live_service.query("SELECT id FROM oauth_access_tokens WHERE revoked = 0"):
        time.sleep(0.2)
    assert live_service.query("SELECT id FROM oauth_access_tokens WHERE revoked = 0") == []


def test_expired_access_token_is_refreshed(page, live_service):
    log_in_for_typing(page, live_service)
    old_token = page.evaluate("JSON.parse(localStorage.getItem('NetMgr.token'))")
    live_service.execute("UPDATE oauth_access_tokens SET expires_at = '2000-01-01 00:00:00'")

    page.click("a[data-tab=history]")

    expect(page.locator("section.day")).to_have_count(15)
    new_token = page.evaluate("JSON.parse(localStorage.getItem('NetMgr.token'))")
    assert new_token["access_token"] != old_token["access_token"]
    assert new_token["refresh_token"] != old_token["refresh_token"]


def test_failed_refresh_logs_out_with_timeout(page, live_service):
    log_in_for_typing(page, live_service)
    live_service.execute("UPDATE oauth_access_tokens SET expires_at = '2000-01-01 00:00:00'")
    live_service.execute("UPDATE oauth_refresh_tokens SET revoked = 1")

    page.click("a[data-tab=history]")

    expect(page.locator("#login-message")).to_contain_text("Your session has timed out. Please log in again.")


def test_disabled_trader_forces_logout(page, live_service):
    log_in_for_typing(page, live_service)
    live_service.execute("UPDATE traders SET disabled_at = '2024-01-01 00:00:00' WHERE id = :id", id=live_service.data["trader_id"])

    page.click("a[data-tab=payment]")

    expect(page.locator("#login-message")).to_contain_text("The system has logged you out.")
    assert page.evaluate("localStorage.getItem('Store.trader')") is None


def test_lost_password_then_change_password(page, live_service):
    page.goto(live_service.market_url + "/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.fill("#email", live_service.data["email"])
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.locator("#lost-password-message")).to_contain_text("If we know that email, you'll get a reset link shortly!")

    # Without a mail server, the service writes the e-mail to its log.
    link = None
    deadline = time.monotonic() + 10
    while link is None and time.monotonic() < deadline:
        match = re.search(r"http://market\.localhost:\d+/change-password\?email=[^\s\"<>]+&token=[0-9A-Za-z_\-]+", live_service.log())
        link = match.group(0).replace("&amp;", "&") if match else None
        time.sleep(0.2)
    assert link is not None
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    page.fill("#password", "short")
    page.fill("#password-confirmation", "short")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#change-password-message")).to_contain_text("at least 8 characters")
    page.fill("#password", "a-new-long-password")
    page.fill("#password-confirmation", "a-new-long-password")
    page.get_by_role("button", name="Change password").click()

    expect(page.locator("#login-message")).to_contain_text("Your password has been reset.")
    page.fill("#email", live_service.data["email"])
    page.fill("#password", "a-new-long-password")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Choose a trader")


def test_change_password_with_bad_token_shows_service_message(page, live_service):
    page.goto(f"{live_service.market_url}/change-password?email={live_service.data['email']}&token=not-a-token")
    page.fill("#password", "a-new-long-password")
    page.fill("#password-confirmation", "a-new-long-password")
    page.get_by_role("button", name="Change password").click()

    expect(page.locator("#change-password-message")).to_contain_text("This password reset token is invalid.")


def test_legacy_paths_open_their_screens(page, live_service):
    page.goto(live_service.market_url + "/request")

    expect(page.locator("h1")).to_have_text("Forgotten your password?")
    assert page.url.endswith("/lost-password")
    log_in(page, live_service)
    page.goto(live_service.market_url + "/account")
    expect(page.locator("h1")).to_have_text("Payment history")
