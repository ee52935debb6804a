"""Finding registrations for the store portal's family search, and facts derived from a family's dates."""

import math
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from arc.extensions import db
from arc.registrations import access
from arc.registrations.models import Carer, Family, Registration

PER_PAGE = 10
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class SearchRow:
    registration: Registration
    main_carer_name: str

    @property
    def family(self):
        return self.registration.family


@dataclass(frozen=True)
class SearchPage:
    """One page of search results; ``page`` is 1-based and may be past the last page (then ``rows`` is empty)."""

    rows: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_number(self):
        """The position of the first row shown, counted from 1 (0 when nothing is shown)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_number(self):
        return (self.page - 1) * self.per_page + len(self.rows) if self.rows else 0


def active_family_condition():
    """Return the SQL condition of a family that has not left, or rejoined after it last left."""
    return sa.or_(
        Family.leaving_on.is_(None),
        sa.and_(Family.rejoin_on.is_not(None), Family.rejoin_on > Family.leaving_on),
    )


def _main_carer_ids():
    """Return a subquery of each family's main carer id: its lowest carer id."""
    return (
        sa.select(Carer.family_id, sa.func.min(Carer.id).label("carer_id"))
        .group_by(Carer.family_id)
        .subquery("main_carers")
    )


def _like_pattern(text):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _name_condition(column, name, fuzzy):
    """Match a name: the whole text as a part of the name, or in fuzzy mode each word anywhere in any order."""
    terms = name.split() if fuzzy else [name]
    return sa.and_(*(sa.func.lower(column).like(_like_pattern(term.lower()), escape="\\") for term in terms))


def natural_key(name):
    """Return a sort key that orders "Ann 2" before "Ann 10" and ignores case, then uses case to break ties."""
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in _DIGITS.split(name) if part)
    return (parts, name)


def search_registrations(
    user,
    *,
    name=None,
    fuzzy=False,
    include_left=False,
    centre_id=None,
    chosen_centre_id=None,
    descending=False,
    page=1,
    per_page=PER_PAGE,
):
    """Return one page of the registrations ``user`` may see, ordered by main carer name.

    ``name`` filters on the main carer's name and matches nobody when nobody has it.
    ``chosen_centre_id`` is the centre picked in the masthead and ``centre_id`` a centre picked on the
    page; both narrow the list within the user's centres and never widen it. Families that have left
    are included only with ``include_left``.
    """
    centre_ids = access.relevant_centre_ids(user)
    page = max(1, page)
    if not centre_ids:
        return SearchPage([], 0, page, per_page)

    main_carers = _main_carer_ids()
    query = (
        sa.select(Registration.id, Carer.name)
        .join(Family, Family.id == Registration.family_id)
        .join(main_carers, main_carers.c.family_id == Family.id)
        .join(Carer, Carer.id == main_carers.c.carer_id)
        .where(Registration.centre_id.in_(centre_ids))
    )
    for narrowed in (chosen_centre_id, centre_id):
        if narrowed is not None:
            query = query.where(Registration.centre_id == narrowed)
    if name and name.strip():
        query = query.where(_name_condition(Carer.name, name.strip(), fuzzy))
    if not include_left:
        query = query.where(active_family_condition())

    # Natural name order cannot be done in SQL on both engines; the id and name pairs are small.
    matches = sorted(db.session.execute(query).all(), key=lambda row: (natural_key(row.name), row.id), reverse=descending)
    window = matches[(page - 1) * per_page: page * per_page]
    loaded = {
        registration.id: registration
        for registration in db.session.scalars(
            sa.select(Registration)
            .where(Registration.id.in_([row.id for row in window]))
            .options(selectinload(Registration.family), selectinload(Registration.centre))
        )
    }
    rows = [SearchRow(loaded[row.id], row.name) for row in window]
    return SearchPage(rows, len(matches), page, per_page)


def _as_date(value):
    return value.date() if isinstance(value, datetime) else value


def days_on_programme(registration, on_date):
    """Return the days a registration's family has been on the project by ``on_date``, adding up active spells.

    A spell runs from joining (the registration's creation) or rejoining to leaving, or to ``on_date``
    while the family is active.

    NOTE: a family keeps only its latest leaving and rejoining dates. For a family that left, rejoined
    and left again, the first leaving date is gone, so the gap before the rejoin is counted as active.
    """
    family = registration.family
    joined = _as_date(registration.created_at) or on_date
    left = _as_date(family.leaving_on)
    rejoined = _as_date(family.rejoin_on)
    if left is None:
        return _days(joined, on_date)
    if rejoined is None:
        return _days(joined, left)
    if family.is_active:
        return _days(joined, left) + _days(rejoined, on_date)
    return _days(joined, left)


def _days(start, end):
    return max(0, (end - start).days)


def family_status(family):
    """Return "active" for a family on the project and "left" for one that has left."""
    return "active" if family.is_active else "left"


def leaving_date(family):
    """Return the date the family last left, or None."""
    return _as_date(family.leaving_on) if family.leaving_on else None
