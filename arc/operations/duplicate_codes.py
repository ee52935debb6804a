"""Voucher codes used by more than one voucher, live or archived.

Codes are compared as the service normalises them: in upper case, with whitespace removed. The
unique index on ``vouchers.code`` compares codes as stored, so ``RVNT0001`` and ``rvnt 0001`` can
both exist on SQLite. On MySQL the index ignores case but not whitespace inside a code, and
databases from before the index may hold duplicates of any kind. Archived vouchers count too,
because a code re-used after archiving still names two vouchers in the reports.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from arc.extensions import db
from arc.operations.models import ArchivedVoucher
from arc.vouchers.models import Voucher

# Removed before codes are compared: space, tab, line feed, carriage return, vertical tab, form feed
# and no-break space. Other Unicode spaces cannot be typed into the forms that create codes.
WHITESPACE = (" ", "\t", "\n", "\r", "\v", "\f", "\u00a0")


@dataclass(frozen=True)
class CodeHolder:
    """One voucher that has a duplicated code, as stored."""

    voucher_id: int
    code: str
    state: str
    deleted: bool
    archived: bool

    def describe(self):
        notes = [self.state]
        if self.deleted:
            notes.append("deleted")
        if self.archived:
            notes.append("archived")
        return f"id {self.voucher_id}, code {self.code!r}, {', '.join(notes)}"


@dataclass(frozen=True)
class DuplicateCode:
    """A normalised code and the vouchers that have it, in id order."""

    code: str
    holders: tuple


def normalised(column):
    """Return a SQL expression of ``column`` in upper case with the WHITESPACE characters removed."""
    stripped = column
    for character in WHITESPACE:
        stripped = sa.func.replace(stripped, character, "")
    return sa.func.upper(stripped)


def _all_codes():
    """Return a subquery of every live voucher and every archived voucher that is not also live."""
    archived = ArchivedVoucher.__table__
    live = sa.select(
        Voucher.id.label("voucher_id"),
        Voucher.code.label("code"),
        Voucher.currentstate.label("state"),
        Voucher.deleted_at.label("deleted_at"),
        sa.literal(False).label("archived"),
        normalised(Voucher.code).label("normalised"),
    )
    # The previous service's archive command left some archived vouchers in place. Such a row is a
    # copy of the live voucher with the same id, not a second voucher.
    archived_only = sa.select(
        archived.c.id,
        archived.c.code,
        archived.c.currentstate,
        archived.c.deleted_at,
        sa.literal(True),
        normalised(archived.c.code),
    ).where(~sa.exists().where(Voucher.id == archived.c.id))
    return sa.union_all(live, archived_only).subquery("codes")


def find_duplicate_codes():
    """Return a DuplicateCode for each normalised code held by more than one voucher, ordered by code."""
    codes = _all_codes()
    duplicated = (
        sa.select(codes.c.normalised).group_by(codes.c.normalised).having(sa.func.count() > 1)
    )
    rows = db.session.execute(
        sa.select(codes)
        .where(codes.c.normalised.in_(duplicated))
        .order_by(codes.c.normalised, codes.c.archived, codes.c.voucher_id)
    ).all()

    grouped = {}
    for row in rows:
        holder = CodeHolder(row.voucher_id, row.code, row.state, row.deleted_at is not None, bool(row.archived))
        grouped.setdefault(row.normalised, []).append(holder)
    return [DuplicateCode(code, tuple(holders)) for code, holders in grouped.items()]
