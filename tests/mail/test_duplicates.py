"""Duplicate-voucher reports to the charity: at most one e-mail per trader per hour."""

import html
from datetime import timedelta

import pytest

from arc import clock, mail
from arc.vouchers import duplicates
from arc.vouchers.duplicates import DuplicateVoucherReport
from tests import factories
from tests.mail.smtp_server import HOST, free_port

DUPLICATE_SENTENCE = "however that voucher has already been submitted by another trader."


@pytest.fixture
def trader(db):
    market = factories.make_market(name="Millbrook Saturday Market")
    return factories.make_trader(market=market, name="Parsnip & Pear")


@pytest.fixture
def user(db, trader):
    return factories.make_trader_user(traders=[trader], name="Dana Reyes")


def reports_of(db, trader):
    query = db.session.query(DuplicateVoucherReport).filter_by(trader_id=trader.id)
    return query.order_by(DuplicateVoucherReport.id).all()


def an_hour_passes(db, trader):
    """Move the trader's e-mailed reports 61 minutes into the past."""
    for report in reports_of(db, trader):
        if report.emailed_at is not None:
            report.emailed_at -= timedelta(minutes=61)
    db.session.flush()


def send_due(runner):
    return runner.invoke(args=["arc", "send-duplicate-reports"])


def test_first_report_is_emailed_at_once(db, outbox, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])

    assert len(outbox) == 1
    reports = reports_of(db, trader)
    assert [report.code for report in reports] == ["FWK0042300"]
    assert reports[0].emailed_at is not None
    assert reports[0].user_id == user.id


def test_email_tells_charity_about_duplicate(app, db, outbox, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])

    message = outbox[0]
    assert message["Subject"] == "Voucher Duplicate Entered"
    assert message["To"] == f"{app.config['MAIL_TO_ADMIN_NAME']} <{app.config['MAIL_TO_ADMIN_ADDRESS']}>"
    body = html.unescape(mail.html_body(message))
    assert "Voucher Duplicate Entered" in body
    assert f"Hi {app.config['MAIL_TO_ADMIN_NAME']}," in body
    assert "Dana Reyes has tried to submit voucher FWK0042300 against" in body
    assert "against Parsnip & Pear of Millbrook Saturday Market's account" in body
    assert DUPLICATE_SENTENCE in body
    assert DUPLICATE_SENTENCE in mail.text_body(message)


def test_email_without_market_says_so(db, outbox, user):
    lone = factories.make_trader(name="Lone Stall")
    lone.market_id = None
    db.session.flush()

    duplicates.report_duplicate_vouchers(lone.id, user.id, ["FWK0042300"])

    assert "against Lone Stall of no associated market's account" in mail.text_body(outbox[0])


def test_report_within_hour_waits(db, outbox, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])

    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042301"])
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042302"])

    assert len(outbox) == 1
    pending = [report.code for report in reports_of(db, trader) if report.emailed_at is None]
    assert pending == ["FWK0042301", "FWK0042302"]


def test_command_within_hour_sends_nothing(db, outbox, runner, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042301"])

    result = send_due(runner)

    assert result.exit_code == 0
    assert result.output == ""
    assert len(outbox) == 1


def test_command_after_hour_sends_pending_in_one_email(db, outbox, runner, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042301"])
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042302"])
    an_hour_passes(db, trader)

    result = send_due(runner)

    assert result.exit_code == 0
    assert result.output == ""
    assert len(outbox) == 2
    text = mail.text_body(outbox[1])
    assert "Dana Reyes has tried to submit vouchers FWK0042301 and FWK0042302 against" in text
    assert "FWK0042300" not in text
    assert all(report.emailed_at is not None for report in reports_of(db, trader))


def test_command_twice_sends_once(db, outbox, runner, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042301"])
    an_hour_passes(db, trader)

    send_due(runner)
    send_due(runner)

    assert len(outbox) == 2


def test_report_after_hour_sends_with_waiting_ones(db, outbox, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042301"])
    an_hour_passes(db, trader)

    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042302"])

    assert len(outbox) == 2
    assert "vouchers FWK0042301 and FWK0042302 against" in mail.text_body(outbox[1])


def test_traders_are_batched_separately(db, outbox, trader, user):
    other = factories.make_trader(name="Turnip Stall")
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])

    duplicates.report_duplicate_vouchers(other.id, user.id, ["FWK0042400"])

    assert len(outbox) == 2
    assert "against Turnip Stall of" in mail.text_body(outbox[1])


def test_email_groups_codes_by_user_once_each(db, outbox, trader, user):
    eli = factories.make_trader_user(traders=[trader], name="Eli Moss")
    duplicates.record_reports(trader.id, user.id, ["FWK0042300", "FWK0042301"])
    duplicates.record_reports(trader.id, eli.id, ["FWK0042302"])
    duplicates.record_reports(trader.id, user.id, ["FWK0042300"])

    duplicates.send_if_due(trader.id)

    text = mail.text_body(outbox[0])
    assert "Dana Reyes has tried to submit vouchers FWK0042300 and FWK0042301 against" in text
    assert "Eli Moss has tried to submit voucher FWK0042302 against" in text
    assert text.count("FWK0042300") == 1


def test_three_codes_are_listed_with_commas(db, outbox, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300", "FWK0042301", "FWK0042302"])

    text = mail.text_body(outbox[0])
    assert "vouchers FWK0042300, FWK0042301 and FWK0042302 against" in text
    assert "however each of those vouchers has already been submitted by another trader." in text


def test_no_codes_stores_nothing(db, outbox, trader, user):
    duplicates.report_duplicate_vouchers(trader.id, user.id, [])

    assert reports_of(db, trader) == []
    assert outbox == []


def test_dry_run_lists_due_traders_and_sends_nothing(db, outbox, runner, trader, user):
    duplicates.record_reports(trader.id, user.id, ["FWK0042300", "FWK0042301"])

    result = runner.invoke(args=["arc", "send-duplicate-reports", "--dry-run"])

    assert result.exit_code == 0
    assert result.output == f"trader {trader.id}: 2 pending report(s) due\n"
    assert outbox == []
    assert all(report.emailed_at is None for report in reports_of(db, trader))


def test_due_trader_ids_leave_out_recently_emailed(db, outbox, trader, user):
    other = factories.make_trader()
    duplicates.report_duplicate_vouchers(trader.id, user.id, ["FWK0042300"])
    duplicates.record_reports(trader.id, user.id, ["FWK0042301"])
    duplicates.record_reports(other.id, user.id, ["FWK0042400"])

    assert duplicates.due_trader_ids() == [other.id]
    assert duplicates.due_trader_ids(clock.now() + timedelta(hours=1)) == [trader.id, other.id]


@pytest.fixture
def broken_mail(mail_settings):
    mail_settings(MAIL_OUTBOX=None, MAIL_SERVER=HOST, MAIL_PORT=free_port(), MAIL_USE_TLS=False)


def test_failed_email_leaves_reports_pending(db, broken_mail, trader, user):
    duplicates.record_reports(trader.id, user.id, ["FWK0042300"])

    with pytest.raises(mail.MailDeliveryError):
        duplicates.send_if_due(trader.id)

    assert [report.emailed_at for report in reports_of(db, trader)] == [None]


def test_command_fails_when_email_fails(db, broken_mail, runner, trader, user):
    duplicates.record_reports(trader.id, user.id, ["FWK0042300"])

    result = send_due(runner)

    assert result.exit_code == 1
    assert f"failed for trader(s) {trader.id}" in result.output
    assert [report.emailed_at for report in reports_of(db, trader)] == [None]
