"""Password resets for centre workers: the e-mail with a link to the store portal's new-password page.

Tokens, throttling and the reset itself are shared with the other kinds of user in
``arc.users.password_resets``.
"""

import logging
from urllib.parse import urlencode

from flask import current_app

from arc import mail
from arc.extensions import db
from arc.jobs.queue import job
from arc.users import password_resets
from arc.users.models import CentreUser

logger = logging.getLogger(__name__)

RESET_EMAIL_TEMPLATE = "store_password_reset"


def store_reset_url(email, token):
    """Return the store portal's link for a reset token: ``/password/reset/<token>`` on the store host."""
    query = urlencode({"email": email})
    return mail.site_url(current_app.config["ARC_STORE_DOMAIN"], f"/password/reset/{token}?{query}")


@job
def send_centre_user_reset_link(centre_user_id):
    """Create a reset token for a centre worker and e-mail them the link to the store portal.

    Skips workers that no longer exist and requests throttled since the request was accepted. Raises
    MailDeliveryError when the e-mail cannot be sent; the token then stays, and the worker can ask
    again after 60 seconds.
    """
    # The token is made here, not in the request, so that it never sits in the queue.
    user = db.session.query(CentreUser).filter(CentreUser.id == centre_user_id).with_for_update().one_or_none()
    if user is None or user.deleted_at is not None:
        db.session.rollback()
        logger.info("password reset link not sent: centre user %s does not exist", centre_user_id)
        return
    try:
        token = password_resets.create_token(user.email)
    except password_resets.ResetRequestThrottled:
        db.session.rollback()
        logger.info("password reset link not sent to centre user %s: one was sent less than 60 seconds ago", centre_user_id)
        return

    context = {
        "reset_url": store_reset_url(user.email, token),
        "lifetime_minutes": int(password_resets.TOKEN_LIFETIME.total_seconds()) // 60,
    }
    message = mail.compose(user.email, user.name, password_resets.RESET_EMAIL_SUBJECT, RESET_EMAIL_TEMPLATE, context)
    db.session.commit()
    mail.send(message)
    logger.info("password reset link e-mailed to centre user %s", centre_user_id)
