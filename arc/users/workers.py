"""Management of centre users ("workers") by charity staff: create, edit, disable, delete, list, CSV.

A worker has one home centre and any number of alternative centres, stored as rows of
``centre_centre_user`` with ``homeCentre`` true or false. Disabling a worker soft-deletes it (sets
``deleted_at``); only a disabled worker can be deleted for good. Write functions flush and leave the
commit to the caller.
"""

import logging
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from arc import clock
from arc.centres.models import Centre, centre_centre_user
from arc.extensions import db
from arc.registrations.models import Bundle, Note
from arc.sponsors.models import Sponsor
from arc.users import passwords
from arc.users.models import CentreUser

logger = logging.getLogger(__name__)

# List orders the workers page offers; the default orders by area, home centre and name together.
ORDER_KEYS = ("default", "name", "homeCentreArea", "homeCentre")
DIRECTIONS = ("asc", "desc")

CSV_HEADER = ("Name", "E-mail Address", "Home Centre Area", "Home Centre", "Alternative Centre", "Downloader")


class WorkerError(Exception):
    """A change to a worker that the rules reject; ``field`` names the form field at fault, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class WorkerDetails:
    """The fields of a worker that the admin forms set."""

    name: str
    email: str
    home_centre_id: int
    alternative_centre_ids: tuple[int, ...] = field(default_factory=tuple)
    downloader: bool = False


def email_taken(email, except_worker_id=None):
    """Return whether any worker, disabled ones included, has this e-mail address, ignoring case."""
    query = sa.select(CentreUser.id).where(sa.func.lower(CentreUser.email) == email.strip().lower())
    if except_worker_id is not None:
        query = query.where(CentreUser.id != except_worker_id)
    return db.session.execute(query.limit(1)).first() is not None


def _check(details, except_worker_id=None):
    if email_taken(details.email, except_worker_id):
        raise WorkerError(f"Another worker already uses {details.email}.", "email")
    alternatives = list(details.alternative_centre_ids)
    if details.home_centre_id in alternatives:
        raise WorkerError("The home centre cannot also be an alternative centre.", "alternative_centres")
    if len(set(alternatives)) != len(alternatives):
        raise WorkerError("Each alternative centre may be chosen only once.", "alternative_centres")
    wanted = {details.home_centre_id, *alternatives}
    found = set(db.session.scalars(sa.select(Centre.id).where(Centre.id.in_(wanted))))
    if details.home_centre_id not in found:
        raise WorkerError(
            f"Centre {details.home_centre_id} was not found. Choose a centre from the list.", "worker_centre"
        )
    if wanted - found:
        missing = ", ".join(str(centre_id) for centre_id in sorted(wanted - found))
        raise WorkerError(f"These alternative centres were not found: {missing}.", "alternative_centres")


def _sync_centres(worker, home_centre_id, alternative_centre_ids):
    """Replace the worker's centre links with the home centre and the alternatives."""
    db.session.execute(sa.delete(centre_centre_user).where(centre_centre_user.c.centre_user_id == worker.id))
    links = [{"centre_user_id": worker.id, "centre_id": home_centre_id, "homeCentre": True}]
    links += [
        {"centre_user_id": worker.id, "centre_id": centre_id, "homeCentre": False}
        for centre_id in alternative_centre_ids
    ]
    db.session.execute(centre_centre_user.insert(), links)
    db.session.expire(worker, ["centres"])


def create_worker(details, actor):
    """Create an enabled worker with its centres and a random password it must reset before logging in."""
    _check(details)
    worker = CentreUser(
        name=details.name,
        email=details.email.strip(),
        # A random password that is never shown: the worker sets their own through the store's password reset.
        password=passwords.hash_password(uuid.uuid4().hex),
        downloader=details.downloader,
    )
    db.session.add(worker)
    db.session.flush()
    _sync_centres(worker, details.home_centre_id, details.alternative_centre_ids)
    db.session.flush()
    logger.info("worker %s created by admin %s", worker.id, actor.id)
    return worker


def update_worker(worker, details, actor):
    """Change an enabled worker's name, e-mail, downloader flag and centres."""
    if worker.deleted_at is not None:
        raise WorkerError(f"{worker.name} is disabled. Enable the worker before changing their details.")
    _check(details, except_worker_id=worker.id)
    worker.name = details.name
    worker.email = details.email.strip()
    worker.downloader = details.downloader
    _sync_centres(worker, details.home_centre_id, details.alternative_centre_ids)
    db.session.flush()
    logger.info("worker %s updated by admin %s", worker.id, actor.id)


def toggle_worker(worker, actor):
    """Disable an enabled worker or enable a disabled one; centre links stay. Returns True if now disabled."""
    worker.deleted_at = clock.now() if worker.deleted_at is None else None
    db.session.flush()
    disabled = worker.deleted_at is not None
    logger.info("worker %s %s by admin %s", worker.id, "disabled" if disabled else "enabled", actor.id)
    return disabled


def delete_worker(worker, actor):
    """Delete a disabled worker for good, with its centre links.

    Raises WorkerError for an enabled worker, and for one that handed out vouchers or wrote notes,
    because those records name the worker.
    """
    if worker.deleted_at is None:
        raise WorkerError(f"{worker.name} is still enabled. Disable the worker before deleting them.")
    referenced = db.session.scalar(sa.select(sa.func.count()).where(Bundle.disbursing_user_id == worker.id))
    referenced += db.session.scalar(sa.select(sa.func.count()).where(Note.user_id == worker.id))
    if referenced:
        raise WorkerError(
            f"{worker.name} handed out vouchers or wrote notes, and those records name them, "
            "so they cannot be deleted. They stay disabled."
        )
    worker_id = worker.id
    db.session.execute(sa.delete(centre_centre_user).where(centre_centre_user.c.centre_user_id == worker_id))
    db.session.delete(worker)
    db.session.flush()
    logger.info("worker %s deleted by admin %s", worker_id, actor.id)


def _home_centres():
    """Return a subquery of (user_id, centre_id): each worker's home centre, the lowest id if several."""
    return (
        sa.select(
            centre_centre_user.c.centre_user_id.label("user_id"),
            sa.func.min(centre_centre_user.c.centre_id).label("centre_id"),
        )
        .where(centre_centre_user.c.homeCentre.is_(True))
        .group_by(centre_centre_user.c.centre_user_id)
        .subquery()
    )


def worker_listing(order_by="default", direction="asc", search=None, include_disabled=True):
    """Return a select of (CentreUser, home centre name, home area name) in the requested order.

    Workers without a home centre have None in both names and sort as if the names were empty.
    ``search`` keeps workers whose name or e-mail contains it, ignoring case.
    """
    home = _home_centres()
    home_centre = aliased(Centre)
    home_area = aliased(Sponsor)
    area_name = sa.func.lower(sa.func.coalesce(home_area.name, ""))
    centre_name = sa.func.lower(sa.func.coalesce(home_centre.name, ""))
    worker_name = sa.func.lower(CentreUser.name)
    keys = {
        "default": [area_name, centre_name, worker_name],
        "name": [worker_name],
        "homeCentreArea": [area_name, centre_name, worker_name],
        "homeCentre": [centre_name, worker_name],
    }[order_by]
    keys.append(CentreUser.id)
    if direction == "desc":
        keys = [key.desc() for key in keys]
    statement = (
        sa.select(CentreUser, home_centre.name.label("home_centre"), home_area.name.label("home_area"))
        .outerjoin(home, home.c.user_id == CentreUser.id)
        .outerjoin(home_centre, home_centre.id == home.c.centre_id)
        .outerjoin(home_area, home_area.id == home_centre.sponsor_id)
        .order_by(*keys)
    )
    if not include_disabled:
        statement = statement.where(CentreUser.deleted_at.is_(None))
    if search:
        text = search.strip().lower()
        statement = statement.where(
            sa.or_(
                sa.func.lower(CentreUser.name).contains(text, autoescape=True),
                sa.func.lower(CentreUser.email).contains(text, autoescape=True),
            )
        )
    return statement


def alternative_centre_names(worker_ids=None):
    """Return {worker id: [names of its non-home centres, by centre id]}, for the given workers or all."""
    query = (
        sa.select(centre_centre_user.c.centre_user_id, Centre.name)
        .join(Centre, Centre.id == centre_centre_user.c.centre_id)
        .where(centre_centre_user.c.homeCentre.is_(False))
        .order_by(centre_centre_user.c.centre_user_id, Centre.id)
    )
    if worker_ids is not None:
        query = query.where(centre_centre_user.c.centre_user_id.in_(list(worker_ids)))
    names = {}
    for worker_id, name in db.session.execute(query):
        names.setdefault(worker_id, []).append(name)
    return names


def worker_centre_ids(worker):
    """Return (home centre id or None, [alternative centre ids]) of a worker."""
    rows = db.session.execute(
        sa.select(centre_centre_user.c.centre_id, centre_centre_user.c.homeCentre)
        .where(centre_centre_user.c.centre_user_id == worker.id)
        .order_by(centre_centre_user.c.centre_id)
    ).all()
    homes = [centre_id for centre_id, is_home in rows if is_home]
    return (homes[0] if homes else None), [centre_id for centre_id, is_home in rows if not is_home]


def worker_csv_rows():
    """Yield the CSV rows of every enabled worker, ordered by area, home centre and name.

    Empty cells are empty strings: a worker without a home centre has no area or centre.
    """
    alternatives = alternative_centre_names()
    for worker, home_centre, home_area in db.session.execute(worker_listing(include_disabled=False)):
        yield (
            worker.name,
            worker.email,
            home_area or "",
            home_centre or "",
            ", ".join(alternatives.get(worker.id, [])),
            "Yes" if worker.downloader else "No",
        )
