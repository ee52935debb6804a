"""Payment records of a trader or a payment request, and their CSV text."""

from datetime import date, datetime, timedelta

import pytest

from arc import clock
from arc.payments.csv import (
    PaymentRecord,
    pended_dates,
    records_csv,
    state_token_payment_records,
    trader_payment_records,
)
from tests import factories
from tests.api.conftest import add_history
from tests.mail.records import make_confirmed_voucher, make_state_token

MONDAY = datetime(2025, 6, 16, 10, 0, 0)
TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture
def trader(db):
    return factories.make_trader()


def test_records_hold_pended_date_code_and_recording_time(db, trader):
    voucher = make_confirmed_voucher(db, trader, MONDAY - timedelta(days=3), MONDAY)

    records = trader_payment_records(trader.id)

    assert records == [PaymentRecord(MONDAY, voucher.code, MONDAY - timedelta(days=3))]


def test_recording_time_is_not_last_change(db, trader):
    recorded_at = MONDAY - timedelta(days=2)
    voucher = make_confirmed_voucher(db, trader, recorded_at, MONDAY, reimbursed_at=TUESDAY)

    record = trader_payment_records(trader.id)[0]

    assert voucher.updated_at == TUESDAY
    assert record.recorded_at == recorded_at


def test_records_ordered_by_payment_request_then_voucher(db, trader):
    later = make_confirmed_voucher(db, trader, MONDAY, TUESDAY)
    first = make_confirmed_voucher(db, trader, MONDAY, MONDAY)
    second = make_confirmed_voucher(db, trader, MONDAY, MONDAY)

    codes = [record.code for record in trader_payment_records(trader.id)]

    assert codes == [first.code, second.code, later.code]


def test_records_leave_out_unconfirmed_deleted_and_other_traders(db, trader):
    confirmed = make_confirmed_voucher(db, trader, MONDAY, MONDAY)
    recorded_only = factories.make_voucher(sponsor=trader.market.sponsor, trader_id=trader.id)
    add_history(db, recorded_only, "collect", "dispatched", "recorded", MONDAY)
    deleted = make_confirmed_voucher(db, trader, MONDAY, MONDAY, deleted_at=clock.now())
    make_confirmed_voucher(db, factories.make_trader(), MONDAY, MONDAY)

    codes = [record.code for record in trader_payment_records(trader.id)]

    assert codes == [confirmed.code]
    assert deleted.code not in codes


def test_records_include_paid_vouchers(db, trader):
    paid = make_confirmed_voucher(db, trader, MONDAY, MONDAY, reimbursed_at=TUESDAY)

    assert [record.code for record in trader_payment_records(trader.id)] == [paid.code]


def test_records_of_one_day(db, trader):
    make_confirmed_voucher(db, trader, MONDAY, MONDAY.replace(hour=23, minute=59, second=59))
    tuesday_first = make_confirmed_voucher(db, trader, MONDAY, TUESDAY.replace(hour=0, minute=0, second=0))
    tuesday_last = make_confirmed_voucher(db, trader, MONDAY, TUESDAY.replace(hour=23, minute=59, second=59))
    make_confirmed_voucher(db, trader, MONDAY, TUESDAY + timedelta(days=1))

    codes = [record.code for record in trader_payment_records(trader.id, TUESDAY.date())]

    assert codes == [tuesday_first.code, tuesday_last.code]


def test_voucher_sent_twice_counts_on_latest_request(db, trader):
    voucher = make_confirmed_voucher(db, trader, MONDAY, MONDAY)
    add_history(db, voucher, "confirm", "recorded", "payment_pending", TUESDAY)

    records = trader_payment_records(trader.id)

    assert [record.pended_at for record in records] == [TUESDAY]


def test_voucher_without_recorded_row_has_no_recording_time(db, trader):
    voucher = factories.make_voucher(sponsor=trader.market.sponsor, trader_id=trader.id)
    add_history(db, voucher, "confirm", "recorded", "payment_pending", MONDAY)

    records = trader_payment_records(trader.id)

    assert records == [PaymentRecord(MONDAY, voucher.code, None)]


def test_state_token_records_hold_only_its_vouchers(db, trader):
    token = make_state_token(db)
    mine = make_confirmed_voucher(db, trader, MONDAY, TUESDAY, state_token=token)
    make_confirmed_voucher(db, trader, MONDAY, TUESDAY, state_token=make_state_token(db))
    make_confirmed_voucher(db, trader, MONDAY, TUESDAY)

    records = state_token_payment_records(token.id)

    assert records == [PaymentRecord(TUESDAY, mine.code, MONDAY)]


def test_csv_has_no_header_and_three_columns():
    records = [
        PaymentRecord(MONDAY, "RVNT00000001", datetime(2025, 6, 1, 9, 5, 3)),
        PaymentRecord(TUESDAY, "RVNT00000002", None),
    ]

    text = records_csv(records)

    assert text == "16-06-2025,RVNT00000001,01-06-2025 09:05:03\n17-06-2025,RVNT00000002,\n"


def test_csv_quotes_when_needed():
    text = records_csv([PaymentRecord(MONDAY, "AB,1", None)])

    assert text == '16-06-2025,"AB,1",\n'


def test_csv_of_nothing_is_empty():
    assert records_csv([]) == ""


def test_pended_dates_span_records():
    records = [PaymentRecord(TUESDAY, "B", None), PaymentRecord(MONDAY, "A", None)]

    assert pended_dates(records) == (date(2025, 6, 16), date(2025, 6, 17))
    assert pended_dates([]) == (None, None)
