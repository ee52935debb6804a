"""Password hashes stay compatible with the bcrypt hashes of the live database."""

import pytest

from arc.users import passwords

# PHP's password_hash() output for "password", in the $2y$ form the live database holds.
PHP_HASH = "$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi"


def test_php_2y_hash_verifies():
    assert passwords.verify_password("password", PHP_HASH)


def test_php_2y_hash_rejects_wrong_password():
    assert not passwords.verify_password("Password", PHP_HASH)


def test_new_hashes_use_2y_prefix():
    hashed = passwords.hash_password("market_pass")

    assert hashed.startswith("$2y$10$")
    assert passwords.verify_password("market_pass", hashed)


@pytest.mark.parametrize("hashed", ["", None, "plain-text", "$2y$10$short"])
def test_malformed_hash_never_matches(hashed):
    assert not passwords.verify_password("password", hashed)


@pytest.mark.parametrize("plain", ["", None])
def test_empty_password_never_matches(plain):
    assert not passwords.verify_password(plain, PHP_HASH)


def test_low_cost_hash_needs_rehash():
    assert passwords.needs_rehash("$2y$04$" + "a" * 53)
    assert not passwords.needs_rehash(PHP_HASH)
