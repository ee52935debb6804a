"""Store portal pages: login, logout and the dashboard (main menu)."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from arc.auth import portal
from arc.auth.logins import authenticate_centre_user
from arc.registrations import access
from arc.registrations.entitlements import programme_words
from arc.store import bp
from arc.store.forms import StoreLoginForm
from arc.store.scope import chosen_centre_id, session_centre


@bp.route("/")
def base():
    """Send everyone to the main menu, which sends visitors who are not logged in on to the login page."""
    return redirect(url_for("store.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    return portal.login_page(
        "store",
        authenticate_centre_user,
        "store.dashboard",
        "Log in",
        form_class=StoreLoginForm,
        template="store/login.html",
    )


@bp.route("/logout", methods=["POST"])
def logout():
    return portal.logout("store", "store.login")


@bp.route("/dashboard")
def dashboard():
    centre = session_centre()
    programme = centre.sponsor.programme if centre is not None else 0
    return render_template(
        "store/dashboard.html",
        title="Main menu",
        centre=centre,
        # With "All centres" chosen, the print tiles print the home centre, so their note names it.
        centre_note=", your home centre" if chosen_centre_id() is None else "",
        words=programme_words(programme),
        is_foodmatters=access.may_export(current_user),
        may_download_centre=centre is not None
        and access.may_download(current_user)
        and access.can_view_centre(current_user, centre),
    )


# The pages of the other store modules register themselves on the blueprint when imported.
from arc.store import passwords, registrations, scope, session as centre_session  # noqa: E402,F401
