"""The three user populations (trader-app users, charity staff, centre workers) and password resets.

Each population has its own table and its own id sequence, so anything that records who acted stores
both an id and a type name (``User``, ``AdminUser`` or ``CentreUser``).
"""

import sqlalchemy as sa
from flask_login import UserMixin

from arc.centres.models import centre_centre_user
from arc.columns import String, created_at_column, deleted_at_column, foreign_key, id_column, updated_at_column
from arc.extensions import db
from arc.markets.models import trader_user
from arc.users import passwords

CENTRE_USER_ROLES = ("centre_user", "foodmatters_user")


class PasswordMixin:
    def set_password(self, plain):
        self.password = passwords.hash_password(plain)

    def check_password(self, plain):
        """Return whether ``plain`` matches, upgrading an outdated hash in place when it does."""
        if not passwords.verify_password(plain, self.password):
            return False
        if passwords.needs_rehash(self.password):
            self.password = passwords.hash_password(plain)
        return True


class SessionUserMixin(UserMixin):
    """Flask-Login identity carrying the user kind, so one host's session never loads another kind."""

    kind = None

    def get_id(self):
        return f"{self.kind}:{self.id}"

    @property
    def is_active(self):
        return self.deleted_at is None


class User(PasswordMixin, db.Model):
    """A login of the trader app, linked to one or more traders."""

    __tablename__ = "users"
    type_name = "User"

    id = id_column()
    name = db.Column(String, nullable=False)
    email = db.Column(String, nullable=False, unique=True)
    password = db.Column(String, nullable=False)
    remember_token = db.Column(sa.String(100), nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
    deleted_at = deleted_at_column()

    traders = db.relationship("Trader", secondary=trader_user, back_populates="users", order_by="Trader.id")

    @property
    def enabled_traders(self):
        return [trader for trader in self.traders if trader.enabled]

    def has_enabled_trader(self, trader):
        return trader.enabled and any(own.id == trader.id for own in self.traders)

    def __repr__(self):
        return f"<User {self.id}>"


class AdminUser(PasswordMixin, SessionUserMixin, db.Model):
    """A member of the charity's staff, using the admin portal."""

    __tablename__ = "admin_users"
    type_name = "AdminUser"
    kind = "admin"

    id = id_column()
    name = db.Column(String, nullable=False)
    email = db.Column(String, nullable=False, unique=True)
    password = db.Column(String, nullable=False)
    remember_token = db.Column(sa.String(100), nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
    deleted_at = deleted_at_column()

    def __repr__(self):
        return f"<AdminUser {self.id}>"


class CentreUser(PasswordMixin, SessionUserMixin, db.Model):
    """A children's-centre worker using the store portal. Soft deletion is how a worker is disabled."""

    __tablename__ = "centre_users"
    type_name = "CentreUser"
    kind = "centre"

    id = id_column()
    name = db.Column(String, nullable=False)
    email = db.Column(String, nullable=False, unique=True)
    password = db.Column(String, nullable=False)
    role = db.Column(String, nullable=False, default="centre_user", server_default="centre_user")
    downloader = db.Column(sa.Boolean, nullable=False, default=False, server_default=sa.text("0"))
    remember_token = db.Column(sa.String(100), nullable=True)
    # Legacy single-centre link, superseded by centre_centre_user; kept because the live schema has it.
    centre_id = foreign_key("centres.id", nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
    deleted_at = deleted_at_column()

    centres = db.relationship("Centre", secondary=centre_centre_user, order_by="Centre.id")

    @property
    def home_centre(self):
        from arc.centres.models import Centre

        return (
            db.session.query(Centre)
            .join(centre_centre_user, centre_centre_user.c.centre_id == Centre.id)
            .filter(centre_centre_user.c.centre_user_id == self.id, centre_centre_user.c.homeCentre.is_(True))
            .order_by(Centre.id)
            .first()
        )

    def __repr__(self):
        return f"<CentreUser {self.id}>"


class PasswordReset(db.Model):
    """A pending password reset, shared by the three user populations. The live table has no key."""

    __tablename__ = "password_resets"
    # SQLAlchemy needs an identity; the pair is unique in practice because a new request replaces the old.
    __mapper_args__ = {"primary_key": ["email", "token"]}

    email = db.Column(String, nullable=False, index=True)
    token = db.Column(String, nullable=False)
    created_at = db.Column(sa.TIMESTAMP(), nullable=True)
