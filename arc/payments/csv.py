"""Payment records: the vouchers a trader sent for payment, as the e-mailed CSV files list them.

Each record is one voucher: when it was sent for payment (its ``payment_pending`` history row), its
code, and when it was recorded (its latest ``recorded`` history row). The CSV has no header row and
these three columns: the payment date as ``DD-MM-YYYY``, the code, and the recording time as
``DD-MM-YYYY HH:MM:SS`` (empty when the voucher's ``recorded`` row no longer exists).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from arc.extensions import db
from arc.vouchers.models import Voucher, VoucherState

PAYMENT_PENDING = "payment_pending"
RECORDED = "recorded"
# Vouchers whose payment a trader has requested: still waiting, or paid.
CONFIRMED_STATES = ("payment_pending", "reimbursed")

DATE_FORMAT = "%d-%m-%Y"
DATE_TIME_FORMAT = "%d-%m-%Y %H:%M:%S"


@dataclass(frozen=True)
class PaymentRecord:
    pended_at: datetime
    code: str
    recorded_at: datetime | None


def trader_payment_records(trader_id, day=None):
    """Return the payment records of a trader's confirmed vouchers, oldest payment request first.

    Confirmed vouchers are those in ``payment_pending`` or ``reimbursed`` that are not deleted. A
    voucher sent for payment more than once counts on its latest ``payment_pending`` row. With
    ``day`` (a ``date``), only vouchers sent for payment on that day are returned.
    """
    confirmed = sa.select(Voucher.id).where(
        Voucher.trader_id == trader_id,
        Voucher.currentstate.in_(CONFIRMED_STATES),
        Voucher.deleted_at.is_(None),
    )
    pending_rows = (
        sa.select(VoucherState.voucher_id, sa.func.max(VoucherState.id).label("state_id"))
        .where(VoucherState.voucher_id.in_(confirmed), VoucherState.to_state == PAYMENT_PENDING)
        .group_by(VoucherState.voucher_id)
        .subquery()
    )
    return _records(pending_rows, day)


def state_token_payment_records(state_token_id):
    """Return the payment records of the vouchers sent for payment in one payment request."""
    pending_rows = (
        sa.select(VoucherState.voucher_id, sa.func.max(VoucherState.id).label("state_id"))
        .where(VoucherState.state_token_id == state_token_id, VoucherState.to_state == PAYMENT_PENDING)
        .group_by(VoucherState.voucher_id)
        .subquery()
    )
    return _records(pending_rows)


def _records(pending_rows, day=None):
    """Return records for ``pending_rows``, a subquery of (voucher_id, state_id of a payment_pending row)."""
    pending = aliased(VoucherState)
    recorded = aliased(VoucherState)
    latest_recorded = (
        sa.select(VoucherState.voucher_id, sa.func.max(VoucherState.id).label("state_id"))
        .where(VoucherState.voucher_id.in_(sa.select(pending_rows.c.voucher_id)), VoucherState.to_state == RECORDED)
        .group_by(VoucherState.voucher_id)
        .subquery()
    )
    query = (
        sa.select(pending.created_at, Voucher.code, recorded.created_at)
        .select_from(pending_rows)
        .join(Voucher, Voucher.id == pending_rows.c.voucher_id)
        .join(pending, pending.id == pending_rows.c.state_id)
        .outerjoin(latest_recorded, latest_recorded.c.voucher_id == Voucher.id)
        .outerjoin(recorded, recorded.id == latest_recorded.c.state_id)
        .order_by(pending.created_at, Voucher.id)
    )
    if day is not None:
        start = datetime.combine(day, time.min)
        query = query.where(pending.created_at >= start, pending.created_at < start + timedelta(days=1))
    return [PaymentRecord(pended_at, code, recorded_at) for pended_at, code, recorded_at in db.session.execute(query)]


def records_csv(records):
    """Return the CSV text of payment records: no header row, ``\\n`` line ends, quoted only when needed."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    for record in records:
        recorded = record.recorded_at.strftime(DATE_TIME_FORMAT) if record.recorded_at else ""
        writer.writerow([record.pended_at.strftime(DATE_FORMAT), record.code, recorded])
    return output.getvalue()


def pended_dates(records):
    """Return the first and last day on which the records were sent for payment, or (None, None)."""
    if not records:
        return None, None
    days = [record.pended_at.date() for record in records]
    return min(days), max(days)


def format_date(value: date):
    return value.strftime(DATE_FORMAT)
