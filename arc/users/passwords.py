"""Password hashing compatible with the bcrypt hashes of the live database (``$2y$`` prefix)."""

import bcrypt

BCRYPT_ROUNDS = 10


def hash_password(plain):
    """Return a bcrypt hash with the ``$2y$`` prefix, so the previous PHP service could still read it.

    ``$2y$`` and ``$2b$`` name the same algorithm; only the prefix differs.
    """
    hashed = bcrypt.hashpw(plain.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")
    return "$2y$" + hashed[4:]


def verify_password(plain, hashed):
    """Return whether ``plain`` matches ``hashed``; malformed or empty hashes never match."""
    if not plain or not hashed:
        return False
    try:
        return bcrypt.checkpw(plain.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def needs_rehash(hashed):
    """Return whether a hash uses fewer rounds than the service now asks for."""
    try:
        rounds = int(hashed.split("$")[2])
    except (IndexError, ValueError):
        return True
    return rounds < BCRYPT_ROUNDS
