"""A trader's payment history: vouchers grouped by the day they were sent for payment."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from arc.extensions import db
from arc.vouchers.models import Voucher, VoucherState

HISTORY_DAYS = 90
DAYS_PER_PAGE = 15


@dataclass
class HistoryVoucher:
    code: str
    recorded_on: datetime | None
    reimbursed_on: datetime | None


@dataclass
class HistoryDay:
    pended_on: datetime
    vouchers: list = field(default_factory=list)


@dataclass
class HistoryPage:
    page: int
    last_page: int
    days: list


def _payment_days(trader_id, today):
    """Return the distinct days (newest first) on which the trader's vouchers were sent for payment.

    Days whose vouchers are all back in `recorded` and days older than the history window are left out.
    """
    day = sa.func.date(VoucherState.created_at)
    rows = (
        db.session.query(day)
        .join(Voucher, Voucher.id == VoucherState.voucher_id)
        .filter(
            Voucher.trader_id == trader_id,
            Voucher.currentstate != "recorded",
            VoucherState.to_state == "payment_pending",
            VoucherState.created_at >= datetime.combine(today - timedelta(days=HISTORY_DAYS), time.min),
        )
        .distinct()
        .order_by(day.desc())
        .all()
    )
    return [_as_date(value) for (value,) in rows]


def _as_date(value):
    # SQLite returns date() as text; MySQL and MariaDB return a date.
    return datetime.strptime(value, "%Y-%m-%d").date() if isinstance(value, str) else value


def _latest_state_times(voucher_ids, state):
    """Return {voucher id: created_at of its most recent history row moving it to ``state``}."""
    if not voucher_ids:
        return {}
    latest = (
        db.session.query(sa.func.max(VoucherState.id))
        .filter(VoucherState.voucher_id.in_(voucher_ids), VoucherState.to_state == state)
        .group_by(VoucherState.voucher_id)
    )
    rows = db.session.query(VoucherState.voucher_id, VoucherState.created_at).filter(VoucherState.id.in_(latest))
    return dict(rows.all())


def payment_history(trader_id, page, today):
    """Return one page of the trader's payment history; a page past the end holds no days."""
    days = _payment_days(trader_id, today)
    last_page = max(1, -(-len(days) // DAYS_PER_PAGE))
    page_days = days[(page - 1) * DAYS_PER_PAGE : page * DAYS_PER_PAGE]
    if not page_days:
        return HistoryPage(page, last_page, [])

    pending = (
        db.session.query(VoucherState.voucher_id, VoucherState.created_at, Voucher.code)
        .join(Voucher, Voucher.id == VoucherState.voucher_id)
        .filter(
            Voucher.trader_id == trader_id,
            VoucherState.to_state == "payment_pending",
            VoucherState.created_at >= datetime.combine(page_days[-1], time.min),
            VoucherState.created_at <= datetime.combine(page_days[0], time.max),
        )
        .all()
    )
    voucher_ids = list({row.voucher_id for row in pending})
    recorded = _latest_state_times(voucher_ids, "recorded")
    reimbursed = _latest_state_times(voucher_ids, "reimbursed")

    # Most recently recorded first; vouchers recorded in the same second keep voucher id order.
    pending.sort(key=lambda row: row.voucher_id)
    pending.sort(key=lambda row: recorded.get(row.voucher_id) or datetime.min, reverse=True)
    groups = {}
    for row in pending:
        day = groups.setdefault(row.created_at.date(), HistoryDay(row.created_at))
        day.vouchers.append(HistoryVoucher(row.code, recorded.get(row.voucher_id), reimbursed.get(row.voucher_id)))
    return HistoryPage(page, last_page, list(groups.values()))
