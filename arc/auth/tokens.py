"""Bearer tokens of the trader API, stored as digests in the OAuth tables.

Write functions flush and leave the commit to the caller.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from arc import clock
from arc.auth.models import OAuthAccessToken, OAuthRefreshToken
from arc.extensions import db
from arc.users.models import User


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


def digest(raw_token):
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


def issue_tokens(user):
    """Create an access token and its refresh token for a trader-app user."""
    config = current_app.config
    now = clock.now()
    access_raw = secrets.token_urlsafe(48)
    refresh_raw = secrets.token_urlsafe(48)
    access = OAuthAccessToken(
        id=digest(access_raw),
        user_id=user.id,
        client_id=config["PASSWORD_CLIENT"],
        scopes='["*"]',
        revoked=False,
        created_at=now,
        updated_at=now,
        expires_at=now + timedelta(seconds=config["ACCESS_TOKEN_LIFETIME"]),
    )
    refresh = OAuthRefreshToken(
        id=digest(refresh_raw),
        access_token_id=access.id,
        revoked=False,
        expires_at=now + timedelta(seconds=config["REFRESH_TOKEN_LIFETIME"]),
    )
    db.session.add_all([access, refresh])
    db.session.flush()
    return TokenPair(access_raw, refresh_raw, config["ACCESS_TOKEN_LIFETIME"])


def load_access_token(raw_token):
    """Return the live access-token row and its user, or ``(None, None)``."""
    if not raw_token:
        return None, None
    access = db.session.get(OAuthAccessToken, digest(raw_token))
    if access is None or access.revoked or (access.expires_at and access.expires_at <= clock.now()):
        return None, None
    user = db.session.get(User, access.user_id)
    if user is None or user.deleted_at is not None:
        return None, None
    return access, user


def refresh_tokens(raw_refresh_token):
    """Exchange a live refresh token for a new pair, revoking the old pair; ``None`` if it is not live."""
    if not isinstance(raw_refresh_token, str) or not raw_refresh_token:
        return None
    refresh = (
        db.session.query(OAuthRefreshToken)
        .filter_by(id=digest(raw_refresh_token), revoked=False)
        .with_for_update()
        .first()
    )
    if refresh is None or (refresh.expires_at and refresh.expires_at <= clock.now()):
        return None
    access = db.session.get(OAuthAccessToken, refresh.access_token_id)
    user = db.session.get(User, access.user_id) if access else None
    if user is None or user.deleted_at is not None:
        return None
    refresh.revoked = True
    access.revoked = True
    return issue_tokens(user)


def revoke_access_token(access):
    """Revoke an access token and every refresh token issued with it."""
    access.revoked = True
    db.session.query(OAuthRefreshToken).filter_by(access_token_id=access.id).update(
        {OAuthRefreshToken.revoked: True}, synchronize_session=False
    )
    db.session.flush()


def revoke_user_tokens(user_ids):
    """Revoke every access and refresh token of the given trader-app users."""
    access_ids = db.session.query(OAuthAccessToken.id).filter(OAuthAccessToken.user_id.in_(list(user_ids)))
    db.session.query(OAuthRefreshToken).filter(OAuthRefreshToken.access_token_id.in_(access_ids)).update(
        {OAuthRefreshToken.revoked: True}, synchronize_session=False
    )
    db.session.query(OAuthAccessToken).filter(OAuthAccessToken.user_id.in_(list(user_ids))).update(
        {OAuthAccessToken.revoked: True}, synchronize_session=False
    )
    db.session.flush()
