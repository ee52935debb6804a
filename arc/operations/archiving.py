"""Moving finished vouchers and their history out of the live tables into the archive tables.

A voucher is archived when its state is final (reimbursed, retired, voided or expired) and it last
changed before a cut-off date. Archiving copies the voucher row and all its ``voucher_states`` rows
into ``archived_vouchers`` and ``archived_voucher_states`` with INSERT ... SELECT, then deletes the
originals. Each batch of vouchers moves in one transaction, so an interrupted run leaves every
voucher either live or archived, never half of each.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa

from arc import clock
from arc.extensions import db
from arc.operations.models import ArchivedVoucher, ArchivedVoucherState
from arc.vouchers.models import Voucher, VoucherState
from arc.vouchers.states import EXPIRED, REIMBURSED, RETIRED, VOIDED

logger = logging.getLogger(__name__)

FINISHED_STATES = (REIMBURSED, RETIRED, VOIDED, EXPIRED)
DEFAULT_BATCH_SIZE = 5000
MAX_BATCH_SIZE = 50000

VOUCHER_COLUMNS = (
    "id", "bundle_id", "delivery_id", "trader_id", "code", "currentstate", "sponsor_id",
    "created_at", "updated_at", "deleted_at",
)
STATE_COLUMNS = (
    "id", "transition", "from", "user_id", "user_type", "voucher_id", "to", "state_token_id", "source",
    "created_at", "updated_at",
)


class ArchiveError(Exception):
    """An archive run that cannot start, or a batch whose copy and delete counts disagree."""


@dataclass(frozen=True)
class ArchiveCount:
    """How many vouchers, and history rows of theirs, a run would move."""

    vouchers: int
    history_rows: int


@dataclass(frozen=True)
class ArchivedBatch:
    """One batch that moved: the counts, and the highest voucher id in it (where the next batch starts)."""

    vouchers: int
    history_rows: int
    last_voucher_id: int


def check_cutoff(cutoff, today=None):
    """Raise ArchiveError for a cut-off after today: vouchers cannot have changed in the future."""
    today = today or clock.today()
    if cutoff > today:
        raise ArchiveError(f"The cut-off date {cutoff:%Y-%m-%d} is after today; choose today or an earlier date.")


def parse_cutoff(text):
    """Return the date of a ``YYYY-MM-DD`` string, or raise ArchiveError naming the text."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ArchiveError(f"Invalid cut-off date {text!r}: write it as YYYY-MM-DD, for example 2023-09-01.") from None


def _archivable(cutoff):
    """Return the condition on ``vouchers`` that selects the vouchers to archive."""
    start_of_cutoff = datetime.combine(cutoff, time.min)
    return sa.and_(Voucher.currentstate.in_(FINISHED_STATES), Voucher.updated_at < start_of_cutoff)


def count_archivable(cutoff):
    """Return the ArchiveCount of vouchers that ``archive_next_batch`` would move for this cut-off."""
    condition = _archivable(cutoff)
    vouchers = db.session.scalar(sa.select(sa.func.count()).select_from(Voucher).where(condition))
    history_rows = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(VoucherState)
        .where(VoucherState.voucher_id.in_(sa.select(Voucher.id).where(condition)))
    )
    return ArchiveCount(vouchers, history_rows)


def _copy(source_table, target_table, columns, condition, extra=None):
    """INSERT INTO target (columns) SELECT columns FROM source WHERE condition; return the row count."""
    extra = extra or {}
    selected = [source_table.c[name] for name in columns]
    selected += [sa.literal(value, type_=target_table.c[name].type).label(name) for name, value in extra.items()]
    statement = sa.insert(target_table).from_select(
        [*columns, *extra], sa.select(*selected).where(condition)
    )
    return db.session.execute(statement).rowcount


def archive_next_batch(cutoff, after_id=0, batch_size=DEFAULT_BATCH_SIZE, archived_at=None):
    """Archive up to ``batch_size`` vouchers with ids above ``after_id``, lowest ids first.

    Locks the batch's voucher rows, replaces any copy of them already in the archive (the previous
    service's archive command copied finished vouchers without history but never deleted them),
    copies the vouchers and their history, and deletes the originals. Executes the statements and
    leaves the commit to the caller. Returns an ArchivedBatch, or None when no voucher is left.
    """
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise ArchiveError(f"The batch size must be between 1 and {MAX_BATCH_SIZE}, not {batch_size}.")
    archived_at = archived_at or clock.now()
    condition = _archivable(cutoff)
    ids = db.session.scalars(
        sa.select(Voucher.id)
        .where(condition, Voucher.id > after_id)
        .order_by(Voucher.id)
        .limit(batch_size)
        .with_for_update()
    ).all()
    if not ids:
        return None

    # The locked rows are exactly the vouchers in this id range that match, so the statements below
    # select them by range and condition instead of carrying a list of ids.
    in_batch = sa.and_(Voucher.id.between(ids[0], ids[-1]), condition)
    batch_ids = sa.select(Voucher.id).where(in_batch)
    vouchers = Voucher.__table__
    states = VoucherState.__table__
    archived_vouchers = ArchivedVoucher.__table__
    archived_states = ArchivedVoucherState.__table__

    db.session.execute(sa.delete(archived_states).where(archived_states.c.voucher_id.in_(batch_ids)))
    db.session.execute(sa.delete(archived_vouchers).where(archived_vouchers.c.id.in_(batch_ids)))
    copied_vouchers = _copy(vouchers, archived_vouchers, VOUCHER_COLUMNS, in_batch, {"archived_at": archived_at})
    copied_states = _copy(states, archived_states, STATE_COLUMNS, states.c.voucher_id.in_(batch_ids))
    deleted_states = db.session.execute(sa.delete(states).where(states.c.voucher_id.in_(batch_ids))).rowcount
    deleted_vouchers = db.session.execute(sa.delete(vouchers).where(in_batch)).rowcount

    if (copied_vouchers, copied_states) != (deleted_vouchers, deleted_states) or deleted_vouchers != len(ids):
        raise ArchiveError(
            f"Archiving vouchers {ids[0]} to {ids[-1]} went wrong: {len(ids)} selected, {copied_vouchers} copied "
            f"and {deleted_vouchers} deleted, {copied_states} history rows copied and {deleted_states} deleted. "
            "The batch was not kept."
        )
    logger.info(
        "archived vouchers %s to %s: %s vouchers and %s history rows", ids[0], ids[-1], deleted_vouchers, deleted_states
    )
    return ArchivedBatch(deleted_vouchers, deleted_states, ids[-1])
