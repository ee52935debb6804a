"""Which centres, registrations and exports a centre user may see: the store portal's object rules.

* A ``foodmatters_user`` sees every centre of one programme (Standard unless a programme is given),
  whatever centres they are linked to, so Social Prescribing registrations are outside their scope.
* A ``centre_user`` sees every centre of the areas (sponsors) of the centres they are linked to, so
  workers of neighbouring centres in one area can help each other's families. A user linked to no
  centre sees nothing.
* Any other role sees nothing.

The session's "current centre" only narrows what a page lists and where a new family is registered.
It never widens or narrows what a user may open, so these rules need no request or session.
"""

import sqlalchemy as sa

from arc.centres.models import Centre, centre_centre_user
from arc.extensions import db
from arc.sponsors.models import STANDARD_PROGRAMME, Sponsor

CENTRE_USER = "centre_user"
FOODMATTERS_USER = "foodmatters_user"
# The session value meaning "no single centre chosen": lists cover every centre the user may see.
ALL_CENTRES = "all"


def _role(user):
    return getattr(user, "role", None)


def linked_centre_ids(user):
    """Return the ids of the centres a centre user is linked to, in id order (empty for anyone else)."""
    if _role(user) is None or getattr(user, "id", None) is None:
        return []
    return list(
        db.session.scalars(
            sa.select(centre_centre_user.c.centre_id)
            .where(centre_centre_user.c.centre_user_id == user.id)
            .order_by(centre_centre_user.c.centre_id)
        )
    )


def current_centre(user, session_value):
    """Return the user's current centre: the centre the session names, else the home centre.

    ``session_value`` is the stored session choice: a centre id (int or digit string), ``"all"`` or
    None. It names the current centre only when the user is linked to that centre. Returns None when
    the user has neither a valid choice nor a home centre.
    """
    if _role(user) is None:
        return None
    chosen = centre_id_from_choice(session_value)
    if chosen is not None and chosen in linked_centre_ids(user):
        return db.session.get(Centre, chosen)
    return user.home_centre


def centre_id_from_choice(session_value):
    """Return the centre id in a stored session choice, or None for "all", None or anything else."""
    if isinstance(session_value, bool):
        return None
    if isinstance(session_value, int):
        return session_value
    if isinstance(session_value, str) and session_value.isascii() and session_value.isdigit() and len(session_value) <= 10:
        return int(session_value)
    return None


def _relevant_centres_query(user, programme):
    role = _role(user)
    if role == FOODMATTERS_USER:
        return sa.select(Centre).join(Sponsor, Sponsor.id == Centre.sponsor_id).where(Sponsor.programme == programme)
    if role == CENTRE_USER:
        own_sponsors = (
            sa.select(Centre.sponsor_id)
            .join(centre_centre_user, centre_centre_user.c.centre_id == Centre.id)
            .where(centre_centre_user.c.centre_user_id == user.id)
        )
        return sa.select(Centre).where(Centre.sponsor_id.in_(own_sponsors))
    return None


def relevant_centres(user, programme=STANDARD_PROGRAMME):
    """Return the centres whose families ``user`` may see, in id order (see the module rules).

    ``programme`` (0 Standard, 1 Social Prescribing) selects the centres of a foodmatters user only.
    """
    query = _relevant_centres_query(user, programme)
    if query is None:
        return []
    return list(db.session.scalars(query.order_by(Centre.id)))


def relevant_centre_ids(user, programme=STANDARD_PROGRAMME):
    """Return the ids of ``relevant_centres(user, programme)`` as a list, for ``column.in_(...)``."""
    query = _relevant_centres_query(user, programme)
    if query is None:
        return []
    return list(db.session.scalars(query.with_only_columns(Centre.id).order_by(Centre.id)))


def can_view_centre(user, centre):
    """Return whether ``user`` may see the families and sheets of ``centre`` (Standard programme scope)."""
    if centre is None or centre.id is None:
        return False
    return centre.id in relevant_centre_ids(user)


def can_view_registration(user, registration):
    """Return whether ``user`` may open, change or hand out vouchers to ``registration``."""
    if registration is None or registration.centre_id is None:
        return False
    return registration.centre_id in relevant_centre_ids(user)


def may_export(user):
    """Return whether ``user`` may download the all-centre exports and the Master Voucher Log."""
    return _role(user) == FOODMATTERS_USER


def may_download(user):
    """Return whether ``user`` may download a single centre's registrations spreadsheet."""
    return _role(user) is not None and bool(getattr(user, "downloader", False))
