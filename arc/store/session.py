"""Choosing the current centre in the masthead: POST (or PUT) /session with field ``centre``."""

import logging

from flask import flash, redirect, session, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from arc.auth.portal import safe_next_url
from arc.registrations import access
from arc.store import bp
from arc.store.forms import CentreChoiceForm
from arc.store.scope import SESSION_CENTRE_KEY

logger = logging.getLogger(__name__)

NOT_YOUR_CENTRE = "You can only choose one of your own centres."


def centre_choices(user):
    return [SelectChoice(access.ALL_CENTRES, "All centres")] + [
        SelectChoice(str(centre.id), centre.name) for centre in user.centres
    ]


@bp.route("/session", methods=["POST", "PUT"])
def session_put():
    form = CentreChoiceForm()
    form.centre.choices = centre_choices(current_user)
    back = safe_next_url(form.next.data, url_for("store.registration_index"))
    allowed = {choice.value for choice in form.centre.choices}
    if not form.validate() or form.centre.data not in allowed:
        flash(NOT_YOUR_CENTRE, "error")
        return redirect(back)
    value = form.centre.data
    session[SESSION_CENTRE_KEY] = access.ALL_CENTRES if value == access.ALL_CENTRES else int(value)
    logger.info("centre user %s chose centre %s", current_user.id, value)
    return redirect(back)


@bp.route("/session")
def session_get():
    return redirect(url_for("store.registration_index"))
