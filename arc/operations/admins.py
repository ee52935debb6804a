"""Creating admin-portal users (charity staff) from the command line."""

import logging

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from arc.extensions import db
from arc.users.models import AdminUser

logger = logging.getLogger(__name__)

# The admin portal's password-reset form requires the same minimum.
MIN_PASSWORD_LENGTH = 8
MAX_LENGTH = 191


class AdminUserError(ValueError):
    """An admin user that cannot be created as given."""


def create_admin(name, email, password, actor):
    """Create an admin user with a bcrypt password hash; flush, and return it.

    Raises AdminUserError for an empty or over-long name, an invalid e-mail address, a password
    shorter than MIN_PASSWORD_LENGTH, or an e-mail address that an admin user already has, deleted
    ones included, compared without regard to case.
    """
    name = (name or "").strip()
    if not name or len(name) > MAX_LENGTH:
        raise AdminUserError(f"The name must be 1 to {MAX_LENGTH} characters long.")
    email = (email or "").strip()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise AdminUserError(f"Invalid e-mail address {email!r}: {error}") from None
    if len(email) > MAX_LENGTH:
        raise AdminUserError(f"The e-mail address must be at most {MAX_LENGTH} characters.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AdminUserError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.")

    existing = db.session.execute(
        sa.select(AdminUser.id).where(sa.func.lower(AdminUser.email) == email.lower()).limit(1)
    ).first()
    if existing is not None:
        raise AdminUserError(f"An admin user with the e-mail address {email} exists already (id {existing.id}).")

    admin = AdminUser(name=name, email=email)
    admin.set_password(password)
    db.session.add(admin)
    db.session.flush()
    logger.info("admin %s created by %s", admin.id, actor.id)
    return admin
