"""Checking the credentials of each kind of user."""

import sqlalchemy as sa

from arc.extensions import db
from arc.markets.models import Trader, trader_user
from arc.users.models import AdminUser, CentreUser, User


class LoginError(Exception):
    """Credentials were rejected; ``code`` names the reason in the trader API's OAuth terms."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _by_email(model, email):
    return (
        db.session.query(model)
        .filter(sa.func.lower(model.email) == email.strip().lower(), model.deleted_at.is_(None))
        .first()
    )


def authenticate_trader_user(email, password):
    """Return the trader-app user with these credentials.

    Raises LoginError("invalid_request") when a field is missing, ("invalid_credentials") when no
    user with at least one enabled trader has that e-mail address, and ("invalid_grant") for a wrong
    password.
    """
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        raise LoginError("invalid_request")
    user = _by_email(User, email)
    if user is None or not _has_enabled_trader(user):
        raise LoginError("invalid_credentials")
    if not user.check_password(password):
        raise LoginError("invalid_grant")
    return user


def check_trader_user_password(email, password):
    """Return the trader-app user with these credentials, whatever their traders, or raise LoginError.

    This is the OAuth password grant's check; the app's own login also requires an enabled trader.
    """
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        raise LoginError("invalid_request")
    user = _by_email(User, email)
    if user is None or not user.check_password(password):
        raise LoginError("invalid_grant")
    return user


def _has_enabled_trader(user):
    return db.session.query(
        sa.exists()
        .where(trader_user.c.user_id == user.id)
        .where(trader_user.c.trader_id == Trader.id)
        .where(Trader.disabled_at.is_(None), Trader.deleted_at.is_(None))
    ).scalar()


def authenticate_admin(email, password):
    """Return the admin user with these credentials, or None."""
    user = _by_email(AdminUser, email or "")
    return user if user is not None and user.check_password(password) else None


def authenticate_centre_user(email, password):
    """Return the enabled centre user with these credentials, or None."""
    user = _by_email(CentreUser, email or "")
    return user if user is not None and user.check_password(password) else None
