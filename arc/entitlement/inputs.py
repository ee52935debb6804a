"""Plain inputs of the entitlement rules, and builders that read them from model-like objects.

The builders use attribute access only, so they accept the ORM models, test doubles or any object
with the same attribute names, and this package never imports the models.
"""

from dataclasses import dataclass
from datetime import date, datetime


def as_date(value):
    """Return the calendar date of a date or datetime (the database stores dates of birth as datetimes)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, got {value!r}")


@dataclass(frozen=True)
class ChildInput:
    """One child row of a family: a child, or a pregnancy whose ``dob`` is the due date.

    Whether the row is born is not stored here: the rules derive it from ``dob`` and the evaluation
    date. ``verified`` is None when ID was never asked for.
    """

    dob: date
    verified: bool | None = None
    deferred: bool = False
    is_pri_carer: bool | None = None
    id: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "dob", as_date(self.dob))


@dataclass(frozen=True)
class FamilyInput:
    """A family's child rows in id order, and its leaving and rejoining times."""

    children: tuple[ChildInput, ...] = ()
    leaving_on: datetime | None = None
    rejoin_on: datetime | None = None

    def __post_init__(self):
        object.__setattr__(self, "children", tuple(self.children))

    @property
    def is_active(self):
        """Return whether the family has not left, or rejoined after it last left."""
        if self.leaving_on is None:
            return True
        return self.rejoin_on is not None and self.rejoin_on > self.leaving_on


@dataclass(frozen=True)
class Override:
    """One row of an area's rule overrides: a value switches the rule on, None switches it off.

    ``entity`` is "Child" or "Family", or the stored form "App\\Child" or "App\\Family".
    """

    name: str
    entity: str
    purpose: str
    value: int | None


def overrides_from_evaluations(evaluations):
    """Return the overrides of an area from its evaluation rows, which must be in id order."""
    return tuple(Override(row.name, row.entity, row.purpose, row.value) for row in evaluations)


def child_input_from(child):
    """Return the input for a child row read from a model-like object."""
    return ChildInput(
        dob=child.dob,
        verified=child.verified,
        deferred=bool(child.deferred),
        is_pri_carer=child.is_pri_carer,
        id=child.id,
    )


def family_input_from(family):
    """Return the input for a family and its child rows (taken in the order given, id order)."""
    return FamilyInput(
        children=tuple(child_input_from(child) for child in family.children),
        leaving_on=family.leaving_on,
        rejoin_on=family.rejoin_on,
    )
