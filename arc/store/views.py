"""Store portal pages: login, logout and the dashboard (main menu)."""

import logging

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from arc.auth import throttle
from arc.auth.logins import authenticate_centre_user
from arc.extensions import db
from arc.registrations import access
from arc.registrations.entitlements import programme_words
from arc.store import bp
from arc.store.forms import StoreLoginForm
from arc.store.scope import is_store_user, session_centre

logger = logging.getLogger(__name__)

PORTAL = "store"
WRONG_CREDENTIALS = "These credentials do not match our records."


def safe_next_url(target, default):
    """Return ``target`` when it is a path on this host, else ``default`` ("//host" would leave the site)."""
    target = target or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@bp.route("/")
def base():
    """Send everyone to the main menu, which sends visitors who are not logged in on to the login page."""
    return redirect(url_for("store.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if is_store_user(current_user):
        return redirect(url_for("store.dashboard"))
    form = StoreLoginForm()
    if form.validate_on_submit():
        # The lockout is checked before the password, so a locked account stays locked.
        wait = throttle.seconds_locked(PORTAL, form.email.data)
        if wait:
            form.email.errors.append(f"Too many login attempts. Please try again in {wait} seconds.")
        else:
            user = authenticate_centre_user(form.email.data, form.password.data)
            if user is not None:
                return _log_in(user)
            throttle.record_failure(PORTAL, form.email.data)
            logger.info("failed store portal login from %s", request.remote_addr)
            flash(WRONG_CREDENTIALS, "error")
    return render_template("store/login.html", form=form, title="Log in")


def _log_in(user):
    session.clear()
    login_user(user)
    db.session.commit()
    logger.info("centre user %s logged in to the store portal", user.id)
    return redirect(safe_next_url(request.args.get("next"), url_for("store.dashboard")))


@bp.route("/logout", methods=["POST"])
def logout():
    if is_store_user(current_user):
        logger.info("centre user %s logged out of the store portal", current_user.id)
    logout_user()
    session.clear()
    return redirect(url_for("store.login"))


@bp.route("/dashboard")
def dashboard():
    centre = session_centre()
    programme = centre.sponsor.programme if centre is not None else 0
    return render_template(
        "store/dashboard.html",
        title="Main menu",
        centre=centre,
        words=programme_words(programme),
        is_foodmatters=access.may_export(current_user),
        may_download_centre=centre is not None
        and access.may_download(current_user)
        and access.can_view_centre(current_user, centre),
    )


# The pages of the other store modules register themselves on the blueprint when imported.
from arc.store import passwords, registrations, scope, session as centre_session  # noqa: E402,F401
