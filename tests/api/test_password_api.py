"""Lost and reset password for trader-app users, through the API and the e-mailed link."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from arc import clock, mail
from arc.extensions import db as database
from arc.users import password_resets, passwords
from arc.users.models import PasswordReset
from tests import factories
from tests.conftest import SERVICE_HOST
from tests.factories import PASSWORD
from tests.mail.outbox import mail_settings, outbox  # noqa: F401  (fixtures)
from tests.mail.worker import redis_url, run_worker, smtp_server  # noqa: F401  (fixtures)

LINK_SENT = "If we know that email, you'll get a reset link shortly!"
NEW_PASSWORD = "Plum-Tree-77"


def request_link(client, email):
    return client.post("/api/user/lost_password", json={"email": email})


def link_in(message):
    return re.search(r"http://\S+/change-password\?\S+", mail.text_body(message)).group(0)


def token_in(message):
    return parse_qs(urlsplit(link_in(message)).query)["token"][0]


def reset(client, email, token, password=NEW_PASSWORD, confirmation=None):
    return client.post(
        "/api/user/lost_password/reset",
        json={
            "email": email,
            "token": token,
            "password": password,
            "password_confirmation": password if confirmation is None else confirmation,
        },
    )


def test_lost_password_known_email_sends_link(service_client, api_user, outbox):
    response = request_link(service_client, api_user.email)

    assert response.status_code == 200
    assert response.get_json() == {"status": LINK_SENT}
    assert len(outbox) == 1
    message = outbox[0]
    assert message["Subject"] == "Password Reset Request Notification"
    assert message["To"] == f"{api_user.name} <{api_user.email}>"
    text = mail.text_body(message)
    assert f"Hi {api_user.name}," in text
    assert "reset the password for your account on the Rosie Voucher Recorder" in text
    assert "If you did not ask to reset your password, you do not need to do anything" in text
    assert "Reset Password</a>" in mail.html_body(message)


def test_reset_link_opens_market_page(service_client, api_user, outbox):
    request_link(service_client, api_user.email)

    link = urlsplit(link_in(outbox[0]))
    query = parse_qs(link.query)
    assert link.scheme == "http"
    assert link.netloc == "market.localhost"
    assert link.path == "/change-password"
    assert query["email"] == [api_user.email]
    assert re.fullmatch(r"[0-9a-f]{64}", query["token"][0])
    assert "email=" + api_user.email.replace("@", "%40") in link.query
    assert link_in(outbox[0]) in mail.html_body(outbox[0]).replace("&amp;", "&")


def test_lost_password_stores_only_token_digest(service_client, api_user, outbox, db):
    request_link(service_client, api_user.email)

    token = token_in(outbox[0])
    rows = db.session.query(PasswordReset).filter_by(email=api_user.email).all()
    assert len(rows) == 1
    assert rows[0].token != token
    assert rows[0].token == password_resets.digest_token(token)
    assert rows[0].created_at is not None


def test_lost_password_unknown_email_sends_nothing(service_client, outbox, db):
    response = request_link(service_client, "nobody@example.org")

    assert response.status_code == 200
    assert response.get_json() == {"status": LINK_SENT}
    assert outbox == []
    assert db.session.query(PasswordReset).filter_by(email="nobody@example.org").count() == 0


def test_lost_password_deleted_user_sends_nothing(service_client, api_user, outbox, db):
    api_user.deleted_at = clock.now()
    db.session.flush()

    response = request_link(service_client, api_user.email)

    assert response.status_code == 200
    assert outbox == []


def test_lost_password_ignores_case_and_spaces(service_client, api_user, outbox):
    response = request_link(service_client, "  " + api_user.email.upper() + " ")

    assert response.status_code == 200
    assert len(outbox) == 1
    assert parse_qs(urlsplit(link_in(outbox[0])).query)["email"] == [api_user.email]


def test_lost_password_accepts_form_body(service_client, api_user, outbox):
    response = service_client.post("/api/user/lost_password", data={"email": api_user.email})

    assert response.status_code == 200
    assert len(outbox) == 1


def test_lost_password_twice_within_minute_is_throttled(service_client, api_user, outbox):
    request_link(service_client, api_user.email)

    response = request_link(service_client, api_user.email)

    assert response.status_code == 422
    body = response.get_json()
    assert body["email"] == "Please wait before retrying."
    assert body["message"] == "Please wait before retrying."
    assert body["errors"] == {"email": ["Please wait before retrying."]}
    assert len(outbox) == 1


def test_lost_password_after_minute_replaces_token(service_client, api_user, outbox, db):
    request_link(service_client, api_user.email)
    first_token = token_in(outbox[0])
    db.session.query(PasswordReset).filter_by(email=api_user.email).update(
        {"created_at": clock.now() - timedelta(seconds=61)}
    )

    response = request_link(service_client, api_user.email)

    assert response.status_code == 200
    assert len(outbox) == 2
    assert db.session.query(PasswordReset).filter_by(email=api_user.email).count() == 1
    assert not password_resets.token_is_valid(api_user.email, first_token)
    assert password_resets.token_is_valid(api_user.email, token_in(outbox[1]))


@pytest.mark.parametrize(
    "body,message",
    [
        ({}, "The email field is required."),
        ({"email": ""}, "The email field is required."),
        ({"email": None}, "The email field is required."),
        ({"email": "not-an-address"}, "The email must be a valid email address."),
        ({"email": 12}, "The email must be a string."),
    ],
)
def test_lost_password_invalid_email_is_422(service_client, outbox, body, message):
    response = service_client.post("/api/user/lost_password", json=body)

    assert response.status_code == 422
    assert response.get_json() == {"message": message, "errors": {"email": [message]}, "email": message}
    assert outbox == []


def test_lost_password_non_object_body_is_422(service_client, outbox):
    response = service_client.post("/api/user/lost_password", json=["dana@example.org"])

    assert response.status_code == 422
    assert response.get_json()["email"] == "The request body must be a JSON object or a form."


def test_reset_sets_new_password_and_keeps_tokens(service_client, api_user, auth_headers, outbox, db):
    request_link(service_client, api_user.email)
    old_remember_token = api_user.remember_token

    response = reset(service_client, api_user.email, token_in(outbox[0]))

    assert response.status_code == 200
    assert response.get_json() == {"status": "Your password has been reset!"}
    db.session.refresh(api_user)
    assert passwords.verify_password(NEW_PASSWORD, api_user.password)
    assert api_user.password.startswith("$2y$")
    assert not passwords.verify_password(PASSWORD, api_user.password)
    assert re.fullmatch(r"[A-Za-z0-9]{60}", api_user.remember_token)
    assert api_user.remember_token != old_remember_token
    assert db.session.query(PasswordReset).filter_by(email=api_user.email).count() == 0
    assert service_client.get("/api/traders", headers=auth_headers).status_code == 200


def test_reset_password_works_for_login(service_client, api_user, outbox):
    request_link(service_client, api_user.email)
    reset(service_client, api_user.email, token_in(outbox[0]))

    new_login = service_client.post("/api/login", json={"username": api_user.email, "password": NEW_PASSWORD})
    old_login = service_client.post("/api/login", json={"username": api_user.email, "password": PASSWORD})

    assert new_login.status_code == 200
    assert old_login.status_code == 400


def test_reset_does_not_log_in(service_client, api_user, outbox):
    request_link(service_client, api_user.email)

    body = reset(service_client, api_user.email, token_in(outbox[0])).get_json()

    assert "access_token" not in body
    assert service_client.get("/api/traders").status_code == 401


def test_reset_token_works_once(service_client, api_user, outbox):
    request_link(service_client, api_user.email)
    token = token_in(outbox[0])
    reset(service_client, api_user.email, token)

    response = reset(service_client, api_user.email, token, password="Another-Pass-1")

    assert response.status_code == 422
    assert response.get_json()["email"] == "This password reset token is invalid."


def test_reset_wrong_token_is_422(service_client, api_user, outbox, db):
    request_link(service_client, api_user.email)

    response = reset(service_client, api_user.email, "0" * 64)

    assert response.status_code == 422
    message = "This password reset token is invalid."
    assert response.get_json() == {
        "message": message,
        "errors": {"email": [message]},
        "email": message,
        "password": [message],
    }
    db.session.refresh(api_user)
    assert passwords.verify_password(PASSWORD, api_user.password)


def test_reset_expired_token_is_422(service_client, api_user, outbox, db):
    request_link(service_client, api_user.email)
    db.session.query(PasswordReset).filter_by(email=api_user.email).update(
        {"created_at": clock.now() - timedelta(minutes=61)}
    )

    response = reset(service_client, api_user.email, token_in(outbox[0]))

    assert response.status_code == 422
    assert response.get_json()["email"] == "This password reset token is invalid."


def test_reset_token_of_other_user_is_422(service_client, api_user, outbox):
    other = factories.make_trader_user()
    request_link(service_client, other.email)

    response = reset(service_client, api_user.email, token_in(outbox[0]))

    assert response.status_code == 422
    assert response.get_json()["email"] == "This password reset token is invalid."


def test_reset_unknown_email_is_422(service_client, db):
    response = reset(service_client, "nobody@example.org", "0" * 64)

    assert response.status_code == 422
    body = response.get_json()
    assert body["email"] == LINK_SENT
    assert body["password"] == [LINK_SENT]
    assert body["errors"] == {"email": [LINK_SENT]}


def test_reset_accepts_previous_service_bcrypt_token(service_client, api_user, db):
    token = "a" * 64
    db.session.add(PasswordReset(email=api_user.email, token=passwords.hash_password(token), created_at=clock.now()))
    db.session.flush()

    response = reset(service_client, api_user.email, token)

    assert response.status_code == 200


def test_reset_short_mismatched_password_is_422(service_client, api_user):
    response = reset(service_client, api_user.email, "0" * 64, password="short", confirmation="other")

    assert response.status_code == 422
    body = response.get_json()
    expected = ["The password confirmation does not match.", "The password must be at least 8 characters."]
    assert body["errors"] == {"password": expected}
    assert body["password"] == expected
    assert body["message"] == "The password confirmation does not match. (and 1 more error)"


def test_reset_password_keeps_spaces(service_client, api_user, outbox, db):
    request_link(service_client, api_user.email)

    response = reset(service_client, api_user.email, token_in(outbox[0]), password="  abc   ")

    assert response.status_code == 200
    db.session.refresh(api_user)
    assert passwords.verify_password("  abc   ", api_user.password)


def test_reset_missing_fields_is_422(service_client, db):
    response = service_client.post("/api/user/lost_password/reset", json={})

    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"] == {
        "token": ["The token field is required."],
        "email": ["The email field is required."],
        "password": ["The password field is required."],
    }
    assert body["message"] == "The token field is required. (and 2 more errors)"
    assert body["password"] == ["The password field is required."]
    assert body["email"] == "The email field is required."


def test_reset_missing_token_shows_in_password(service_client, api_user):
    response = service_client.post(
        "/api/user/lost_password/reset",
        json={"email": api_user.email, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )

    assert response.status_code == 422
    assert response.get_json()["password"] == ["The token field is required."]
    assert "email" not in response.get_json()


def test_reset_link_sent_by_worker_works(app, redis_url, smtp_server, committed):
    server, received = smtp_server
    client = app.test_client()
    email = committed["emails"][0]
    try:
        requested = client.post("/api/user/lost_password", json={"email": email}, base_url=f"http://{SERVICE_HOST}")
        worker = run_worker(app, redis_url, server.port)
        text = received.messages[0].get_body(preferencelist=("plain",)).get_content() if received.messages else ""
        token = re.search(r"token=([0-9a-f]{64})", text).group(1) if text else None
        reset_response = client.post(
            "/api/user/lost_password/reset",
            json={"email": email, "token": token, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
            base_url=f"http://{SERVICE_HOST}",
        )
    finally:
        with app.app_context():
            database.session.query(PasswordReset).filter_by(email=email).delete()
            database.session.commit()

    assert requested.status_code == 200
    assert worker.returncode == 0, worker.stderr
    assert received.recipients == [[email]]
    assert received.messages[0]["Subject"] == "Password Reset Request Notification"
    assert token is not None
    assert reset_response.status_code == 200
    assert reset_response.get_json() == {"status": "Your password has been reset!"}
