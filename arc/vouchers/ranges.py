"""Range look-ups for the staff operations: narrow reads of the code index, and locks by primary key.

``queries.range_filter`` reads every code of a shortcode, because a number may be written with any
count of leading zeros. When the range's first and last numbers have the same count of digits, every
number between them starts with their common digits, so each code of the range starts with the
shortcode, some zeros and those digits. ``range_condition`` adds one prefix LIKE per count of zeros,
which MariaDB and MySQL read as a few narrow ranges of the code index instead of the whole shortcode.

Locking reads go by primary key only: a ``SELECT ... FOR UPDATE`` through the code index would lock
every row it scans in REPEATABLE READ, so other vouchers of the area would wait too.
"""

import os

import sqlalchemy as sa

from arc.extensions import db
from arc.vouchers.models import Voucher
from arc.vouchers.queries import code_number, range_filter, shortcode_filter

CODE_LENGTH = 32
LOCK_CHUNK_SIZE = 2000


def code_prefixes(shortcode, start, end):
    """Return code prefixes such that each code of ``shortcode`` numbered ``start``..``end`` starts with one.

    Returns None when the numbers give no common leading digits (different digit counts, or a range
    from 0), so that the caller reads the whole shortcode.
    """
    first, last = str(start), str(end)
    if len(first) != len(last):
        return None
    common = os.path.commonprefix([first, last])
    if not common or common.startswith("0"):
        return None
    longest_padding = CODE_LENGTH - len(shortcode) - len(first)
    return [shortcode + "0" * zeros + common for zeros in range(0, longest_padding + 1)]


def _narrowing(shortcode, start, end):
    prefixes = code_prefixes(shortcode, start, end)
    if prefixes is None:
        return sa.true()
    if not prefixes:
        return sa.false()  # the numbers are too long for any code of this shortcode
    return sa.or_(*(Voucher.code.like(f"{prefix}%") for prefix in prefixes))


def numbered_condition(shortcode, start, end):
    """Return a SQL condition for codes of ``shortcode`` numbered ``start``..``end``, of any sponsor.

    Soft-deleted vouchers match too.
    """
    number = code_number(shortcode)
    return sa.and_(shortcode_filter(shortcode), _narrowing(shortcode, start, end), number.between(start, end))


def range_condition(sponsor_id, voucher_range):
    """Return ``queries.range_filter`` for the sponsor's range, narrowed to the range's code prefixes."""
    return sa.and_(
        range_filter(sponsor_id, voucher_range),
        _narrowing(voucher_range.shortcode, voucher_range.start, voucher_range.end),
    )


def lock_in_state(ids, state):
    """Lock the vouchers with these ids that are in ``state`` and not deleted; return their ``(id, code)`` rows.

    Rows come in id order. Locks are taken by primary key, in chunks of ``LOCK_CHUNK_SIZE`` ids.
    """
    ordered = sorted(set(ids))
    locked = []
    for offset in range(0, len(ordered), LOCK_CHUNK_SIZE):
        chunk = ordered[offset:offset + LOCK_CHUNK_SIZE]
        locked.extend(
            db.session.execute(
                sa.select(Voucher.id, Voucher.code)
                .where(Voucher.id.in_(chunk), Voucher.currentstate == state, Voucher.deleted_at.is_(None))
                .order_by(Voucher.id)
                .with_for_update()
            ).all()
        )
    return locked
