"""Password resets for charity staff: the e-mail with a link to the admin portal's new-password page.

Tokens, throttling and the reset itself are shared with the other kinds of user in
``arc.users.password_resets``.
"""

import logging

from flask import current_app

from arc import mail
from arc.extensions import db
from arc.jobs.queue import job
from arc.users import password_resets
from arc.users.models import AdminUser

logger = logging.getLogger(__name__)

RESET_EMAIL_TEMPLATE = "admin_password_reset"


def admin_reset_url(token):
    """Return the admin portal's link for a reset token: the service host, then ``/password/reset/<token>``."""
    return mail.site_url(current_app.config["ARC_SERVICE_DOMAIN"], f"/password/reset/{token}")


@job
def send_admin_reset_link(admin_id):
    """Create a reset token for a member of staff and e-mail them the link to the admin portal.

    Skips admins that no longer exist and requests throttled since the request was accepted. Raises
    MailDeliveryError when the e-mail cannot be sent; the token then stays, and the admin can ask
    again after 60 seconds.
    """
    # The token is made here, not in the request, so that it never sits in the queue.
    admin = db.session.query(AdminUser).filter(AdminUser.id == admin_id).with_for_update().one_or_none()
    if admin is None or admin.deleted_at is not None:
        db.session.rollback()
        logger.info("password reset link not sent: admin %s does not exist", admin_id)
        return
    try:
        token = password_resets.create_token(admin.email)
    except password_resets.ResetRequestThrottled:
        db.session.rollback()
        logger.info("password reset link not sent to admin %s: one was sent less than 60 seconds ago", admin_id)
        return

    context = {
        "reset_url": admin_reset_url(token),
        "lifetime_minutes": int(password_resets.TOKEN_LIFETIME.total_seconds()) // 60,
    }
    message = mail.compose(
        admin.email, admin.name, password_resets.RESET_EMAIL_SUBJECT, RESET_EMAIL_TEMPLATE, context
    )
    db.session.commit()
    mail.send(message)
    logger.info("password reset link e-mailed to admin %s", admin_id)
