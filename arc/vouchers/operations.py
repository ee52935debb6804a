"""Staff operations on many vouchers at once: printing a batch, and voiding or expiring a range.

The functions here flush and never commit. The caller commits once, so each operation changes all
of its vouchers or none.
"""

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from arc import clock
from arc.extensions import db
from arc.vouchers import states
from arc.vouchers.codes import format_batch_code
from arc.vouchers.models import Voucher
from arc.vouchers.queries import code_number
from arc.vouchers.ranges import lock_in_state, numbered_condition, range_condition

logger = logging.getLogger(__name__)

# Bounds of the numbers a batch may print, and the largest batch one request may create. The largest
# batch took about 8 seconds on MariaDB 10.11 on a 2-CPU development machine.
MIN_BATCH_NUMBER = 0
MAX_BATCH_NUMBER = 99_999_999
MAX_BATCH_SIZE = 100_000

# Rows sent in one multi-row INSERT.
INSERT_CHUNK_SIZE = 1000

# How many codes an error or a result message lists before it gives only a count.
LISTED_CODES = 20

VOIDING_TRANSITIONS = ("void", "expire")


class BatchTooLarge(ValueError):
    """A batch larger than ``MAX_BATCH_SIZE`` vouchers."""


class CodesAlreadyExist(Exception):
    """Some numbers of a requested batch are already used by vouchers of that shortcode."""

    def __init__(self, codes, count):
        self.codes = codes
        self.count = count
        listed = ", ".join(codes)
        more = f" and {count - len(codes)} more" if count > len(codes) else ""
        super().__init__(
            f"No vouchers were created: {count} voucher{'s' if count != 1 else ''} in this range already "
            f"exist{'s' if count == 1 else ''} ({listed}{more}). Choose numbers that are not used yet."
        )


class NothingToVoid(Exception):
    """No voucher in the range is dispatched, so none can be voided or expired."""


@dataclass
class RetiredRange:
    """What a void or expire of a range did: the codes retired, and the codes left as they were.

    ``not_retired`` contains ``(code, state)`` pairs of vouchers that were not dispatched, at most
    ``LISTED_CODES`` of them, in number order; ``not_retired_count`` counts every voucher of the
    range that this call did not retire.
    """

    transition: str
    retired_codes: list = field(default_factory=list)
    not_retired: list = field(default_factory=list)
    not_retired_count: int = 0

    @property
    def retired_count(self):
        return len(self.retired_codes)


def create_batch(sponsor, start, end, actor, now=None):
    """Insert printed vouchers numbered ``start`` to ``end`` for ``sponsor`` and return how many.

    Codes are the sponsor's shortcode and the number padded to 5 digits (``format_batch_code``). No
    history row is written: a voucher is born ``printed``. Raises ``BatchTooLarge`` for more than
    ``MAX_BATCH_SIZE`` vouchers.

    Raises ``CodesAlreadyExist`` when any number of the range is already used by a voucher of the
    shortcode, soft-deleted ones included, whatever its padding. TST0050 and TST00050 are both
    number 50, and a range operation would treat them as one voucher.
    """
    if not MIN_BATCH_NUMBER <= start <= end <= MAX_BATCH_NUMBER:
        raise ValueError(f"Invalid batch {start} to {end}: numbers must run upwards from 0 to {MAX_BATCH_NUMBER}.")
    size = end - start + 1
    if size > MAX_BATCH_SIZE:
        raise BatchTooLarge(
            f"A batch of {size:,} vouchers is too large: create at most {MAX_BATCH_SIZE:,} at a time."
        )

    existing, count = existing_codes(sponsor.shortcode, start, end)
    if count:
        raise CodesAlreadyExist(existing, count)

    now = now or clock.now()
    for first in range(start, end + 1, INSERT_CHUNK_SIZE):
        last = min(first + INSERT_CHUNK_SIZE - 1, end)
        rows = [
            {
                "code": format_batch_code(sponsor.shortcode, number),
                "sponsor_id": sponsor.id,
                "currentstate": states.PRINTED,
                "created_at": now,
                "updated_at": now,
            }
            for number in range(first, last + 1)
        ]
        db.session.execute(sa.insert(Voucher), rows)
    logger.info(
        "%s %s created %s printed vouchers %s to %s",
        actor.type_name, actor.id, size, format_batch_code(sponsor.shortcode, start),
        format_batch_code(sponsor.shortcode, end),
    )
    return size


def existing_codes(shortcode, start, end):
    """Return ``(codes, count)``: up to ``LISTED_CODES`` codes of ``shortcode`` numbered ``start``..``end``.

    Soft-deleted vouchers count, because the unique index on codes covers them too.
    """
    number = code_number(shortcode)
    condition = numbered_condition(shortcode, start, end)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Voucher).where(condition))
    if not count:
        return [], 0
    codes = db.session.scalars(
        sa.select(Voucher.code).where(condition).order_by(number, Voucher.id).limit(LISTED_CODES)
    ).all()
    return list(codes), count


def _in_number_order(codes, shortcode):
    return sorted(codes, key=lambda code: (int(code[len(shortcode):]), code))


def retire_range(sponsor_id, voucher_range, transition, actor, now=None):
    """Void or expire the dispatched vouchers of a range, then retire them; return a ``RetiredRange``.

    ``transition`` is ``void`` or ``expire``. Only vouchers that are ``dispatched`` when the call runs
    change: each gets a history row to ``voided`` (or ``expired``) and one to ``retired``, with the
    real previous state. Every other voucher of the range keeps its state and is reported, including
    one already voided or expired before. Raises ``NothingToVoid``, changing nothing, when no voucher
    of the range is dispatched.
    """
    if transition not in VOIDING_TRANSITIONS:
        raise ValueError(f"Invalid transition {transition!r}: use one of {', '.join(VOIDING_TRANSITIONS)}.")
    now = now or clock.now()
    in_range = range_condition(sponsor_id, voucher_range) & Voucher.deleted_at.is_(None)
    number = code_number(voucher_range.shortcode)

    # Read the range without locks, then lock its dispatched vouchers by primary key, so that the
    # two transitions below cover exactly these rows and no other voucher of the area waits.
    candidates = db.session.scalars(sa.select(Voucher.id).where(in_range, Voucher.currentstate == states.DISPATCHED))
    locked = lock_in_state(candidates, states.DISPATCHED)
    if not locked:
        raise NothingToVoid(
            f"No voucher from {voucher_range.shortcode}{voucher_range.start} to "
            f"{voucher_range.shortcode}{voucher_range.end} is dispatched, so none can be voided or expired. "
            "Nothing was changed."
        )
    codes_by_id = {row.id: row.code for row in locked}

    in_range_count = db.session.scalar(sa.select(sa.func.count()).select_from(Voucher).where(in_range))
    not_retired_count = in_range_count - len(locked)
    left = sa.and_(in_range, Voucher.currentstate != states.DISPATCHED)
    not_retired = db.session.execute(
        sa.select(Voucher.code, Voucher.currentstate).where(left).order_by(number, Voucher.id).limit(LISTED_CODES)
    ).all()

    ids = list(codes_by_id)
    changed = states.apply_to_many(transition, ids, actor, at=now)
    retired = states.apply_to_many("retire", ids, actor, at=now)
    if not changed == retired == len(ids):
        raise RuntimeError(f"Retiring {len(ids)} locked vouchers changed {changed}, then retired {retired}.")
    logger.info(
        "%s %s applied %s and retire to %s vouchers from %s%s to %s%s; %s left unchanged",
        actor.type_name, actor.id, transition, len(ids), voucher_range.shortcode, voucher_range.start,
        voucher_range.shortcode, voucher_range.end, not_retired_count,
    )
    return RetiredRange(
        transition=transition,
        retired_codes=_in_number_order(codes_by_id.values(), voucher_range.shortcode),
        not_retired=[(row.code, row.currentstate) for row in not_retired],
        not_retired_count=not_retired_count,
    )
