"""The store host's login gate, and helpers that load the centre or registration a URL names.

Every store endpoint needs a logged-in centre user, except those in ``PUBLIC_ENDPOINTS``. The check
runs before each request of the blueprint, so a route added later is protected without a decorator.
"""

import functools
import logging

from flask import abort, current_app, jsonify, request, session
from flask_login import current_user

from arc.centres.models import Centre
from arc.columns import MAX_ID
from arc.extensions import db, login_manager
from arc.registrations import access
from arc.registrations.models import Registration
from arc.store import bp
from arc.users.models import CentreUser

logger = logging.getLogger(__name__)

# The session key holding the centre chosen in the masthead: a centre id, "all" or None.
SESSION_CENTRE_KEY = "CentreUserCurrentCentreId"

PUBLIC_ENDPOINTS = frozenset(
    {
        "store.base",
        "store.login",
        "store.logout",
        "store.static",
        "store.password_request",
        "store.password_email",
        "store.password_email_get",
        "store.password_reset",
        "store.password_reset_submit",
    }
)


def is_store_user(user):
    return isinstance(user, CentreUser) and user.is_authenticated and user.deleted_at is None


def _unauthenticated():
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(error="Unauthenticated."), 401
    return login_manager.unauthorized()


@bp.before_request
def require_store_user():
    """Send anonymous visitors to the login page, and give a new session its default centre choice."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not is_store_user(current_user):
        return _unauthenticated()
    if SESSION_CENTRE_KEY not in session:
        session[SESSION_CENTRE_KEY] = default_session_centre(current_user)
    return None


def default_session_centre(user):
    """Return the centre choice of a new session: "all", or the home centre id when so configured."""
    if not current_app.config.get("ARC_DEFAULT_TO_HOME_CENTRE"):
        return access.ALL_CENTRES
    home = user.home_centre
    return home.id if home is not None else None


def store_user_required(view):
    """Reject a request without a logged-in centre user, for views outside the blueprint's own check."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not is_store_user(current_user):
            return _unauthenticated()
        return view(*args, **kwargs)

    return wrapped


def session_choice():
    """Return the raw centre choice stored in the session: a centre id, "all" or None."""
    return session.get(SESSION_CENTRE_KEY)


def session_centre():
    """Return the logged-in user's current centre (the session's choice if it is theirs, else home)."""
    return access.current_centre(current_user, session_choice())


def chosen_centre_id():
    """Return the id of the centre the user picked in the masthead, or None for "All centres".

    Only a user linked to several centres has the choice. For a user with one centre the stored
    value (the home centre, when new sessions default to it) does not narrow lists to that centre,
    and a stored id of a centre the user is no longer linked to counts as "All centres".
    """
    chosen = access.centre_id_from_choice(session_choice())
    linked = access.linked_centre_ids(current_user)
    if chosen is None or len(linked) < 2 or chosen not in linked:
        return None
    return chosen


@bp.context_processor
def masthead_context():
    """Give the store layout the user's centres, the centre choice and the current centre's programme."""
    if not is_store_user(current_user):
        return {}
    linked = [centre for centre in current_user.centres]
    centre = session_centre()
    return {
        "linked_centres": linked,
        "centre_choice": str(session_choice() or access.ALL_CENTRES),
        "current_centre": centre,
        "current_programme": centre.sponsor.programme_name if centre is not None else None,
    }


def load_registration_or_404(registration_id):
    """Return the registration with this id: 404 when there is none, 403 when the user may not see it."""
    if registration_id > MAX_ID:
        abort(404)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.family is None:
        abort(404)
    if not access.can_view_registration(current_user, registration):
        logger.info(
            "centre user %s denied registration %s of centre %s",
            current_user.get_id(), registration.id, registration.centre_id,
        )
        abort(403)
    return registration


def load_centre_or_404(centre_id):
    """Return the centre with this id: 404 when there is none, 403 when the user may not see its families."""
    if centre_id > MAX_ID:
        abort(404)
    centre = db.session.get(Centre, centre_id)
    if centre is None:
        abort(404)
    if not access.can_view_centre(current_user, centre):
        logger.info("centre user %s denied centre %s", current_user.get_id(), centre.id)
        abort(403)
    return centre
