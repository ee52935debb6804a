"""Payment requests as charity staff see them: the open list, one request, paying it, a trader's history.

A payment request is a ``StateToken``. Its vouchers are the ones whose ``confirm`` history rows link
to it (``voucher_states.state_token_id``). ``pay_request`` flushes and never commits; the caller
commits once, so a request is paid completely or not at all.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from arc import clock
from arc.extensions import db
from arc.markets.models import Market, Trader
from arc.payments.history import HistoryDay, HistoryVoucher
from arc.payments.models import StateToken
from arc.sponsors.models import Sponsor
from arc.users.models import User
from arc.vouchers import states
from arc.vouchers.models import Voucher, VoucherState

logger = logging.getLogger(__name__)

# The payments page lists requests made since the start of the day this many days ago.
REQUEST_WINDOW_DAYS = 21
HISTORY_DAYS_PER_PAGE = 15
# How many codes an error lists before it gives only a count.
LISTED_CODES = 20


class RequestAlreadyPaid(Exception):
    """The payment request was marked as paid before; nothing was changed."""


class RequestNotPayable(Exception):
    """Some vouchers of the request cannot be paid, so none was; ``vouchers`` lists ``(code, state)`` pairs."""

    def __init__(self, message, vouchers=()):
        self.vouchers = list(vouchers)
        super().__init__(message)


@dataclass
class RequestSummary:
    """One row of the payments page: who asked, for which trader, and how many vouchers of each area."""

    token: StateToken
    requester: str
    trader_name: str | None
    market_name: str | None
    area_name: str | None
    voucher_areas: list
    total: int


@dataclass
class RequestVoucher:
    """A voucher of a payment request, with when it last entered its current state (None if never recorded)."""

    id: int
    code: str
    state: str
    entered_state_at: datetime | None


@dataclass
class RequestDetail:
    token: StateToken
    requester: str
    trader_name: str | None
    vouchers: list = field(default_factory=list)

    @property
    def pending_count(self):
        return sum(1 for voucher in self.vouchers if voucher.state == states.PAYMENT_PENDING)


@dataclass
class PaidRequest:
    """The result of paying a request: vouchers moved to ``reimbursed`` now, and ones reimbursed before."""

    token: StateToken
    paid_count: int
    already_reimbursed_count: int


@dataclass
class TraderHistoryPage:
    """Up to 15 days on which a trader asked for payment, newest first, each with its vouchers."""

    days: list
    page: int
    last_page: int


def window_start(today):
    """Return the first moment of the payments page's window: midnight ``REQUEST_WINDOW_DAYS`` days before ``today``."""
    return datetime.combine(today - timedelta(days=REQUEST_WINDOW_DAYS), time.min)


def has_outstanding_requests(today=None):
    """Return whether the payments page shows at least one unpaid request.

    Uses the index on ``state_tokens.created_at`` and stops at the first match.
    """
    linked = sa.select(VoucherState.id).where(VoucherState.state_token_id == StateToken.id).exists()
    query = sa.select(StateToken.id).where(
        StateToken.created_at >= window_start(today or clock.today()),
        StateToken.admin_user_id.is_(None),
        StateToken.user_id.is_not(None),
        linked,
    )
    return db.session.scalar(query.limit(1)) is not None


def find_request(uuid):
    """Return the payment request with ``uuid``, or None."""
    return db.session.scalar(sa.select(StateToken).where(StateToken.uuid == uuid))


def open_requests(today=None):
    """Return a ``RequestSummary`` per request made in the window: unpaid ones first, then paid, newest first.

    Requests with no vouchers linked cannot be paid or described, so they are left out and logged.
    Trader, market and area come from the request's first voucher and are None when that voucher
    has no trader or the trader no market.
    """
    tokens = db.session.scalars(
        sa.select(StateToken)
        .where(StateToken.created_at >= window_start(today or clock.today()), StateToken.user_id.is_not(None))
        .order_by(StateToken.admin_user_id.is_not(None), StateToken.created_at.desc(), StateToken.id.desc())
    ).all()
    if not tokens:
        return []
    token_ids = [token.id for token in tokens]
    areas = _voucher_areas(token_ids)
    first_vouchers = _first_voucher_details(token_ids)
    requesters = _user_names({token.user_id for token in tokens})

    summaries = []
    for token in tokens:
        if token.id not in areas:
            logger.info("payment request %s has no vouchers, so it is not listed", token.uuid)
            continue
        trader_name, market_name, area_name = first_vouchers[token.id]
        summaries.append(
            RequestSummary(
                token=token,
                requester=requesters.get(token.user_id, "unknown"),
                trader_name=trader_name,
                market_name=market_name,
                area_name=area_name,
                voucher_areas=areas[token.id],
                total=sum(count for _name, count in areas[token.id]),
            )
        )
    return summaries


def _voucher_areas(token_ids):
    """Return {token id: [(area name, number of linked history rows)]} sorted by area name."""
    rows = db.session.execute(
        sa.select(VoucherState.state_token_id, Sponsor.name, sa.func.count())
        .join(Voucher, Voucher.id == VoucherState.voucher_id)
        .join(Sponsor, Sponsor.id == Voucher.sponsor_id)
        .where(VoucherState.state_token_id.in_(token_ids))
        .group_by(VoucherState.state_token_id, Sponsor.name)
        .order_by(Sponsor.name)
    ).all()
    areas = defaultdict(list)
    for token_id, name, count in rows:
        areas[token_id].append((name, count))
    return areas


def _first_voucher_details(token_ids):
    """Return {token id: (trader name, market name, market's area name)} of each request's first voucher."""
    first_rows = (
        sa.select(sa.func.min(VoucherState.id))
        .where(VoucherState.state_token_id.in_(token_ids))
        .group_by(VoucherState.state_token_id)
    )
    market_area = aliased(Sponsor)
    rows = db.session.execute(
        sa.select(VoucherState.state_token_id, Trader.name, Market.name, market_area.name)
        .join(Voucher, Voucher.id == VoucherState.voucher_id)
        .outerjoin(Trader, Trader.id == Voucher.trader_id)
        .outerjoin(Market, Market.id == Trader.market_id)
        .outerjoin(market_area, market_area.id == Market.sponsor_id)
        .where(VoucherState.id.in_(first_rows))
    ).all()
    return {token_id: (trader, market, area) for token_id, trader, market, area in rows}


def _user_names(user_ids):
    ids = [user_id for user_id in user_ids if user_id is not None]
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())


def requester_name(token):
    """Return the name of the trader-app user who made the request, or "unknown"."""
    return _user_names({token.user_id}).get(token.user_id, "unknown")


def request_detail(token):
    """Return the ``RequestDetail`` of a request: its vouchers in the order they were confirmed."""
    linked = sa.select(VoucherState.voucher_id).where(VoucherState.state_token_id == token.id)
    vouchers = db.session.execute(
        sa.select(Voucher.id, Voucher.code, Voucher.currentstate, Trader.name.label("trader_name"))
        .outerjoin(Trader, Trader.id == Voucher.trader_id)
        .where(Voucher.id.in_(linked))
        .order_by(Voucher.id)
    ).all()
    entered = {}
    entries = db.session.execute(
        sa.select(VoucherState.voucher_id, VoucherState.to_state, sa.func.max(VoucherState.created_at))
        .where(
            VoucherState.voucher_id.in_(linked),
            VoucherState.to_state.in_((states.PAYMENT_PENDING, states.REIMBURSED)),
        )
        .group_by(VoucherState.voucher_id, VoucherState.to_state)
    )
    for voucher_id, to_state, created_at in entries:
        entered[voucher_id, to_state] = created_at
    return RequestDetail(
        token=token,
        requester=requester_name(token),
        trader_name=vouchers[0].trader_name if vouchers else None,
        vouchers=[
            RequestVoucher(row.id, row.code, row.currentstate, entered.get((row.id, row.currentstate)))
            for row in vouchers
        ],
    )


def pay_request(token, admin, now=None):
    """Pay every voucher of a request and mark the request paid by ``admin``; return a ``PaidRequest``.

    The request row and its vouchers are locked first, so two members of staff paying at once pay
    once: the second gets ``RequestAlreadyPaid``, as does anyone paying a paid request, and nothing
    changes. Vouchers in ``payment_pending`` move to ``reimbursed`` with a ``payout`` history row;
    vouchers already ``reimbursed`` count as paid. If any voucher is in another state, or deleted, or
    the request has no vouchers, ``RequestNotPayable`` is raised and nothing changes.
    """
    now = now or clock.now()
    db.session.refresh(token, with_for_update=True)
    if token.admin_user_id is not None:
        raise RequestAlreadyPaid(f"Payment request {token.uuid} was already paid; nothing was changed.")

    linked = sa.select(VoucherState.voucher_id).where(VoucherState.state_token_id == token.id)
    vouchers = db.session.execute(
        sa.select(Voucher.id, Voucher.code, Voucher.currentstate, Voucher.deleted_at)
        .where(Voucher.id.in_(linked))
        .order_by(Voucher.id)
        .with_for_update()
    ).all()
    if not vouchers:
        raise RequestNotPayable(f"Payment request {token.uuid} has no vouchers, so there is nothing to pay.")

    pending = [row.id for row in vouchers if row.currentstate == states.PAYMENT_PENDING and row.deleted_at is None]
    reimbursed = [row for row in vouchers if row.currentstate == states.REIMBURSED and row.deleted_at is None]
    blocked = [
        (row.code, "deleted" if row.deleted_at is not None else row.currentstate)
        for row in vouchers
        if row.deleted_at is not None or row.currentstate not in (states.PAYMENT_PENDING, states.REIMBURSED)
    ]
    if blocked:
        listed = ", ".join(f"{code} ({state})" for code, state in blocked[:LISTED_CODES])
        more = f" and {len(blocked) - LISTED_CODES} more" if len(blocked) > LISTED_CODES else ""
        raise RequestNotPayable(
            f"Nothing was paid: {len(blocked)} voucher{'s' if len(blocked) != 1 else ''} of this request "
            f"cannot be paid because {'they are' if len(blocked) != 1 else 'it is'} not waiting for payment: "
            f"{listed}{more}.",
            blocked,
        )

    paid = states.apply_to_many("payout", pending, admin, at=now)
    if paid != len(pending):
        raise RuntimeError(f"Paying {len(pending)} locked vouchers changed {paid}.")
    token.admin_user_id = admin.id
    token.updated_at = now
    db.session.flush()
    logger.info(
        "payment request %s paid by admin %s: %s vouchers paid, %s already reimbursed",
        token.uuid, admin.id, paid, len(reimbursed),
    )
    return PaidRequest(token, paid, len(reimbursed))


def trader_payment_history(trader_id, page=1):
    """Return a ``TraderHistoryPage``: the days on which the trader's vouchers were sent for payment.

    Days are newest first, 15 a page; a page past the end contains no days. Vouchers now back in
    ``recorded`` are left out. Within a day, the most recently recorded voucher comes first.
    """
    day = sa.func.date(VoucherState.created_at)
    pended = sa.and_(
        Voucher.trader_id == trader_id,
        Voucher.currentstate != states.RECORDED,
        VoucherState.to_state == states.PAYMENT_PENDING,
    )
    day_query = sa.select(day).join(Voucher, Voucher.id == VoucherState.voucher_id).where(pended).distinct()
    day_count = db.session.scalar(sa.select(sa.func.count()).select_from(day_query.subquery()))
    last_page = max(1, -(-day_count // HISTORY_DAYS_PER_PAGE))
    days = [
        _as_date(value)
        for value in db.session.scalars(
            day_query.order_by(day.desc()).limit(HISTORY_DAYS_PER_PAGE).offset((page - 1) * HISTORY_DAYS_PER_PAGE)
        )
    ]
    if not days:
        return TraderHistoryPage([], page, last_page)

    in_window = sa.and_(
        pended,
        VoucherState.created_at >= datetime.combine(days[-1], time.min),
        VoucherState.created_at < datetime.combine(days[0] + timedelta(days=1), time.min),
    )
    rows = db.session.execute(
        sa.select(VoucherState.voucher_id, VoucherState.created_at, Voucher.code)
        .join(Voucher, Voucher.id == VoucherState.voucher_id)
        .where(in_window)
    ).all()
    window_vouchers = sa.select(VoucherState.voucher_id).join(Voucher, Voucher.id == VoucherState.voucher_id).where(in_window)
    recorded = _latest_entry(window_vouchers, states.RECORDED)
    reimbursed = _latest_entry(window_vouchers, states.REIMBURSED)

    rows.sort(key=lambda row: row.voucher_id)
    rows.sort(key=lambda row: recorded.get(row.voucher_id) or datetime.min, reverse=True)
    grouped = {}
    for row in rows:
        history_day = grouped.setdefault(row.created_at.date(), HistoryDay(row.created_at))
        history_day.vouchers.append(
            HistoryVoucher(row.code, recorded.get(row.voucher_id), reimbursed.get(row.voucher_id))
        )
    ordered = [grouped[key] for key in sorted(grouped, reverse=True)]
    return TraderHistoryPage(ordered, page, last_page)


def _as_date(value):
    # SQLite returns date() as text; MySQL and MariaDB return a date.
    return datetime.strptime(value, "%Y-%m-%d").date() if isinstance(value, str) else value


def _latest_entry(voucher_ids, state):
    """Return {voucher id: when it last entered ``state``} for the vouchers that a subquery selects."""
    rows = db.session.execute(
        sa.select(VoucherState.voucher_id, sa.func.max(VoucherState.created_at))
        .where(VoucherState.voucher_id.in_(voucher_ids), VoucherState.to_state == state)
        .group_by(VoucherState.voucher_id)
    ).all()
    return dict(rows)
