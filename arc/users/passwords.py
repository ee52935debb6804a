"""Password hashing compatible with the bcrypt hashes of the live database (``$2y$`` prefix)."""

import bcrypt

BCRYPT_ROUNDS = 10
# bcrypt reads at most 72 bytes. PHP's password_hash() ignored the rest, so live hashes of longer
# passwords were made from their first 72 bytes. This library raises ValueError instead, so the
# service cuts passwords to 72 bytes before hashing or checking them.
BCRYPT_MAX_BYTES = 72


def _secret(plain):
    return plain.encode("utf-8")[:BCRYPT_MAX_BYTES]


def hash_password(plain):
    """Return a bcrypt hash with the ``$2y$`` prefix, so the previous PHP service could still read it.

    ``$2y$`` and ``$2b$`` name the same algorithm; only the prefix differs.
    """
    hashed = bcrypt.hashpw(_secret(plain), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")
    return "$2y$" + hashed[4:]


def verify_password(plain, hashed):
    """Return whether ``plain`` matches ``hashed``; malformed or empty hashes never match."""
    if not plain or not hashed:
        return False
    try:
        return bcrypt.checkpw(_secret(plain), hashed.encode("ascii"))
    except ValueError:
        return False


def needs_rehash(hashed):
    """Return whether a hash uses fewer rounds than the service now uses."""
    try:
        rounds = int(hashed.split("$")[2])
    except (IndexError, ValueError):
        return True
    return rounds < BCRYPT_ROUNDS
