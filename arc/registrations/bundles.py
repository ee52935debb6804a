"""Voucher bundles: the vouchers a centre sets aside for a family, and handing them to a carer.

A registration's current bundle is its lowest-id bundle not yet handed over (``disbursed_at`` is
NULL). Adding and removing vouchers only sets ``vouchers.bundle_id``; voucher states never change
here, and vouchers stay ``printed`` or ``dispatched`` until a trader records them.

A voucher may join a bundle only while the ``collect`` transition could still start from its state
(``printed`` or ``dispatched``) and it is in no other bundle: a voucher in another family's bundle is
reported, never moved. Every write locks the bundle row first and then the vouchers it moves, in id
order, with ``SELECT ... FOR UPDATE``, so two workers cannot put one voucher into two bundles and a
bundle cannot change while it is handed over. SQLite ignores FOR UPDATE but allows one writing
transaction at a time. The updates below also repeat their conditions, so a voucher taken by another
transaction in between is reported instead of moved.

Write functions take the acting centre user, flush and never commit.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from arc import clock
from arc.centres.models import Centre
from arc.database import locking
from arc.extensions import db
from arc.registrations.entitlements import programme_words, weekly_entitlement
from arc.registrations.models import Bundle, Carer, Registration
from arc.registrations.operations import lock_family
from arc.users.models import CentreUser
from arc.vouchers.codes import (
    InvalidVoucherCode,
    InvalidVoucherRange,
    TooManyVoucherCodes,
    expand_range,
    normalise_code,
    split_code,
)
from arc.vouchers.models import Voucher
from arc.vouchers.queries import find_by_codes
from arc.vouchers.states import TRANSITIONS

logger = logging.getLogger(__name__)

# States from which a trader could still record the voucher: only these may sit in a bundle.
COLLECTABLE_STATES = TRANSITIONS["collect"].from_states


class BundleError(Exception):
    """A bundle change that cannot be made; the message is fit to show to the centre worker."""


class EmptyBundle(BundleError):
    def __init__(self):
        super().__init__("Action denied on empty bundle: add vouchers before confirming the pick up.")


class BundleAlreadyCollected(BundleError):
    def __init__(self, bundle):
        self.bundle = bundle
        super().__init__(
            "These vouchers were marked as collected by someone else just now, so nothing was changed. "
            "Check the collection history."
        )


class FamilyHasLeft(BundleError):
    """Vouchers may not be added or handed over while the family is away from the project."""

    def __init__(self, registration, family):
        words = programme_words(registration.centre.sponsor.programme)
        super().__init__(
            f"This {words['family']} left the project on {family.leaving_on:%d-%m-%Y}, so vouchers cannot be "
            f"added to their bundle or collected. Rejoin the {words['family']} first."
        )


class InvalidCollection(BundleError):
    """A collection naming a carer of another family, or a centre the worker does not belong to."""


class NotAVoucherRange(BundleError):
    def __init__(self, start, end):
        super().__init__(
            f"{start} to {end} is not a range of voucher codes: both must be the same letters followed by "
            "digits. Add these vouchers one at a time."
        )


class TooManyVouchers(BundleError):
    def __init__(self, count, maximum):
        self.count = count
        self.maximum = maximum
        super().__init__(f"Failed adding more than {maximum} vouchers: the range holds {count}. "
                         f"Add at most {maximum} at a time.")


@dataclass
class BundleChange:
    """The outcome of an add, remove or sync: the codes changed, and the codes rejected by reason.

    ``already`` lists codes that were in the bundle before an add. ``bundled`` maps each code
    found in another family's current bundle to that bundle's registration id (None when another
    worker took the voucher during this change). ``other_area`` lists vouchers printed for an area
    other than the family's.
    """

    changed: list = field(default_factory=list)
    already: list = field(default_factory=list)
    invalid: list = field(default_factory=list)
    disbursed: list = field(default_factory=list)
    bundled: dict = field(default_factory=dict)
    used: list = field(default_factory=list)
    not_in_bundle: list = field(default_factory=list)
    other_area: list = field(default_factory=list)

    @property
    def failed(self):
        return bool(self.invalid or self.disbursed or self.bundled or self.used or self.not_in_bundle or self.other_area)

    def merge(self, other):
        self.changed += other.changed
        self.already += other.already
        self.invalid += other.invalid
        self.disbursed += other.disbursed
        self.bundled.update(other.bundled)
        self.used += other.used
        self.not_in_bundle += other.not_in_bundle
        self.other_area += other.other_area
        return self


class BundleSyncFailed(BundleError):
    """A sync that would have rejected some codes, so none of its changes may be kept."""

    def __init__(self, change):
        self.change = change
        super().__init__("No vouchers were changed, because some of the codes could not be used.")


def find_current_bundle(registration, lock=False):
    """Return the registration's lowest-id bundle that has not been handed over, or None.

    ``lock`` reads it with a row lock, which also returns bundles committed since the transaction began.
    """
    query = (
        sa.select(Bundle)
        .where(Bundle.registration_id == registration.id, Bundle.disbursed_at.is_(None))
        .order_by(Bundle.id)
        .limit(1)
    )
    if lock:
        query = locking(query)
    return db.session.scalars(query).first()


def current_bundle(registration, on_date=None):
    """Return the registration's current bundle, creating it when there is none.

    The registration row is locked first, so two requests for one family (two workers, two tabs)
    cannot each create a bundle. A new bundle stores the weekly entitlement on ``on_date``
    (default today). A Social Prescribing household that has left can compute a negative
    entitlement; the unsigned column stores 0.
    """
    db.session.execute(sa.select(Registration.id).where(Registration.id == registration.id).with_for_update())
    bundle = find_current_bundle(registration, lock=True)
    if bundle is not None:
        return bundle
    entitlement = weekly_entitlement(registration, on_date or clock.today())
    bundle = Bundle(registration_id=registration.id, entitlement=max(entitlement, 0))
    db.session.add(bundle)
    db.session.flush()
    logger.info("bundle %s created for registration %s", bundle.id, registration.id)
    return bundle


def bundle_codes(bundle):
    """Return the codes of the bundle's vouchers, sorted."""
    query = sa.select(Voucher.code).where(Voucher.bundle_id == bundle.id, Voucher.deleted_at.is_(None))
    return sorted(db.session.scalars(query))


def bundle_vouchers(bundle):
    """Return the bundle's vouchers sorted by code."""
    query = (
        sa.select(Voucher)
        .where(Voucher.bundle_id == bundle.id, Voucher.deleted_at.is_(None))
        .order_by(Voucher.code, Voucher.id)
    )
    return list(db.session.scalars(query))


def expand_codes(start, end, max_codes):
    """Return the codes from ``start`` to ``end`` as a bundle range, normalised.

    The range rules are those of ``expand_range``: an empty end, or one not after the start, gives
    only the start, which may then be any stored code. Raises ``TooManyVouchers`` for more than
    ``max_codes`` codes and ``NotAVoucherRange`` when the two codes do not
    form a range.
    """
    if not normalise_code(end):
        return [normalise_code(start)]
    try:
        return expand_range(start, end, max_codes=max_codes)
    except TooManyVoucherCodes:
        count = split_code(end).number - split_code(start).number + 1
        raise TooManyVouchers(count, max_codes) from None
    except (InvalidVoucherCode, InvalidVoucherRange):
        raise NotAVoucherRange(normalise_code(start), normalise_code(end)) from None


def add_codes(bundle, codes, user):
    """Put the vouchers with these codes into ``bundle``; return a ``BundleChange``.

    Codes already in the bundle are skipped. A code is rejected as ``invalid`` when no voucher has
    it, ``disbursed`` when its voucher is in a bundle that was handed over, ``bundled`` when it is in
    another family's current bundle, ``other_area`` when it was printed for another area than the
    family's centre, and ``used`` when a trader has recorded it or it was voided or expired. The
    other vouchers are added even when some codes are rejected. Raises ``FamilyHasLeft`` when the
    family has left the project.
    """
    _lock_bundle(bundle)
    _require_active(bundle)
    area_id = bundle.registration.centre.sponsor_id
    requested = _unique_codes(codes)
    vouchers = _lock_vouchers(Voucher.id.in_([voucher.id for voucher in find_by_codes(requested)]))
    by_code = {normalise_code(voucher.code): voucher for voucher in vouchers}
    owners = _bundle_owners({voucher.bundle_id for voucher in vouchers} - {None, bundle.id})

    change = BundleChange()
    candidates = []
    for code in requested:
        voucher = by_code.get(code)
        if voucher is None:
            change.invalid.append(code)
        elif voucher.bundle_id == bundle.id:
            change.already.append(code)
        elif voucher.bundle_id is not None:
            # A bundle created after this transaction's snapshot is missing from ``owners``, because
            # another worker has just put the voucher into a new bundle. Its family is unknown here.
            registration_id, disbursed = owners.get(voucher.bundle_id, (None, False))
            if disbursed:
                change.disbursed.append(code)
            else:
                change.bundled[code] = registration_id
        elif voucher.sponsor_id != area_id:
            change.other_area.append(code)
        elif voucher.currentstate not in COLLECTABLE_STATES:
            change.used.append(code)
        else:
            candidates.append((code, voucher))

    moved = _move(bundle, candidates, adding=True)
    for code, voucher in candidates:
        if voucher.id in moved:
            change.changed.append(code)
        else:
            # Taken by another transaction between the read and the update (SQLite only).
            change.bundled[code] = None
    logger.info(
        "centre user %s added %d vouchers to bundle %s (%d rejected)",
        user.id, len(change.changed), bundle.id, len(requested) - len(change.changed),
    )
    return change


def remove_vouchers(bundle, voucher_ids, user):
    """Take the vouchers with these ids out of ``bundle``; return a ``BundleChange``.

    A voucher in another bundle or in none is rejected (``not_in_bundle``), and so is one that a
    trader has already recorded, or that was voided or expired (``used``).
    """
    _lock_bundle(bundle)
    vouchers = _lock_vouchers(Voucher.id.in_(list(voucher_ids)))
    return _remove(bundle, vouchers, user)


def remove_all(bundle, user):
    """Take every voucher out of ``bundle`` except those already used; return a ``BundleChange``."""
    _lock_bundle(bundle)
    return _remove(bundle, _lock_vouchers(Voucher.bundle_id == bundle.id), user)


def sync_codes(bundle, codes, user):
    """Make ``bundle`` hold exactly the vouchers with these codes; return a ``BundleChange``.

    Vouchers not listed are removed and new ones added by the rules of ``remove_vouchers`` and
    ``add_codes``. When any code is rejected, ``BundleSyncFailed`` carries the whole change and the
    caller must roll back, so a sync is all or nothing.
    """
    _lock_bundle(bundle)
    wanted = _unique_codes(codes)
    listed = set(wanted)
    current = _lock_vouchers(Voucher.bundle_id == bundle.id)
    held_codes = {normalise_code(voucher.code) for voucher in current}
    unlisted = [voucher for voucher in current if normalise_code(voucher.code) not in listed]
    change = _remove(bundle, unlisted, user)
    new_codes = [code for code in wanted if code not in held_codes]
    # Only an addition requires the family to be taking part, so emptying a bundle never checks.
    if new_codes:
        change.merge(add_codes(bundle, new_codes, user))
    if change.failed:
        raise BundleSyncFailed(change)
    return change


def disburse(bundle, carer, centre, collected_on, user):
    """Record that ``carer`` collected the bundle at ``centre`` on ``collected_on``; return its voucher count.

    The carer must be a current carer of the bundle's family and the centre one of the worker's own
    centres, else ``InvalidCollection``. Raises ``EmptyBundle`` for a bundle without vouchers and
    ``BundleAlreadyCollected`` when it was handed over in the meantime, and ``FamilyHasLeft`` when
    the family has left the project. ``disbursed_at`` is the collection date at midnight.
    """
    _lock_bundle(bundle)
    _require_active(bundle)
    family_id = bundle.registration.family_id
    if carer is not None:
        # Read with a lock, so that a colleague's removal of this carer committed a moment ago counts.
        carer = db.session.scalars(locking(sa.select(Carer).where(Carer.id == carer.id), read=True)).first()
    if carer is None or carer.family_id != family_id or carer.deleted_at is not None:
        raise InvalidCollection("Choose who collected the vouchers from the carers of this family.")
    if centre is None or centre.id not in {own.id for own in user.centres}:
        raise InvalidCollection("Vouchers can only be handed out at one of your own centres.")
    count = len(_lock_vouchers(Voucher.bundle_id == bundle.id))
    if count == 0:
        raise EmptyBundle()

    bundle.disbursed_at = datetime.combine(collected_on, time())
    bundle.collecting_carer_id = carer.id
    bundle.disbursing_centre_id = centre.id
    bundle.disbursing_user_id = user.id
    db.session.flush()
    logger.info(
        "bundle %s of registration %s (%d vouchers) collected by carer %s at centre %s, recorded by centre user %s",
        bundle.id, bundle.registration_id, count, carer.id, centre.id, user.id,
    )
    return count


@dataclass(frozen=True)
class Collection:
    """A handed-over bundle as the collection history shows it.

    The names are None when the row they come from is gone; ``carer_deleted`` is set when the
    collecting carer was removed from the family since.
    """

    bundle_id: int
    collected_on: date
    centre_name: str | None
    carer_name: str | None
    carer_deleted: bool
    user_name: str | None
    voucher_count: int


@dataclass(frozen=True)
class CollectionWeek:
    """One week, Monday to Sunday, of a family's collection history."""

    monday: date
    collections: tuple

    @property
    def total(self):
        return sum(collection.voucher_count for collection in self.collections)


def week_start(day):
    """Return the Monday of the week of ``day``."""
    return day - timedelta(days=day.weekday())


def collections(registration, until):
    """Return the registration's handed-over bundles dated on or before ``until``, newest first."""
    voucher_count = (
        sa.select(sa.func.count(Voucher.id))
        .where(Voucher.bundle_id == Bundle.id, Voucher.deleted_at.is_(None))
        .correlate(Bundle)
        .scalar_subquery()
    )
    query = (
        sa.select(
            Bundle.id,
            Bundle.disbursed_at,
            Centre.name.label("centre_name"),
            Carer.name.label("carer_name"),
            Carer.id.label("carer_id"),
            Carer.deleted_at.label("carer_deleted_at"),
            CentreUser.name.label("user_name"),
            voucher_count.label("voucher_count"),
        )
        .outerjoin(Centre, Centre.id == Bundle.disbursing_centre_id)
        .outerjoin(Carer, Carer.id == Bundle.collecting_carer_id)
        .outerjoin(CentreUser, CentreUser.id == Bundle.disbursing_user_id)
        .where(
            Bundle.registration_id == registration.id,
            Bundle.disbursed_at.is_not(None),
            Bundle.disbursed_at < datetime.combine(until + timedelta(days=1), time()),
        )
        .order_by(Bundle.disbursed_at.desc(), Bundle.id.desc())
    )
    return [
        Collection(
            bundle_id=row.id,
            collected_on=row.disbursed_at.date(),
            centre_name=row.centre_name,
            carer_name=row.carer_name,
            carer_deleted=row.carer_id is None or row.carer_deleted_at is not None,
            user_name=row.user_name,
            voucher_count=row.voucher_count,
        )
        for row in db.session.execute(query)
    ]


def collection_weeks(registration, today):
    """Return every week from the first collection to the current one, newest first.

    Weeks without a collection are included with no collections. Bundles dated after the current
    week are left out. Returns an empty list for a family that has not collected.
    """
    current_week = week_start(today)
    found = collections(registration, current_week + timedelta(days=6))
    if not found:
        return []
    by_week = {}
    for collection in found:
        by_week.setdefault(week_start(collection.collected_on), []).append(collection)
    weeks = []
    monday = current_week
    first_week = week_start(found[-1].collected_on)
    while monday >= first_week:
        weeks.append(CollectionWeek(monday, tuple(by_week.get(monday, ()))))
        monday -= timedelta(weeks=1)
    return weeks


def last_collection(registration, today):
    """Return the date of the latest bundle handed over on or before ``today``, or None."""
    query = sa.select(sa.func.max(Bundle.disbursed_at)).where(
        Bundle.registration_id == registration.id,
        Bundle.disbursed_at < datetime.combine(today + timedelta(days=1), time()),
    )
    latest = db.session.scalar(query)
    return latest.date() if latest is not None else None


def _unique_codes(codes):
    seen = {}
    for code in codes:
        normalised = normalise_code(code)
        if normalised:
            seen.setdefault(normalised, None)
    return list(seen)


def _lock_bundle(bundle):
    """Lock the bundle row and re-read it; raise ``BundleAlreadyCollected`` when it was handed over."""
    db.session.flush()
    db.session.execute(locking(sa.select(Bundle).where(Bundle.id == bundle.id))).scalar_one()
    if bundle.disbursed_at is not None:
        raise BundleAlreadyCollected(bundle)


def _require_active(bundle):
    """Lock the bundle's family row and raise ``FamilyHasLeft`` when it has left and not rejoined.

    A leaving committed since this transaction began counts, and a leaving that starts now waits
    until this change commits.
    """
    registration = bundle.registration
    family = lock_family(registration)
    if not family.is_active:
        raise FamilyHasLeft(registration, family)


def _lock_vouchers(condition):
    """Lock and return the vouchers matching ``condition``, in id order, with their stored values."""
    query = sa.select(Voucher).where(condition, Voucher.deleted_at.is_(None)).order_by(Voucher.id)
    return list(db.session.scalars(locking(query)))


def _bundle_owners(bundle_ids):
    """Return {bundle id: (registration id, whether handed over)} for these bundles."""
    if not bundle_ids:
        return {}
    rows = db.session.execute(
        sa.select(Bundle.id, Bundle.registration_id, Bundle.disbursed_at).where(Bundle.id.in_(sorted(bundle_ids)))
    )
    return {row.id: (row.registration_id, row.disbursed_at is not None) for row in rows}


def _remove(bundle, vouchers, user):
    change = BundleChange()
    candidates = []
    for voucher in vouchers:
        code = normalise_code(voucher.code)
        if voucher.bundle_id != bundle.id:
            change.not_in_bundle.append(code)
        elif voucher.currentstate not in COLLECTABLE_STATES:
            change.used.append(code)
        else:
            candidates.append((code, voucher))

    moved = _move(bundle, candidates, adding=False)
    for code, voucher in candidates:
        (change.changed if voucher.id in moved else change.not_in_bundle).append(code)
    logger.info(
        "centre user %s removed %d vouchers from bundle %s (%d rejected)",
        user.id, len(change.changed), bundle.id, len(vouchers) - len(change.changed),
    )
    return change


def _move(bundle, candidates, adding):
    """Put the candidate vouchers into ``bundle`` (``adding``) or take them out of it, in one UPDATE.

    The update repeats the checks (in no bundle or in this one, still collectable), and the ids that
    end up where they should are returned.
    """
    ids = [voucher.id for _, voucher in candidates]
    if not ids:
        return set()
    source = Voucher.bundle_id.is_(None) if adding else Voucher.bundle_id == bundle.id
    statement = (
        sa.update(Voucher)
        .where(Voucher.id.in_(ids), source, Voucher.currentstate.in_(COLLECTABLE_STATES))
        .values(bundle_id=bundle.id if adding else None, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    updated = db.session.execute(statement).rowcount
    for _, voucher in candidates:
        db.session.expire(voucher)
    db.session.expire(bundle, ["vouchers"])
    if updated == len(ids):
        return set(ids)
    target = Voucher.bundle_id == bundle.id if adding else Voucher.bundle_id.is_(None)
    return set(db.session.scalars(sa.select(Voucher.id).where(Voucher.id.in_(ids), target)))
