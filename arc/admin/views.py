"""Admin portal pages."""

from flask import render_template
from flask_login import login_required

from arc.admin import bp
from arc.auth import portal
from arc.auth.logins import authenticate_admin


@bp.route("/login", methods=["GET", "POST"])
def login():
    return portal.login_page("admin", authenticate_admin, "admin.dashboard", "Log in")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    return portal.logout("admin", "admin.login")


@bp.route("/")
@login_required
def dashboard():
    return render_template("admin/dashboard.html", title="Rosie Admin Dashboard")
