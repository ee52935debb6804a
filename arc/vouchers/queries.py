"""Voucher look-ups by code, by numeric range, and the runs of printed vouchers ready for delivery.

Soft-deleted vouchers are never returned.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from arc.extensions import db
from arc.vouchers.codes import normalise_code, parse_range
from arc.vouchers.models import Voucher
from arc.vouchers.states import PRINTED

# Codes with more digits than this are not treated as numbered, because their numbers would
# overflow a signed 64-bit CAST, which MySQL in strict mode reports as an error inside UPDATE.
MAX_NUMBER_DIGITS = 18

# Size of each IN list that ``find_by_codes`` sends.
_CODES_PER_QUERY = 1000

# Engines whose string comparison ignores case with the live schema's utf8mb4_unicode_ci collation.
_CASE_INSENSITIVE_DIALECTS = {"mysql", "mariadb"}


class VoucherNotFound(LookupError):
    """No voucher has the code that was asked for."""

    def __init__(self, code):
        self.code = code
        super().__init__(f"Voucher {code!r} not found.")


@dataclass(frozen=True)
class VoucherRun:
    """Consecutively numbered vouchers of one shortcode, with the ids and codes of both ends."""

    shortcode: str
    start: int
    end: int
    first_id: int
    first_code: str
    last_id: int
    last_code: str

    @property
    def size(self):
        return self.end - self.start + 1

    def contains(self, voucher_range):
        """Return whether ``voucher_range`` has this run's shortcode and lies wholly inside it."""
        return (
            voucher_range.shortcode == self.shortcode
            and self.start <= voucher_range.start
            and voucher_range.end <= self.end
        )


def find_by_code(code):
    """Return the voucher with ``code`` after normalising it (the lowest id if several match), or ``None``."""
    vouchers = find_by_codes([code])
    return vouchers[0] if vouchers else None


def find_by_codes(codes):
    """Return the vouchers whose codes match ``codes`` after normalisation, in id order.

    Map a result back to its input with ``normalise_code(voucher.code)``. Codes stored in lower
    case by old data match too.
    """
    requested = sorted({normalise_code(code) for code in codes} - {""})
    found = {}
    for offset in range(0, len(requested), _CODES_PER_QUERY):
        chunk = requested[offset:offset + _CODES_PER_QUERY]
        for voucher in _query_codes(Voucher.code.in_(chunk)):
            found[voucher.id] = voucher

    # The exact IN above uses the vouchers.code index. MySQL and MariaDB compare with the schema's
    # case-insensitive collation, so it already matched lower-case codes. Case-sensitive engines
    # (SQLite) retry only the codes still missing on upper(code), which scans the table.
    if not _compares_without_case():
        missing = sorted(set(requested) - {normalise_code(voucher.code) for voucher in found.values()})
        for offset in range(0, len(missing), _CODES_PER_QUERY):
            chunk = missing[offset:offset + _CODES_PER_QUERY]
            for voucher in _query_codes(sa.func.upper(Voucher.code).in_(chunk)):
                found[voucher.id] = voucher

    # The collation also equates full-width letters, accents and zero-width characters, so keep only
    # the vouchers whose code really is one of those requested.
    requested_codes = set(requested)
    return [
        found[voucher_id] for voucher_id in sorted(found) if normalise_code(found[voucher_id].code) in requested_codes
    ]


def _query_codes(condition):
    query = sa.select(Voucher).where(condition, Voucher.deleted_at.is_(None)).order_by(Voucher.id)
    return db.session.execute(query).scalars()


def _compares_without_case():
    return db.session.get_bind().dialect.name in _CASE_INSENSITIVE_DIALECTS


def define_range(start_code, end_code, allow_single=True):
    """Return ``(sponsor_id, VoucherRange)`` for a range form's two codes, with the start voucher's sponsor.

    Both codes must belong to existing vouchers, else ``VoucherNotFound`` names the first missing
    one. Raises the errors of ``parse_range`` for codes that do not form a range.
    """
    voucher_range = parse_range(start_code, end_code, allow_single=allow_single)
    start = find_by_code(start_code)
    if start is None:
        raise VoucherNotFound(normalise_code(start_code))
    if normalise_code(end_code) and find_by_code(end_code) is None:
        raise VoucherNotFound(normalise_code(end_code))
    return start.sponsor_id, voucher_range


def code_number(shortcode):
    """Return a SQL expression for the number in a code of ``shortcode``, NULL when it is not digits.

    The expression assumes the code starts with the shortcode: combine it with ``shortcode_filter``.
    The CASE keeps non-digit text away from the CAST, because MySQL in strict mode turns the
    truncation warning of such a CAST into an error inside UPDATE and INSERT ... SELECT.
    """
    suffix = sa.func.substr(Voucher.code, len(shortcode) + 1)
    digits_only = suffix.regexp_match(f"^[0-9]{{1,{MAX_NUMBER_DIGITS}}}$")
    return sa.case((digits_only, sa.cast(suffix, sa.BigInteger)), else_=sa.null())


def shortcode_filter(shortcode):
    """Return a SQL condition for codes starting with ``shortcode`` (letters only), in any case.

    A prefix LIKE can use the vouchers.code index on MySQL and MariaDB. SQLite's LIKE ignores ASCII
    case, so it cannot use that binary index. SQLite is for tests and development only.
    """
    if not shortcode.isascii() or not shortcode.isalpha():
        raise ValueError(f"Invalid shortcode {shortcode!r}: use letters only.")
    return Voucher.code.like(f"{shortcode}%")


def range_filter(sponsor_id, voucher_range):
    """Return a SQL condition for the sponsor's vouchers numbered inside ``voucher_range``.

    A code counts when it is the shortcode followed by digits only. The digits are compared as a
    number, so TST0101 and TST101 both count as 101. The condition suits ``apply_to_many``.

    NOTE: the index narrows the scan to the codes of the shortcode but not to the numbers. Every
    code of the shortcode is read once, so the cost grows with the sponsor's voucher count.
    """
    number = code_number(voucher_range.shortcode)
    return sa.and_(
        shortcode_filter(voucher_range.shortcode),
        Voucher.sponsor_id == sponsor_id,
        number.between(voucher_range.start, voucher_range.end),
    )


def vouchers_in_range(sponsor_id, voucher_range):
    """Return the sponsor's vouchers numbered inside ``voucher_range``, in id order."""
    return list(_query_codes(range_filter(sponsor_id, voucher_range)))


def deliverable_runs(shortcode):
    """Return the runs of consecutive numbers among printed, undelivered vouchers of ``shortcode``.

    Runs are in number order. Two codes with the same number (TST0101 and TST101) count once, and
    the lower id is reported at either end.
    """
    return _runs(shortcode)


def is_deliverable(voucher_range):
    """Return whether every number of ``voucher_range`` is a printed, undelivered voucher.

    That is the same as lying wholly inside one of ``deliverable_runs``. Only the range's own numbers
    are grouped, so the check does not sort every voucher of the shortcode.
    """
    runs = _runs(voucher_range.shortcode, within=voucher_range)
    return len(runs) == 1 and (runs[0].start, runs[0].end) == (voucher_range.start, voucher_range.end)


def _runs(shortcode, within=None):
    """Group deliverable vouchers into runs ("gaps and islands"), optionally only numbers ``within``.

    Numbers minus their dense rank is constant along a run of consecutive numbers, so it names the
    run. Window functions need SQLite 3.25, MariaDB 10.2 or MySQL 8.
    """
    number = code_number(shortcode)
    conditions = [
        shortcode_filter(shortcode),
        number.is_not(None),
        Voucher.currentstate == PRINTED,
        Voucher.delivery_id.is_(None),
        Voucher.deleted_at.is_(None),
    ]
    if within is not None:
        conditions.append(number.between(within.start, within.end))
    numbered = sa.select(Voucher.id, Voucher.code, number.label("voucher_number")).where(*conditions).subquery()

    # MySQL's DENSE_RANK is unsigned, so the CAST keeps the subtraction signed when numbers start at 0.
    rank = sa.cast(sa.func.dense_rank().over(order_by=numbered.c.voucher_number), sa.BigInteger)
    islands = sa.select(numbered, (numbered.c.voucher_number - rank).label("island")).subquery()

    by_start = sa.func.row_number().over(partition_by=islands.c.island, order_by=(islands.c.voucher_number, islands.c.id))
    by_end = sa.func.row_number().over(
        partition_by=islands.c.island, order_by=(islands.c.voucher_number.desc(), islands.c.id)
    )
    ends = sa.select(islands, by_start.label("from_start"), by_end.label("from_end")).subquery()

    run_start = sa.func.min(ends.c.voucher_number).label("run_start")
    query = (
        sa.select(
            run_start,
            sa.func.max(ends.c.voucher_number).label("run_end"),
            sa.func.max(sa.case((ends.c.from_start == 1, ends.c.id))).label("first_id"),
            sa.func.max(sa.case((ends.c.from_start == 1, ends.c.code))).label("first_code"),
            sa.func.max(sa.case((ends.c.from_end == 1, ends.c.id))).label("last_id"),
            sa.func.max(sa.case((ends.c.from_end == 1, ends.c.code))).label("last_code"),
        )
        .group_by(ends.c.island)
        .order_by(run_start)
    )
    return [
        VoucherRun(shortcode, int(row.run_start), int(row.run_end), row.first_id, row.first_code, row.last_id, row.last_code)
        for row in db.session.execute(query)
    ]

