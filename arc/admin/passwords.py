"""Admin password reset: ask for a link by e-mail, then choose a new password and land on the dashboard."""

import logging
import string

from flask import abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_user

from arc.admin import bp
from arc.admin.forms import ForgotPasswordForm, ResetPasswordForm
from arc.extensions import db
from arc.jobs.queue import enqueue
from arc.users import password_resets
from arc.users.admin_password_resets import send_admin_reset_link
from arc.users.models import AdminUser

logger = logging.getLogger(__name__)

LINK_SENT = "If we know that e-mail address, you will get a reset link shortly. The link works for 60 minutes."
THROTTLED = "A reset link was sent to this address less than a minute ago. Please wait a minute before asking again."
INVALID_LINK = "This reset link is invalid or has expired, or it was sent to another e-mail address. Ask for a new link."
PASSWORD_CHANGED = "Your password has been reset and you are now logged in."


@bp.route("/password/reset")
def password_request():
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    return _render_request_form(ForgotPasswordForm())


@bp.route("/password/email", methods=["POST"])
def password_email():
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = ForgotPasswordForm()
    if not form.validate():
        return _render_request_form(form, 422)
    admin = password_resets.find_user(AdminUser, form.email.data)
    if admin is not None:
        if password_resets.recently_requested(admin.email):
            form.email.errors.append(THROTTLED)
            return _render_request_form(form, 429)
        enqueue(send_admin_reset_link, admin.id)
        logger.info("password reset link requested for admin %s", admin.id)
    flash(LINK_SENT, "success")
    return redirect(url_for("admin.password_request"))


@bp.route("/password/email")
def password_email_get():
    return redirect(url_for("admin.password_request"))


def _render_request_form(form, status=200):
    return render_template("admin/passwords/request.html", title="Reset your password", form=form), status


@bp.route("/password/reset/<string(length=64):token>")
def password_reset_form(token):
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    if any(character not in string.hexdigits.lower() for character in token):
        abort(404)
    return _render_reset_form(ResetPasswordForm(token=token))


@bp.route("/password/reset", methods=["POST"])
def password_reset():
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = ResetPasswordForm()
    if not form.validate():
        return _render_reset_form(form, 422)
    admin = password_resets.find_user(AdminUser, form.email.data)
    try:
        if admin is None:
            raise password_resets.InvalidResetToken(form.email.data)
        password_resets.reset_password(admin, form.token.data, form.password.data)
    except password_resets.InvalidResetToken:
        db.session.rollback()
        form.email.errors.append(INVALID_LINK)
        return _render_reset_form(form, 422)
    session.clear()
    login_user(admin)
    db.session.commit()
    logger.info("admin %s reset their password and was logged in", admin.id)
    flash(PASSWORD_CHANGED, "success")
    return redirect(url_for("admin.dashboard"))


def _render_reset_form(form, status=200):
    return render_template("admin/passwords/reset.html", title="Choose a new password", form=form), status
