"""Flask-Login wiring for the two portals: each host's session loads only its own kind of user."""

from flask import request

from arc.extensions import db
from arc.users.models import AdminUser, CentreUser

USER_MODELS_BY_BLUEPRINT = {"admin": AdminUser, "store": CentreUser}


def load_session_user(session_id):
    """Return the user named by a session id such as ``admin:4``, if it belongs on this host."""
    model = USER_MODELS_BY_BLUEPRINT.get(request.blueprint)
    kind, _, user_id = session_id.partition(":")
    if model is None or kind != model.kind or not (user_id.isascii() and user_id.isdigit()):
        return None
    user = db.session.get(model, int(user_id))
    return user if user is not None and user.deleted_at is None else None


def register_user_loader(login_manager):
    login_manager.user_loader(load_session_user)
    login_manager.blueprint_login_views = {"admin": "admin.login", "store": "store.login"}
    login_manager.login_message = "Please log in to see this page."
    login_manager.login_message_category = "info"
