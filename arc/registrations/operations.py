"""Registering a family at a centre, changing its details, and its leaving and rejoining the project.

Every function takes the acting centre user and the current time (``now``), flushes and never
commits. Updates change rows in place: child and carer ids stay the same, and a value the form did
not show is passed as ``UNCHANGED`` and kept.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from arc.centres.models import Centre
from arc.database import locking
from arc.entitlement.dates import is_born
from arc.extensions import db
from arc.registrations.models import LEAVING_REASONS, Carer, Child, Family, Registration

logger = logging.getLogger(__name__)

HSBS_RECEIVING = "healthy-start-receiving"
# The name a removed collector keeps: the row stays for the collection history, without the person's name.
REMOVED_CARER_NAME = "Deleted"


class _Unchanged:
    def __repr__(self):
        return "UNCHANGED"


# A value the form did not show: the stored value is kept.
UNCHANGED = _Unchanged()


class RegistrationError(Exception):
    """A registration action that cannot be done; the message is worded for the centre worker."""


class NoCurrentCentre(RegistrationError):
    def __init__(self):
        super().__init__("You are not linked to a children's centre, so you cannot register a family yet.")


class FamilyHasLeft(RegistrationError):
    def __init__(self):
        super().__init__("This family has left the project. Rejoin the family before changing its details.")


class FamilyAlreadyLeft(RegistrationError):
    def __init__(self):
        super().__init__("This family has already left the project.")


class FamilyNotLeft(RegistrationError):
    def __init__(self):
        super().__init__("This family has not left the project, so it cannot rejoin.")


class InvalidLeavingReason(RegistrationError):
    def __init__(self, reason):
        super().__init__(f"{reason!r} is not one of the leaving reasons.")


class FamilyChanged(RegistrationError):
    """The family was saved by someone else after the form was opened, or the form names a carer or
    child that is no longer part of the family."""

    def __init__(self):
        super().__init__(
            "This family was changed after you opened this page, by someone else or by an earlier save "
            "of the same page, so nothing was saved. The page now shows the saved details: please make "
            "your changes again."
        )


@dataclass(frozen=True)
class ChildDetails:
    """A child row from a form: an existing child when ``id`` is set, else a new one.

    ``dob`` is any day of the birth (or due) month. ``verified`` and ``deferred`` are ``UNCHANGED``
    when the form did not ask.
    """

    dob: date
    id: int | None = None
    verified: object = UNCHANGED
    deferred: object = UNCHANGED
    is_pri_carer: object = UNCHANGED
    remove: bool = False


@dataclass(frozen=True)
class CollectorDetails:
    """A voucher collector (secondary carer) from a form: existing when ``id`` is set."""

    name: str
    id: int | None = None
    remove: bool = False


@dataclass(frozen=True)
class RegistrationDetails:
    """The contents of a registration form. Fields left ``UNCHANGED`` keep their stored values on update."""

    main_carer: str
    ethnicity: object = UNCHANGED
    language: object = UNCHANGED
    collectors: tuple = field(default_factory=tuple)
    children: tuple = field(default_factory=tuple)
    eligibility_hsbs: object = UNCHANGED
    eligibility_nrpf: object = UNCHANGED


def first_of_month(day):
    if isinstance(day, datetime):
        day = day.date()
    return datetime(day.year, day.month, 1)


def next_centre_sequence(centre):
    """Return the next family number of a centre, holding a lock on the centre row until commit.

    The no-op update takes a row lock on MariaDB and MySQL and the database write lock on SQLite, so
    a second registration at the same centre waits here until the first commits. The highest number
    is then read with FOR UPDATE, a locking read that sees the first registration's committed family
    even under REPEATABLE READ, where a plain read would use the transaction's older snapshot.
    """
    db.session.execute(sa.update(Centre).where(Centre.id == centre.id).values(updated_at=Centre.updated_at))
    highest = db.session.scalar(
        sa.select(sa.func.max(Family.centre_sequence)).where(Family.initial_centre_id == centre.id).with_for_update()
    )
    return (highest or 0) + 1


def lock_family_to_centre(family, centre):
    """Give a family its family number (RVID) at ``centre``, unless it already has one."""
    if family.centre_sequence is not None:
        return
    family.centre_sequence = next_centre_sequence(centre)
    family.initial_centre = centre
    family.initial_centre_id = centre.id


def create_registration(user, centre, details, now):
    """Register a new family at ``centre`` with its carers and children, and return the registration.

    Only the main carer gets the ethnicity and language answers. Raises NoCurrentCentre when
    ``centre`` is None.
    """
    if centre is None:
        raise NoCurrentCentre()
    family = Family(leave_amount=0)
    db.session.add(family)
    lock_family_to_centre(family, centre)
    db.session.add(
        Carer(
            family=family,
            name=details.main_carer,
            ethnicity=_value_or_none(details.ethnicity),
            language=_value_or_none(details.language),
        )
    )
    for collector in details.collectors:
        if not collector.remove:
            db.session.add(Carer(family=family, name=collector.name))
    for child in details.children:
        if not child.remove:
            _add_child(family, child, now)

    hsbs = _value_or_none(details.eligibility_hsbs)
    registration = Registration(
        family=family,
        centre_id=centre.id,
        consented_on=now,
        eligibility_hsbs=hsbs,
        eligibility_nrpf=_value_or_none(details.eligibility_nrpf),
        eligible_from=now if hsbs == HSBS_RECEIVING else None,
    )
    db.session.add(registration)
    db.session.flush()
    logger.info(
        "registration %s (family %s, %s) created at centre %s by centre user %s",
        registration.id, family.id, family.rvid, centre.id, user.id,
    )
    return registration


def _value_or_none(value):
    return None if value is UNCHANGED else value


def _add_child(family, details, now):
    dob = first_of_month(details.dob)
    child = Child(
        family=family,
        dob=dob,
        born=is_born(dob.date(), now.date()),
        verified=_value_or_none(details.verified),
        deferred=bool(_value_or_none(details.deferred)),
        is_pri_carer=_value_or_none(details.is_pri_carer),
    )
    db.session.add(child)
    return child


def main_carer(family):
    """Return the family's main carer, the carer with the lowest id, or None when it has none."""
    return family.carers[0] if family.carers else None


def active_collectors(family):
    """Return the family's other carers that have not been removed, in id order."""
    return [carer for carer in family.carers[1:] if carer.deleted_at is None]


def edit_version(registration):
    """Return a short fingerprint of everything the edit form shows of a registration.

    The edit page sends it back with the form; a different value at save time means someone else
    saved the family in between.
    """
    family = registration.family
    parts = [
        registration.eligibility_hsbs, registration.eligibility_nrpf, family.leaving_on, family.rejoin_on,
        *((carer.id, carer.name, carer.ethnicity, carer.language, carer.deleted_at) for carer in family.carers),
        *((child.id, child.dob, child.verified, child.deferred, child.is_pri_carer) for child in family.children),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def lock_family(registration):
    """Lock the registration's family row and return it as committed, so two leavings cannot both pass the check."""
    return db.session.scalars(locking(sa.select(Family).where(Family.id == registration.family_id))).one()


def lock_registration(registration):
    """Lock the registration's family, carers and children rows and reload them as committed.

    Locking reads see other transactions' committed changes even under REPEATABLE READ, so a
    fingerprint taken afterwards describes what is saved, and a second save of the same family
    waits here until the first commits. The family's carers and children lists are set from the
    locking reads, since a plain reload would read the transaction's older snapshot.
    """

    def locked(model, condition):
        return list(db.session.scalars(locking(sa.select(model).where(condition).order_by(model.id))))

    # The registration first: reloading it resets its family relationship, which is read after.
    locked(Registration, Registration.id == registration.id)
    family = registration.family
    locked(Family, Family.id == family.id)
    set_committed_value(family, "carers", locked(Carer, Carer.family_id == family.id))
    set_committed_value(family, "children", locked(Child, Child.family_id == family.id))


def update_registration(user, registration, details, now, version=None):
    """Change a registration's carers, children and eligibility answers in place.

    Rows marked ``remove`` are deleted (children) or kept renamed "Deleted" (collectors); rows the
    form did not list are left alone. ``version`` is the ``edit_version`` the form was shown with
(None skips the comparison).
    Raises FamilyHasLeft for a family that has left and not rejoined, and FamilyChanged when the
    family was saved since ``version`` or the form names a carer or child that is not in the family.
    """
    lock_registration(registration)
    family = registration.family
    if not family.is_active:
        raise FamilyHasLeft()
    if version is not None and version != edit_version(registration):
        raise FamilyChanged()
    _update_main_carer(family, details)
    _update_collectors(family, details.collectors, now)
    _update_children(family, details.children, now)
    _update_eligibility(registration, details, now)
    db.session.flush()
    logger.info("registration %s updated by centre user %s", registration.id, user.id)


def _update_main_carer(family, details):
    carer = main_carer(family)
    if carer is None:
        carer = Carer(family=family, name=details.main_carer)
        db.session.add(carer)
    carer.name = details.main_carer
    if details.ethnicity is not UNCHANGED:
        carer.ethnicity = details.ethnicity
    if details.language is not UNCHANGED:
        carer.language = details.language


def _update_collectors(family, collectors, now):
    current = {carer.id: carer for carer in active_collectors(family)}
    for collector in collectors:
        if collector.id is None:
            if not collector.remove:
                db.session.add(Carer(family=family, name=collector.name))
            continue
        carer = current.get(collector.id)
        if carer is None:
            raise FamilyChanged()
        if collector.remove:
            carer.deleted_at = now
            carer.name = REMOVED_CARER_NAME
        else:
            carer.name = collector.name


def _update_children(family, children, now):
    current = {child.id: child for child in family.children}
    for details in children:
        if details.id is None:
            if not details.remove:
                _add_child(family, details, now)
            continue
        child = current.get(details.id)
        if child is None:
            raise FamilyChanged()
        if details.remove:
            family.children.remove(child)
            db.session.delete(child)
            continue
        child.dob = first_of_month(details.dob)
        child.born = is_born(child.dob.date(), now.date())
        if details.verified is not UNCHANGED:
            child.verified = details.verified
        if details.deferred is not UNCHANGED:
            child.deferred = bool(details.deferred)
        if details.is_pri_carer is not UNCHANGED:
            child.is_pri_carer = details.is_pri_carer


def _update_eligibility(registration, details, now):
    if details.eligibility_nrpf is not UNCHANGED:
        registration.eligibility_nrpf = details.eligibility_nrpf
    if details.eligibility_hsbs is UNCHANGED:
        return
    registration.eligibility_hsbs = details.eligibility_hsbs
    if details.eligibility_hsbs != HSBS_RECEIVING:
        registration.eligible_from = None
    elif registration.eligible_from is None:
        registration.eligible_from = now


def leave_family(user, registration, reason, now):
    """Record that a registration's family left the project today for ``reason``.

    Raises InvalidLeavingReason for a reason not in the list, and FamilyAlreadyLeft when the family
    has left and not rejoined.
    """
    if reason not in LEAVING_REASONS:
        raise InvalidLeavingReason(reason)
    family = lock_family(registration)
    if not family.is_active:
        raise FamilyAlreadyLeft()
    # A family that rejoined earlier in this same second must still read as having left.
    family.leaving_on = max(now, family.rejoin_on) if family.rejoin_on else now
    family.leaving_reason = reason
    family.leave_amount = (family.leave_amount or 0) + 1
    db.session.flush()
    logger.info("family %s of registration %s left (%s), by centre user %s", family.id, registration.id, reason, user.id)


def rejoin_family(user, registration, now):
    """Record that a registration's family rejoined the project. Raises FamilyNotLeft for an active family."""
    family = lock_family(registration)
    if family.is_active:
        raise FamilyNotLeft()
    # The family is active only while rejoin_on is later than leaving_on, so never store an equal time.
    family.rejoin_on = max(now, family.leaving_on + timedelta(seconds=1))
    db.session.flush()
    logger.info("family %s of registration %s rejoined, by centre user %s", family.id, registration.id, user.id)
