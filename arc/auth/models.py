"""OAuth tables of the live schema. The trader API keeps its bearer tokens in the first two.

Access and refresh tokens are random strings given to the client once; the tables hold only their
SHA-256 digests, so a copy of the database cannot be used to act as a trader.
"""

import sqlalchemy as sa

from arc.columns import BigIntKey, String, UnsignedBigInt, created_at_column, updated_at_column
from arc.extensions import db


class OAuthAccessToken(db.Model):
    __tablename__ = "oauth_access_tokens"

    id = db.Column(sa.String(100), primary_key=True)
    user_id = db.Column(UnsignedBigInt, nullable=True, index=True)
    client_id = db.Column(UnsignedBigInt, nullable=False)
    name = db.Column(String, nullable=True)
    scopes = db.Column(sa.Text, nullable=True)
    revoked = db.Column(sa.Boolean, nullable=False, default=False)
    created_at = created_at_column()
    updated_at = updated_at_column()
    expires_at = db.Column(sa.DateTime, nullable=True)


class OAuthRefreshToken(db.Model):
    __tablename__ = "oauth_refresh_tokens"

    id = db.Column(sa.String(100), primary_key=True)
    access_token_id = db.Column(sa.String(100), nullable=False, index=True)
    revoked = db.Column(sa.Boolean, nullable=False, default=False)
    expires_at = db.Column(sa.DateTime, nullable=True)


class OAuthAuthCode(db.Model):
    """Authorisation codes of the previous OAuth server; nothing issues them now."""

    __tablename__ = "oauth_auth_codes"

    id = db.Column(sa.String(100), primary_key=True)
    user_id = db.Column(UnsignedBigInt, nullable=False, index=True)
    client_id = db.Column(UnsignedBigInt, nullable=False)
    scopes = db.Column(sa.Text, nullable=True)
    revoked = db.Column(sa.Boolean, nullable=False)
    expires_at = db.Column(sa.DateTime, nullable=True)


class OAuthClient(db.Model):
    """OAuth clients of the previous OAuth server; the access tokens above name one by id."""

    __tablename__ = "oauth_clients"

    id = db.Column(UnsignedBigInt, primary_key=True, autoincrement=True)
    user_id = db.Column(BigIntKey, nullable=True, index=True)
    name = db.Column(String, nullable=False)
    secret = db.Column(sa.String(100), nullable=True)
    provider = db.Column(String, nullable=True)
    redirect = db.Column(sa.Text, nullable=False)
    personal_access_client = db.Column(sa.Boolean, nullable=False)
    password_client = db.Column(sa.Boolean, nullable=False)
    revoked = db.Column(sa.Boolean, nullable=False)
    created_at = created_at_column()
    updated_at = updated_at_column()


class OAuthPersonalAccessClient(db.Model):
    __tablename__ = "oauth_personal_access_clients"

    id = db.Column(UnsignedBigInt, primary_key=True, autoincrement=True)
    client_id = db.Column(BigIntKey, nullable=False)
    created_at = created_at_column()
    updated_at = updated_at_column()
