"""Password resets by e-mailed token, for every kind of user.

The ``password_resets`` table is shared by trader-app users, admin users and centre users, and keyed
by e-mail address only. A request replaces any earlier token for the address, at most one request
is accepted per address every 60 seconds, and a token works for 60 minutes.

Tokens are 64 lower-case hex characters from ``secrets`` (256 random bits). The table holds only
the SHA-256 hex digest of each token. A slow hash such as bcrypt is needed for guessable secrets
like passwords. A 256-bit random token cannot be guessed, so a fast digest protects it as well, and
checking it costs nothing. Rows written by the previous service contain a bcrypt hash of the token
instead. Those still verify, so links e-mailed just before the switch-over keep working. Both checks
compare in constant time.

The functions here flush and never commit, except the e-mail job, which commits its own work.
"""

import hashlib
import hmac
import logging
import secrets
import string
from datetime import timedelta
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import current_app

from arc import clock, mail
from arc.extensions import db
from arc.jobs.queue import job
from arc.users import passwords
from arc.users.models import PasswordReset, User

logger = logging.getLogger(__name__)

TOKEN_LIFETIME = timedelta(minutes=60)
THROTTLE_INTERVAL = timedelta(seconds=60)
TOKEN_BYTES = 32
REMEMBER_TOKEN_LENGTH = 60
REMEMBER_TOKEN_ALPHABET = string.ascii_letters + string.digits
RESET_EMAIL_SUBJECT = "Password Reset Request Notification"


class ResetRequestThrottled(Exception):
    """A reset was already requested for this e-mail address less than 60 seconds ago."""


class InvalidResetToken(Exception):
    """The reset token is unknown, wrong or older than 60 minutes."""


def find_user(model, email):
    """Return the user of ``model`` (``User``, ``AdminUser`` or ``CentreUser``) with this e-mail address.

    The address is compared without regard to case, as the live MySQL collation does, and deleted
    users are never found. Returns None when there is no such user.
    """
    if not email:
        return None
    return (
        db.session.query(model)
        .filter(sa.func.lower(model.email) == email.strip().lower(), model.deleted_at.is_(None))
        .order_by(model.id)
        .first()
    )


def digest_token(token):
    """Return the SHA-256 hex digest that the table stores for a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _rows(email):
    return db.session.query(PasswordReset).filter(PasswordReset.email == email).all()


def recently_requested(email, now=None):
    """Return whether a token was created for ``email`` less than 60 seconds before ``now``."""
    now = now or clock.now()
    return any(row.created_at and row.created_at > now - THROTTLE_INTERVAL for row in _rows(email))


def create_token(email, now=None):
    """Replace the reset tokens of ``email`` with a new one and return it; only its digest is stored.

    Raises ResetRequestThrottled when a token was created for the address less than 60 seconds ago.
    """
    now = now or clock.now()
    if recently_requested(email, now):
        raise ResetRequestThrottled(email)
    db.session.query(PasswordReset).filter(PasswordReset.email == email).delete(synchronize_session=False)
    token = secrets.token_hex(TOKEN_BYTES)
    db.session.add(PasswordReset(email=email, token=digest_token(token), created_at=now))
    db.session.flush()
    return token


def _stored_token_matches(token, stored):
    if stored.startswith("$2"):
        return passwords.verify_password(token, stored)
    return hmac.compare_digest(digest_token(token), stored)


def token_is_valid(email, token, now=None):
    """Return whether ``token`` is a reset token of ``email`` created less than 60 minutes before ``now``."""
    if not token:
        return False
    now = now or clock.now()
    for row in _rows(email):
        fresh = row.created_at is not None and row.created_at > now - TOKEN_LIFETIME
        if fresh and _stored_token_matches(token, row.token):
            return True
    return False


def new_remember_token():
    """Return 60 random letters and digits, the form of the ``remember_token`` column."""
    return "".join(secrets.choice(REMEMBER_TOKEN_ALPHABET) for _ in range(REMEMBER_TOKEN_LENGTH))


def reset_password(user, token, new_password, now=None):
    """Set a new password for ``user`` if ``token`` is their valid reset token, then delete their tokens.

    The ``remember_token`` is replaced, so "remember me" cookies of the portals stop working. The
    user is not logged in, and API access tokens are kept. Raises InvalidResetToken.
    """
    if not token_is_valid(user.email, token, now):
        raise InvalidResetToken(user.email)
    user.set_password(new_password)
    user.remember_token = new_remember_token()
    db.session.query(PasswordReset).filter(PasswordReset.email == user.email).delete(synchronize_session=False)
    db.session.flush()


def trader_app_reset_url(email, token):
    """Return the trader app's change-password link: the market site over HTTPS on production and staging."""
    query = urlencode({"email": email, "token": token})
    return mail.site_url(current_app.config["ARC_MARKET_DOMAIN"], f"/change-password?{query}")


@job
def send_trader_app_reset_link(user_id):
    """Create a reset token for a trader-app user and e-mail them the link to the app's change-password page.

    Skips users that no longer exist and requests throttled since the request was accepted. Raises
    MailDeliveryError when the e-mail cannot be sent; the token then stays, and the user can ask
    again after 60 seconds.
    """
    # The token is made here, not in the request, so that it never sits in the queue: Redis keeps a
    # job's arguments after it has run. The cost is that the throttle counts from this moment.
    user = db.session.query(User).filter(User.id == user_id).with_for_update().one_or_none()
    if user is None or user.deleted_at is not None:
        db.session.rollback()
        logger.info("password reset link not sent: user %s does not exist", user_id)
        return
    try:
        token = create_token(user.email)
    except ResetRequestThrottled:
        db.session.rollback()
        logger.info("password reset link not sent to user %s: one was sent less than 60 seconds ago", user_id)
        return

    context = {
        "reset_url": trader_app_reset_url(user.email, token),
        "lifetime_minutes": int(TOKEN_LIFETIME.total_seconds()) // 60,
    }
    message = mail.compose(user.email, user.name, RESET_EMAIL_SUBJECT, "password_reset", context)
    db.session.commit()
    mail.send(message)
    logger.info("password reset link e-mailed to user %s", user_id)
