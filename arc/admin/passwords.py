"""Admin password reset: ask for a link by e-mail, then choose a new password and land on the dashboard."""

from flask_login import current_user

from arc.admin import bp
from arc.admin.forms import ForgotPasswordForm, ResetPasswordForm
from arc.auth import password_pages
from arc.users.admin_password_resets import send_admin_reset_link
from arc.users.models import AdminUser

PAGES = password_pages.ResetPages(
    portal="admin",
    user_model=AdminUser,
    send_link=send_admin_reset_link,
    forgot_form=ForgotPasswordForm,
    reset_form=ResetPasswordForm,
    is_logged_in=lambda: current_user.is_authenticated,
    home_endpoint="admin.dashboard",
    request_endpoint="admin.password_request",
    after_reset_endpoint=None,
    link_sent="If we know that e-mail address, you will get a reset link shortly. The link works for 60 minutes.",
    invalid_link="This reset link is invalid or has expired, or it was sent to another e-mail address. Ask for a new link.",
    password_changed="Your password has been reset and you are now logged in.",
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
def password_reset_form(token):
    return password_pages.reset_page(PAGES, token)


@bp.route("/password/reset", methods=["POST"])
def password_reset():
    return password_pages.reset_password(PAGES)
