"""The payment-request e-mail to the charity, and the programme counts it shows."""

import html
from datetime import datetime, timedelta

import pytest

from arc import mail
from arc.payments import emails
from tests import factories
from tests.mail.records import make_confirmed_voucher, make_state_token

RECORDED_AT = datetime(2025, 6, 18, 9, 30, 0)
PENDED_AT = datetime(2025, 6, 18, 14, 0, 0)


def make_vouchers(sponsor, count):
    return [factories.make_voucher(sponsor=sponsor) for _ in range(count)]


def test_programme_counts_split_standard_and_social_prescription(db):
    standard = factories.make_sponsor(programme=0)
    social = factories.make_sponsor(programme=1)
    vouchers = make_vouchers(standard, 12) + make_vouchers(social, 18)

    assert emails.programme_counts(vouchers) == {"standard": 12, "social_prescription": 18}


def test_programme_counts_treat_other_programmes_as_standard(db):
    vouchers = make_vouchers(factories.make_sponsor(programme=2), 2)

    assert emails.programme_counts(vouchers) == {"standard": 2, "social_prescription": 0}


def test_counts_by_area_groups_sponsor_names_by_programme(db):
    standard = [factories.make_sponsor(programme=0) for _ in range(3)]
    social = [factories.make_sponsor(programme=1) for _ in range(3)]
    vouchers = [voucher for sponsor in standard for voucher in make_vouchers(sponsor, 12)]
    vouchers += [voucher for sponsor in social for voucher in make_vouchers(sponsor, 18)]

    areas = emails.counts_by_area(vouchers)

    assert set(areas) == {0, 1}
    assert areas[0] == {sponsor.name: 12 for sponsor in standard}
    assert areas[1] == {sponsor.name: 18 for sponsor in social}


def test_counts_by_area_of_nothing(db):
    assert emails.counts_by_area([]) == {0: {}, 1: {}}


@pytest.fixture
def payment_request(db):
    """Dana's request for 9 vouchers of Parsnip & Pear: 2 + 1 standard in two areas, 6 social prescription."""
    market = factories.make_market(name="Millbrook Saturday Market")
    trader = factories.make_trader(market=market, name="Parsnip & Pear")
    user = factories.make_trader_user(traders=[trader], name="Dana Reyes")
    token = make_state_token(db, user)
    north = factories.make_sponsor(programme=0, name="North Area")
    east = factories.make_sponsor(programme=0, name="East Area")
    social = factories.make_sponsor(programme=1, name="Healthy Start Area")
    vouchers = []
    for sponsor, count in ((north, 2), (east, 1), (social, 6)):
        for _ in range(count):
            voucher = make_confirmed_voucher(db, trader, RECORDED_AT, PENDED_AT, state_token=token, sponsor=sponsor)
            vouchers.append(voucher)
    return token, trader, vouchers


def test_payment_request_email_goes_to_charity(app, db, outbox, payment_request):
    token, _, _ = payment_request

    emails.send_payment_request_email(token.id)

    assert len(outbox) == 1
    message = outbox[0]
    assert message["To"] == f"{app.config['MAIL_TO_ADMIN_NAME']} <{app.config['MAIL_TO_ADMIN_ADDRESS']}>"
    assert message["Cc"] is None
    assert message["Bcc"] is None
    assert message["Subject"] == "Rose Voucher Payment Request"


def test_payment_request_email_body(app, db, outbox, payment_request):
    token, _, _ = payment_request

    emails.send_payment_request_email(token.id)

    body = html.unescape(mail.html_body(outbox[0]))
    assert f"Hi {app.config['MAIL_TO_ADMIN_NAME']}," in body
    assert "Dana Reyes has just successfully requested payment for 9 vouchers" in body
    assert "against Parsnip & Pear of Millbrook Saturday Market's account" in body
    assert "for 3 standard vouchers" in body
    assert "and 6 social prescription vouchers" in body
    assert "Rose Voucher Admin Portal" in body


def test_payment_request_email_tables_areas_by_programme(db, outbox, payment_request):
    token, _, _ = payment_request

    emails.send_payment_request_email(token.id)

    body = mail.html_body(outbox[0])
    assert body.count(">Area</th>") == 2
    assert "Number of vouchers</th>" in body
    standard_table, social_table = body.split("<table")[1:]
    assert "East Area</td>" in standard_table
    assert "North Area</td>" in standard_table
    assert standard_table.index("East Area") < standard_table.index("North Area")
    assert "Healthy Start Area</td>" in social_table
    assert "North Area" not in social_table


def test_payment_request_email_leaves_out_empty_programme(db, outbox):
    trader = factories.make_trader()
    token = make_state_token(db, factories.make_trader_user(traders=[trader]))
    make_confirmed_voucher(db, trader, RECORDED_AT, PENDED_AT, state_token=token)

    emails.send_payment_request_email(token.id)

    body = mail.html_body(outbox[0])
    assert body.count("<table") == 1
    assert "Standard vouchers</h2>" in body
    assert "Social prescription vouchers</h2>" not in body
    assert "for 1 standard voucher and 0 social prescription vouchers" in mail.text_body(outbox[0])


def test_payment_request_text_part_says_details_attached(db, outbox, payment_request):
    token, _, _ = payment_request

    emails.send_payment_request_email(token.id)

    text = mail.text_body(outbox[0])
    assert "The details of the vouchers are attached as a CSV file" in text
    assert "Dana Reyes has just successfully requested payment for 9 vouchers" in text


def test_payment_request_attaches_csv_of_its_vouchers(db, outbox, payment_request):
    token, _, vouchers = payment_request

    emails.send_payment_request_email(token.id)

    attachments = mail.attachments_of(outbox[0])
    assert len(attachments) == 1
    assert attachments[0].filename.endswith(".csv")
    assert attachments[0].mimetype == "text/csv"
    lines = attachments[0].content.splitlines()
    assert len(lines) == 9
    assert lines[0] == f"18-06-2025,{vouchers[0].code},18-06-2025 09:30:00"
    assert {line.split(",")[1] for line in lines} == {voucher.code for voucher in vouchers}


def test_payment_request_without_market(db, outbox):
    trader = factories.make_trader(name="Lone Stall")
    trader.market_id = None
    db.session.flush()
    token = make_state_token(db, factories.make_trader_user(traders=[trader]))
    make_confirmed_voucher(db, trader, RECORDED_AT, PENDED_AT, state_token=token, sponsor=factories.make_sponsor())

    emails.send_payment_request_email(token.id)

    assert "against Lone Stall of no associated market's account" in mail.text_body(outbox[0])


def test_payment_request_unknown_token_sends_nothing(db, outbox):
    emails.send_payment_request_email(999999)

    assert outbox == []


def test_payment_request_without_confirmed_vouchers_sends_nothing(db, outbox):
    token = make_state_token(db)

    emails.send_payment_request_email(token.id)

    assert outbox == []


def test_payment_request_ignores_later_requests(db, outbox, payment_request):
    token, trader, _ = payment_request
    make_confirmed_voucher(db, trader, RECORDED_AT, PENDED_AT + timedelta(hours=1), state_token=make_state_token(db))

    emails.send_payment_request_email(token.id)

    assert len(mail.attachments_of(outbox[0])[0].content.splitlines()) == 9
