"""Reports to the charity of voucher codes that a trader submitted after another trader recorded them.

Each attempt is stored as a pending report. The charity gets at most one e-mail per trader per hour.
When a trader's last e-mail went out an hour or more ago (or never), the next report sends every
pending report of that trader at once. Otherwise the reports wait for the ``flask arc
send-duplicate-reports`` command, which cron runs.

Several worker processes may report for the same trader at once. The decision to send is taken with
the trader's row locked (``SELECT ... FOR UPDATE`` on MySQL and MariaDB), and the reports are marked
as e-mailed in the same transaction, so only one process sends them. The e-mail is sent after that
commit, so that the lock is not held while waiting for the mail server. If sending fails, the
reports are marked pending again.
"""

import logging
from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from arc import clock, mail
from arc.columns import UnsignedInt, created_at_column, foreign_key, id_column
from arc.extensions import db
from arc.jobs.queue import job
from arc.markets.models import Trader

logger = logging.getLogger(__name__)

BATCH_INTERVAL = timedelta(hours=1)
EMAIL_SUBJECT = "Voucher Duplicate Entered"
NO_MARKET = "no associated market"


class DuplicateVoucherReport(db.Model):
    """One attempt by a trader-app user to submit a code that another trader had already recorded.

    ``emailed_at`` is when the report went to the charity; NULL while it waits for the next e-mail.
    """

    __tablename__ = "duplicate_voucher_reports"
    __table_args__ = (sa.Index("duplicate_voucher_reports_trader_id_emailed_at_index", "trader_id", "emailed_at"),)

    id = id_column()
    # Reports are deleted with their trader or user row (traders and users are normally soft-deleted).
    trader_id = foreign_key("traders.id", nullable=False, ondelete="CASCADE")
    user_id = db.Column(UnsignedInt, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code = db.Column(sa.String(32), nullable=False)
    created_at = created_at_column()
    emailed_at = db.Column(sa.TIMESTAMP(), nullable=True)

    trader = db.relationship("Trader")
    user = db.relationship("User")


def record_reports(trader_id, user_id, codes, now=None):
    """Store a pending report for each code, flush, and return the reports."""
    now = now or clock.now()
    reports = [
        DuplicateVoucherReport(trader_id=trader_id, user_id=user_id, code=code, created_at=now) for code in codes
    ]
    db.session.add_all(reports)
    db.session.flush()
    return reports


def last_emailed_at(trader_id):
    """Return when the charity was last e-mailed about the trader's duplicates, or None."""
    return (
        db.session.query(sa.func.max(DuplicateVoucherReport.emailed_at))
        .filter(DuplicateVoucherReport.trader_id == trader_id)
        .scalar()
    )


def is_due(last_emailed, now):
    """Return whether a trader last e-mailed about at ``last_emailed`` may be e-mailed again at ``now``."""
    return last_emailed is None or last_emailed <= now - BATCH_INTERVAL


def claim_due_reports(trader_id, now=None):
    """Mark the trader's pending reports as e-mailed at ``now`` and return them, if an e-mail is due.

    Locks the trader's row first, so that of several processes only one claims the reports. Call it
    at the start of a transaction (see ``send_if_due``). Returns an empty list when nothing is
    pending or the last e-mail went out less than an hour ago. Flushes.
    """
    now = now or clock.now()
    db.session.query(Trader.id).filter(Trader.id == trader_id).with_for_update().one_or_none()
    if not is_due(last_emailed_at(trader_id), now):
        return []
    reports = (
        db.session.query(DuplicateVoucherReport)
        .filter(DuplicateVoucherReport.trader_id == trader_id, DuplicateVoucherReport.emailed_at.is_(None))
        .options(selectinload(DuplicateVoucherReport.user))
        .order_by(DuplicateVoucherReport.id)
        .all()
    )
    for report in reports:
        report.emailed_at = now
    db.session.flush()
    return reports


def release_reports(report_ids):
    """Mark reports as pending again, after their e-mail could not be sent. Flushes."""
    db.session.query(DuplicateVoucherReport).filter(DuplicateVoucherReport.id.in_(report_ids)).update(
        {"emailed_at": None}, synchronize_session=False
    )
    db.session.flush()


def due_trader_ids(now=None):
    """Return the ids of traders with pending reports whose last e-mail went out an hour or more ago."""
    now = now or clock.now()
    recently_emailed = sa.select(DuplicateVoucherReport.trader_id).where(
        DuplicateVoucherReport.emailed_at > now - BATCH_INTERVAL
    )
    rows = (
        db.session.query(DuplicateVoucherReport.trader_id)
        .filter(
            DuplicateVoucherReport.emailed_at.is_(None),
            DuplicateVoucherReport.trader_id.not_in(recently_emailed),
        )
        .distinct()
        .order_by(DuplicateVoucherReport.trader_id)
    )
    return [trader_id for (trader_id,) in rows]


def pending_counts(now=None):
    """Return {trader id: number of pending reports} for the traders whose e-mail is due."""
    due = due_trader_ids(now)
    if not due:
        return {}
    rows = (
        db.session.query(DuplicateVoucherReport.trader_id, sa.func.count())
        .filter(DuplicateVoucherReport.trader_id.in_(due), DuplicateVoucherReport.emailed_at.is_(None))
        .group_by(DuplicateVoucherReport.trader_id)
    )
    return dict(rows.all())


def _attempts_by_user(reports):
    """Return [(user name, [code, ...]), ...]: each user's distinct codes, in the order first reported."""
    codes = defaultdict(list)
    for report in reports:
        name = report.user.name if report.user is not None else "A trader-app user"
        if report.code not in codes[name]:
            codes[name].append(report.code)
    return list(codes.items())


def compose_report_email(trader, reports):
    """Return the e-mail telling the charity about ``reports``, all of one trader."""
    config = current_app.config
    context = {
        "trader_name": trader.name,
        "market_name": trader.market.name if trader.market is not None else NO_MARKET,
        "attempts": _attempts_by_user(reports),
    }
    return mail.compose(
        config["MAIL_TO_ADMIN_ADDRESS"], config["MAIL_TO_ADMIN_NAME"], EMAIL_SUBJECT, "duplicate_vouchers", context
    )


def send_if_due(trader_id, now=None):
    """E-mail the charity the trader's pending reports if the hour has passed, and commit.

    Returns the number of reports sent. Raises MailDeliveryError after marking the reports pending
    again when the e-mail cannot be sent.
    """
    # Start a new transaction: on MySQL a transaction reads from the snapshot of its first read, and
    # an older snapshot would hide reports that other processes have e-mailed since.
    db.session.commit()
    reports = claim_due_reports(trader_id, now)
    if not reports:
        db.session.commit()
        return 0
    message = compose_report_email(db.session.get(Trader, trader_id), reports)
    report_ids = [report.id for report in reports]
    db.session.commit()

    try:
        mail.send(message)
    except mail.MailDeliveryError:
        release_reports(report_ids)
        db.session.commit()
        raise
    logger.info("duplicate voucher reports %s of trader %s e-mailed to the charity", report_ids, trader_id)
    return len(report_ids)


@job
def report_duplicate_vouchers(trader_id, user_id, codes):
    """Store reports of ``codes`` that another trader had recorded, then e-mail the charity if due.

    ``user_id`` is the trader-app user who submitted the codes for trader ``trader_id``.
    """
    if not codes:
        return
    record_reports(trader_id, user_id, codes)
    db.session.commit()
    logger.info(
        "user %s submitted %s code(s) for trader %s that another trader had recorded", user_id, len(codes), trader_id
    )
    send_if_due(trader_id)


def send_due_reports(now=None):
    """Send every trader's pending reports whose hour has passed; return the ids of traders whose e-mail failed."""
    failed = []
    for trader_id in due_trader_ids(now):
        try:
            send_if_due(trader_id, now)
        except mail.MailDeliveryError:
            failed.append(trader_id)
    return failed
