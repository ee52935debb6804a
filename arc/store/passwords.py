"""Centre worker password reset: ask for a link by e-mail, then choose a new password and log in again."""

from flask_login import current_user

from arc.auth import password_pages
from arc.store import bp
from arc.store.forms import ForgotPasswordForm, ResetPasswordForm
from arc.store.scope import is_store_user
from arc.users.centre_password_resets import send_centre_user_reset_link
from arc.users.models import CentreUser

PAGES = password_pages.ResetPages(
    portal="store",
    user_model=CentreUser,
    send_link=send_centre_user_reset_link,
    forgot_form=ForgotPasswordForm,
    reset_form=ResetPasswordForm,
    is_logged_in=lambda: is_store_user(current_user),
    home_endpoint="store.dashboard",
    request_endpoint="store.password_request",
    after_reset_endpoint="store.login",
    link_sent="If we know that email, you'll get a reset link shortly! The link works for 60 minutes.",
    invalid_link=(
        "This password reset token is invalid. It may have expired, or belong to another email address: ask for a new link."
    ),
    password_changed="Your password has been reset! Log in with your new password.",
)


@bp.route("/password/reset")
def password_request():
    return password_pages.request_page(PAGES)


@bp.route("/password/email", methods=["POST"])
def password_email():
    return password_pages.send_link(PAGES)


@bp.route("/password/email")
def password_email_get():
    return password_pages.back_to_request_page(PAGES)


@bp.route("/password/reset/<string(length=64):token>")
def password_reset(token):
    return password_pages.reset_page(PAGES, token)


@bp.route("/password/reset", methods=["POST"])
def password_reset_submit():
    return password_pages.reset_password(PAGES)
