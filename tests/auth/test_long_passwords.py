"""Passwords longer than bcrypt's 72-byte input.

The previous PHP service hashed with ``password_hash``, which silently uses only the first 72 bytes
of the password. A live user who chose a longer password must still log in with it, and a user who
resets to a long password must not get a server error.
"""

import bcrypt

from arc import clock
from arc.users import password_resets, passwords
from arc.users.models import PasswordReset
from tests import factories

# 40 characters but 80 bytes in UTF-8, so longer than bcrypt's 72-byte limit.
LONG_PASSWORD = "Ä" * 40


def php_style_hash(plain):
    """Return the ``$2y$`` hash that PHP's password_hash stores: bcrypt of the first 72 bytes."""
    hashed = bcrypt.hashpw(plain.encode("utf-8")[:72], bcrypt.gensalt(10)).decode("ascii")
    return "$2y$" + hashed[4:]


def test_long_live_password_verifies():
    # bcrypt 5 raises ValueError for input over 72 bytes, so the password must be cut to 72 bytes
    # before checking, as PHP did when it made the hash.
    assert passwords.verify_password(LONG_PASSWORD, php_style_hash(LONG_PASSWORD))


def test_long_live_password_logs_in(service_client, db):
    trader = factories.make_trader()
    user = factories.make_trader_user(traders=[trader])
    user.password = php_style_hash(LONG_PASSWORD)
    db.session.flush()

    response = service_client.post("/api/login", json={"username": user.email, "password": LONG_PASSWORD})

    assert response.status_code == 200
    assert "access_token" in response.get_json()


def test_long_password_hashes():
    # bcrypt 5 raises ValueError for input over 72 bytes instead of ignoring the rest.
    hashed = passwords.hash_password(LONG_PASSWORD)

    assert passwords.verify_password(LONG_PASSWORD, hashed)


def test_reset_to_long_password_is_not_500(service_client, db):
    trader = factories.make_trader()
    user = factories.make_trader_user(traders=[trader])
    token = "b" * 64
    db.session.add(PasswordReset(email=user.email, token=password_resets.digest_token(token), created_at=clock.now()))
    db.session.flush()

    response = service_client.post(
        "/api/user/lost_password/reset",
        json={"email": user.email, "token": token, "password": LONG_PASSWORD, "password_confirmation": LONG_PASSWORD},
    )

    assert response.status_code in (200, 422)
