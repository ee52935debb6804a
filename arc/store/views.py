"""Store portal pages."""

from flask import redirect, render_template, url_for
from flask_login import login_required

from arc.auth import portal
from arc.auth.logins import authenticate_centre_user
from arc.store import bp


@bp.route("/")
def base():
    return redirect(url_for("store.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    return portal.login_page("store", authenticate_centre_user, "store.dashboard", "Log in")


@bp.route("/logout", methods=["POST"])
def logout():
    return portal.logout("store", "store.login")


@bp.route("/dashboard")
@login_required
def dashboard():
    return render_template("store/dashboard.html", title="Main menu")
