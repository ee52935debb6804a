"""Centre worker password reset: the request form, the e-mailed link and choosing a new password."""

import re

import pytest

from arc.extensions import db
from arc.mail import text_body
from arc.users import password_resets
from tests import factories
from tests.mail.outbox import mail_settings, outbox  # noqa: F401  (fixtures)
from tests.store.scenario import log_in, store_world  # noqa: F401


def text(response):
    return response.get_data(as_text=True)


def test_request_page(store_client):
    html = text(store_client.get("/password/reset"))
    assert 'value="Send Password Reset Link"' in html or ">Send Password Reset Link<" in html
    assert 'name="email"' in html


def test_request_sends_one_link(store_client, store_world, outbox):
    response = store_client.post("/password/email", data={"email": "rosa@example.org"}, follow_redirects=True)

    assert "If we know that email, you&#39;ll get a reset link shortly!" in text(response)
    [message] = outbox
    assert message["To"] == "Rosa <rosa@example.org>"
    assert "Password Reset Request Notification" in message["Subject"]
    body = text_body(message)
    assert "Hi Rosa," in body
    assert "Rosie Children's Centre service" in body
    assert re.search(r"http://store\.localhost/password/reset/[0-9a-f]{64}\?email=rosa%40example\.org", body)


def test_request_for_unknown_address_looks_the_same(store_client, store_world, outbox):
    response = store_client.post("/password/email", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "If we know that email, you&#39;ll get a reset link shortly!" in text(response)
    assert outbox == []


def test_second_request_within_a_minute_is_refused(store_client, store_world, outbox):
    store_client.post("/password/email", data={"email": "rosa@example.org"})
    response = store_client.post("/password/email", data={"email": "rosa@example.org"})
    assert response.status_code == 429
    assert "less than a minute ago" in text(response)
    assert len(outbox) == 1


def test_invalid_email_is_reported(store_client):
    response = store_client.post("/password/email", data={"email": "not-an-address"})
    assert response.status_code == 422
    assert "Enter a valid email address." in text(response)


@pytest.fixture
def reset_token(store_world):
    return password_resets.create_token(store_world.rosa.email)


def test_reset_with_link(store_client, store_world, reset_token):
    page = store_client.get(f"/password/reset/{reset_token}?email=rosa@example.org")
    response = store_client.post(
        "/password/reset",
        data={"token": reset_token, "email": "rosa@example.org", "password": "new-orchard-22", "password_confirmation": "new-orchard-22"},
    )
    assert "Reset Password" in text(page)
    assert 'value="rosa@example.org"' in text(page)
    assert response.headers["Location"] == "/login"
    assert store_client.get("/dashboard").status_code == 302
    db.session.expire_all()
    assert store_world.rosa.check_password("new-orchard-22")
    assert "Your password has been reset!" in text(store_client.get("/login"))


def test_reset_with_wrong_token(store_client, store_world, reset_token):
    response = store_client.post(
        "/password/reset",
        data={"token": "b" * 64, "email": "rosa@example.org", "password": "new-orchard-22", "password_confirmation": "new-orchard-22"},
    )
    assert response.status_code == 422
    assert "This password reset token is invalid." in text(response)
    db.session.expire_all()
    assert store_world.rosa.check_password(factories.PASSWORD)


@pytest.mark.parametrize(
    "password, confirmation, message",
    [("short", "short", "at least 8 characters"), ("new-orchard-22", "other-orchard-22", "do not match")],
)
def test_reset_password_rules(store_client, store_world, reset_token, password, confirmation, message):
    response = store_client.post(
        "/password/reset",
        data={"token": reset_token, "email": "rosa@example.org", "password": password, "password_confirmation": confirmation},
    )
    assert message in text(response)


def test_malformed_token_is_404(store_client, store_world):
    log_in(store_client, store_world.rosa)
    assert store_client.get("/password/reset/NotAHexToken").status_code == 404
    assert store_client.get("/password/reset/" + "G" * 64).status_code == 404
    db.session.expire_all()
    assert store_world.rosa.check_password(factories.PASSWORD)


def test_logged_in_user_skips_reset_pages(store_client, store_world):
    log_in(store_client, store_world.rosa)
    assert store_client.get("/password/reset").headers["Location"] == "/dashboard"
