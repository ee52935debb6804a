"""Centre worker password reset: ask for a link by e-mail, then choose a new password and log in again."""

import logging
import string

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from arc.extensions import db
from arc.jobs.queue import enqueue
from arc.store import bp
from arc.store.forms import ForgotPasswordForm, ResetPasswordForm
from arc.store.scope import is_store_user
from arc.users import password_resets
from arc.users.centre_password_resets import send_centre_user_reset_link
from arc.users.models import CentreUser

logger = logging.getLogger(__name__)

LINK_SENT = "If we know that email, you'll get a reset link shortly! The link works for 60 minutes."
THROTTLED = "A reset link was sent to this address less than a minute ago. Please wait a minute before asking again."
INVALID_LINK = "This password reset token is invalid. It may have expired, or belong to another email address: ask for a new link."
PASSWORD_CHANGED = "Your password has been reset! Log in with your new password."


@bp.route("/password/reset")
def password_request():
    if is_store_user(current_user):
        return redirect(url_for("store.dashboard"))
    return _render_request_form(ForgotPasswordForm())


@bp.route("/password/email", methods=["POST"])
def password_email():
    if is_store_user(current_user):
        return redirect(url_for("store.dashboard"))
    form = ForgotPasswordForm()
    if not form.validate():
        return _render_request_form(form, 422)
    user = password_resets.find_user(CentreUser, form.email.data)
    if user is not None:
        if password_resets.recently_requested(user.email):
            form.email.errors.append(THROTTLED)
            return _render_request_form(form, 429)
        enqueue(send_centre_user_reset_link, user.id)
        logger.info("password reset link requested for centre user %s", user.id)
    flash(LINK_SENT, "success")
    return redirect(url_for("store.password_request"))


@bp.route("/password/email")
def password_email_get():
    return redirect(url_for("store.password_request"))


def _render_request_form(form, status=200):
    return render_template("store/passwords/request.html", title="Reset your password", form=form), status


@bp.route("/password/reset/<string(length=64):token>")
def password_reset(token):
    if any(character not in string.hexdigits.lower() for character in token):
        abort(404)
    if is_store_user(current_user):
        return redirect(url_for("store.dashboard"))
    form = ResetPasswordForm(token=token, email=request.args.get("email", ""))
    return _render_reset_form(form)


@bp.route("/password/reset", methods=["POST"])
def password_reset_submit():
    if is_store_user(current_user):
        return redirect(url_for("store.dashboard"))
    form = ResetPasswordForm()
    if not form.validate():
        return _render_reset_form(form, 422)
    user = password_resets.find_user(CentreUser, form.email.data)
    try:
        if user is None:
            raise password_resets.InvalidResetToken(form.email.data)
        password_resets.reset_password(user, form.token.data, form.password.data)
    except password_resets.InvalidResetToken:
        db.session.rollback()
        form.email.errors.append(INVALID_LINK)
        return _render_reset_form(form, 422)
    db.session.commit()
    logger.info("centre user %s reset their password", user.id)
    flash(PASSWORD_CHANGED, "success")
    return redirect(url_for("store.login"))


def _render_reset_form(form, status=200):
    return render_template("store/passwords/reset.html", title="Choose a new password", form=form), status
