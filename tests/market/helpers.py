"""Steps that the trader app's browser tests share: logging in, recording codes, checking a screen."""

import re

from playwright.sync_api import expect

SERIOUS = ("serious", "critical")


def log_in(page, service, choose=None):
    """Log in as the seeded user and choose a trader (by name; the first by default)."""
    page.goto(service.market_url + "/login")
    page.fill("#email", service.data["email"])
    page.fill("#password", service.data["password"])
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Choose a trader")
    page.get_by_label(choose or service.data["trader_name"]).check()
    page.click("#continue")


def log_in_for_typing(page, service):
    log_in(page, service)
    expect(page.locator("h1")).to_have_text("Type a voucher code")


def type_code(page, numbers):
    """Type the numbers of a code (the letters are filled in) and add it."""
    page.fill("#voucher-numbers", numbers)
    page.click("#add-voucher")


def numbers_of(code, shortcode):
    assert code.startswith(shortcode), code
    return code[len(shortcode):]


def queue_item(page, code):
    """The newest row for ``code`` in the list of codes recorded on this phone."""
    return page.locator(f'#queue-list li[data-code="{code}"]').first


def expect_outcome(page, code, text, timeout=15000):
    row = queue_item(page, code)
    expect(row).to_have_attribute("data-state", "done", timeout=timeout)
    expect(row).to_contain_text(text)
    return row


def history_rows(service, code, to_state):
    return service.query(
        'SELECT voucher_states.id FROM voucher_states JOIN vouchers ON vouchers.id = voucher_states.voucher_id '
        'WHERE vouchers.code = :code AND voucher_states."to" = :to_state',
        code=code,
        to_state=to_state,
    )


def serious_accessibility_problems(page):
    """Run axe-core on the page; return its serious and critical violations as short strings."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [", ".join(node["target"]) for node in violation["nodes"]]
            problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return problems


def small_targets(page):
    """Return the visible links, buttons and form controls smaller than 44 by 44 CSS pixels.

    Links inside running text are left out, as the target-size rule allows.
    """
    return page.evaluate(
        """() => {
          const small = [];
          for (const element of document.querySelectorAll('a, button, input, select, summary, textarea')) {
            const box = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
            if (element.classList.contains('skip-link')) continue;
            if (element.tagName === 'INPUT' && (element.type === 'checkbox' || element.type === 'radio')) {
              // The whole row, label included, is the target of a checkbox or radio button.
              const row = element.closest('.checkbox, .radio');
              if (row && row.getBoundingClientRect().height >= 44) continue;
            }
            if (box.width < 44 || box.height < 44) {
              small.push(`${element.tagName.toLowerCase()} "${(element.textContent || element.id).trim()}" ${Math.round(box.width)}x${Math.round(box.height)}`);
            }
          }
          return small;
        }"""
    )


def check_screen(page, screenshots, name):
    """Save a phone-sized screenshot of the screen and assert it has no serious accessibility problem."""
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshots / f"{name}.png"))
    page.screenshot(path=str(screenshots / f"{name}-full.png"), full_page=True)
    assert serious_accessibility_problems(page) == []
    assert small_targets(page) == []


def waiting_text(page):
    return page.locator("#connection")


def digits(text):
    return re.sub(r"\D", "", text)
