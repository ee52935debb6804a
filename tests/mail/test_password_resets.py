"""Password-reset tokens in the shared table, and the trader app's reset e-mail job."""

import re
from datetime import timedelta

import pytest

from arc import clock, mail
from arc.users import password_resets, passwords
from arc.users.models import AdminUser, CentreUser, PasswordReset, User
from tests import factories
from tests.mail.smtp_server import HOST, free_port


def test_create_token_is_64_hex_and_stores_digest(db):
    token = password_resets.create_token("dana@example.org")

    assert re.fullmatch(r"[0-9a-f]{64}", token)
    row = db.session.query(PasswordReset).filter_by(email="dana@example.org").one()
    assert row.token == password_resets.digest_token(token)
    assert len(row.token) == 64


def test_create_token_is_throttled_for_a_minute(db):
    now = clock.now()
    password_resets.create_token("dana@example.org", now)

    with pytest.raises(password_resets.ResetRequestThrottled):
        password_resets.create_token("dana@example.org", now + timedelta(seconds=59))


def test_create_token_after_a_minute_replaces_old(db):
    now = clock.now()
    first = password_resets.create_token("dana@example.org", now)

    second = password_resets.create_token("dana@example.org", now + timedelta(seconds=61))

    assert db.session.query(PasswordReset).filter_by(email="dana@example.org").count() == 1
    assert not password_resets.token_is_valid("dana@example.org", first, now + timedelta(seconds=61))
    assert password_resets.token_is_valid("dana@example.org", second, now + timedelta(seconds=61))


def test_throttle_is_per_address(db):
    now = clock.now()
    password_resets.create_token("dana@example.org", now)

    assert password_resets.create_token("eli@example.org", now)


@pytest.mark.parametrize("age,valid", [(timedelta(minutes=59, seconds=59), True), (timedelta(minutes=60), False)])
def test_token_works_for_sixty_minutes(db, age, valid):
    now = clock.now()
    token = password_resets.create_token("dana@example.org", now)

    assert password_resets.token_is_valid("dana@example.org", token, now + age) is valid


@pytest.mark.parametrize("token", ["", None, "f" * 64])
def test_wrong_token_is_invalid(db, token):
    password_resets.create_token("dana@example.org")

    assert password_resets.token_is_valid("dana@example.org", token) is False


def test_token_of_other_address_is_invalid(db):
    token = password_resets.create_token("dana@example.org")

    assert password_resets.token_is_valid("eli@example.org", token) is False


def test_previous_service_bcrypt_row_verifies(db):
    db.session.add(
        PasswordReset(email="dana@example.org", token=passwords.hash_password("b" * 64), created_at=clock.now())
    )
    db.session.flush()

    assert password_resets.token_is_valid("dana@example.org", "b" * 64) is True
    assert password_resets.token_is_valid("dana@example.org", "c" * 64) is False


def test_reset_password_changes_password_and_deletes_tokens(db):
    user = factories.make_trader_user()
    token = password_resets.create_token(user.email)

    password_resets.reset_password(user, token, "Plum-Tree-77")

    assert passwords.verify_password("Plum-Tree-77", user.password)
    assert len(user.remember_token) == 60
    assert db.session.query(PasswordReset).filter_by(email=user.email).count() == 0


def test_reset_password_with_bad_token_changes_nothing(db):
    user = factories.make_trader_user()
    password_resets.create_token(user.email)
    old_hash = user.password

    with pytest.raises(password_resets.InvalidResetToken):
        password_resets.reset_password(user, "0" * 64, "Plum-Tree-77")

    assert user.password == old_hash
    assert db.session.query(PasswordReset).filter_by(email=user.email).count() == 1


@pytest.mark.parametrize(
    "make,model",
    [
        (factories.make_trader_user, User),
        (factories.make_admin_user, AdminUser),
        (factories.make_centre_user, CentreUser),
    ],
)
def test_find_user_ignores_case_and_deleted(db, make, model):
    user = make()

    assert password_resets.find_user(model, " " + user.email.upper()) == user
    user.deleted_at = clock.now()
    db.session.flush()
    assert password_resets.find_user(model, user.email) is None


def test_remember_token_is_sixty_letters_and_digits():
    assert re.fullmatch(r"[A-Za-z0-9]{60}", password_resets.new_remember_token())


@pytest.mark.parametrize("environment,scheme", [("production", "https"), ("staging", "https"), ("development", "http")])
def test_reset_url_uses_market_domain(app, mail_settings, environment, scheme):
    mail_settings(APP_ENV=environment, ARC_MARKET_DOMAIN="voucher.example.org")
    with app.app_context():
        url = password_resets.trader_app_reset_url("dana+1@example.org", "ab" * 32)

    assert url == f"{scheme}://voucher.example.org/change-password?email=dana%2B1%40example.org&token={'ab' * 32}"


def test_reset_job_sends_link_with_working_token(db, outbox):
    user = factories.make_trader_user(name="Dana Reyes")

    password_resets.send_trader_app_reset_link(user.id)

    assert len(outbox) == 1
    token = re.search(r"token=([0-9a-f]{64})", mail.text_body(outbox[0])).group(1)
    assert password_resets.token_is_valid(user.email, token)
    assert outbox[0]["To"] == f"Dana Reyes <{user.email}>"


def test_reset_job_skips_deleted_user(db, outbox):
    user = factories.make_trader_user(deleted_at=clock.now())

    password_resets.send_trader_app_reset_link(user.id)

    assert outbox == []
    assert db.session.query(PasswordReset).filter_by(email=user.email).count() == 0


def test_reset_job_skips_throttled_request(db, outbox):
    user = factories.make_trader_user()
    password_resets.create_token(user.email)

    password_resets.send_trader_app_reset_link(user.id)

    assert outbox == []


def test_reset_job_raises_when_mail_fails(db, mail_settings):
    mail_settings(MAIL_OUTBOX=None, MAIL_SERVER=HOST, MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    user = factories.make_trader_user()

    with pytest.raises(mail.MailDeliveryError):
        password_resets.send_trader_app_reset_link(user.id)
