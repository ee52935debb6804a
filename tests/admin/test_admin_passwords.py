"""Admin password reset: the e-mailed link, the new-password form, and landing on the dashboard."""

import re
from datetime import timedelta

import pytest

from arc import clock, mail
from arc.extensions import db
from arc.users import password_resets
from arc.users.admin_password_resets import send_admin_reset_link
from arc.users.models import PasswordReset
from tests import factories
from tests.admin.voucher_data import page_of, text_of
from tests.mail.outbox import mail_settings, outbox  # noqa: F401  (fixtures)

NEW_PASSWORD = "a-new-password"
LINK = re.compile(r"http://admin\.localhost/password/reset/([0-9a-f]{64})")


def reset_token(outbox):
    [message] = outbox
    return LINK.search(mail.text_body(message)).group(1)


def reset_data(admin, token, changes=None):
    data = {"token": token, "email": admin.email, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    data.update(changes or {})
    return data


def test_request_page(service_client):
    page = page_of(service_client.get("/password/reset"))

    assert page.find("h1").text == "Reset your password"
    assert page.find("form", action="/password/email") is not None
    assert page.find("label", **{"for": "email"}).text == "E-mail address"
    assert page.find("button").text == "Send Password Reset Link"


def test_logged_in_admin_goes_to_dashboard(logged_in_admin):
    for path in ("/password/reset", "/password/reset/" + "a" * 64):
        response = logged_in_admin.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == "/"


def test_request_sends_link_to_admin(service_client, admin_user, outbox):
    response = service_client.post("/password/email", data={"email": admin_user.email.upper()})

    page = text_of(service_client.get(response.headers["Location"]))
    [message] = outbox
    assert response.status_code == 302
    assert "If we know that e-mail address, you will get a reset link shortly." in page
    assert message["To"].endswith(f"<{admin_user.email}>")
    assert message["Subject"] == "Password Reset Request Notification"
    assert "Rosie admin service" in mail.text_body(message)
    assert password_resets.token_is_valid(admin_user.email, reset_token(outbox))


def test_request_for_unknown_address_looks_the_same(service_client, outbox, db):
    response = service_client.post("/password/email", data={"email": "nobody@example.org"})

    page = text_of(service_client.get(response.headers["Location"]))
    assert "If we know that e-mail address, you will get a reset link shortly." in page
    assert outbox == []


def test_request_for_deleted_admin_sends_nothing(service_client, outbox, db):
    admin = factories.make_admin_user(deleted_at=clock.now())

    service_client.post("/password/email", data={"email": admin.email})

    assert outbox == []


def test_request_again_within_a_minute_is_refused(service_client, admin_user, outbox):
    service_client.post("/password/email", data={"email": admin_user.email})

    response = service_client.post("/password/email", data={"email": admin_user.email})

    error = page_of(response).find("label", role="alert", **{"for": "email"})
    assert response.status_code == 429
    assert "Please wait a minute" in error.text
    assert len(outbox) == 1


@pytest.mark.parametrize("email", ["", "not-an-email"])
def test_request_with_invalid_address_is_field_error(service_client, email, db):
    response = service_client.post("/password/email", data={"email": email})

    assert response.status_code == 422
    assert page_of(response).find("label", role="alert", **{"for": "email"}) is not None


def test_request_address_page_by_get_goes_to_form(service_client):
    response = service_client.get("/password/email")

    assert response.headers["Location"] == "/password/reset"


@pytest.mark.parametrize("token", ["a" * 63, "a" * 65, "A" * 64, "g" * 64])
def test_link_with_malformed_token_is_404(service_client, token):
    assert service_client.get(f"/password/reset/{token}").status_code == 404


def test_link_shows_new_password_form(service_client):
    token = "0123456789abcdef" * 4

    page = page_of(service_client.get(f"/password/reset/{token}"))

    assert page.find("input", name="token").attrs["value"] == token
    assert page.find("label", **{"for": "password_confirmation"}).text == "Confirm new password"
    assert page.find("button").text == "Reset Password"


def test_reset_logs_in_and_lands_on_dashboard(service_client, admin_user, outbox):
    service_client.post("/password/email", data={"email": admin_user.email})
    token = reset_token(outbox)
    old_remember = admin_user.remember_token

    response = service_client.post("/password/reset", data=reset_data(admin_user, token))

    dashboard = service_client.get("/")
    db.session.refresh(admin_user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert dashboard.status_code == 200
    assert "Your password has been reset and you are now logged in." in text_of(dashboard)
    assert admin_user.check_password(NEW_PASSWORD)
    assert admin_user.remember_token != old_remember
    assert db.session.query(PasswordReset).filter_by(email=admin_user.email).count() == 0


def test_reset_link_works_once(service_client, admin_user, outbox):
    service_client.post("/password/email", data={"email": admin_user.email})
    token = reset_token(outbox)
    service_client.post("/password/reset", data=reset_data(admin_user, token))
    service_client.post("/logout")

    response = service_client.post("/password/reset", data=reset_data(
        admin_user, token, {"password": "another-one1", "password_confirmation": "another-one1"}
    ))

    db.session.refresh(admin_user)
    assert response.status_code == 422
    assert admin_user.check_password(NEW_PASSWORD)


def test_expired_token_is_refused(service_client, admin_user):
    token = password_resets.create_token(admin_user.email, clock.now() - timedelta(minutes=61))

    response = service_client.post("/password/reset", data=reset_data(admin_user, token))

    error = page_of(response).find("label", role="alert", **{"for": "email"})
    assert response.status_code == 422
    assert "invalid or has expired" in error.text
    assert service_client.get("/").status_code == 302


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"password_confirmation": "something-else"}, "password"),
        ({"password": "short", "password_confirmation": "short"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "someone.else@example.org"}, "email"),
        ({"token": ""}, None),
    ],
)
def test_reset_with_bad_input_is_refused(service_client, admin_user, changes, field):
    token = password_resets.create_token(admin_user.email)

    response = service_client.post("/password/reset", data=reset_data(admin_user, token, changes))

    db.session.refresh(admin_user)
    assert response.status_code == 422
    if field:
        assert page_of(response).find("label", role="alert", **{"for": field}) is not None
    assert admin_user.check_password(factories.PASSWORD)


def test_job_skips_deleted_admin(app, admin_user, outbox):
    admin_user.deleted_at = clock.now()
    db.session.flush()

    send_admin_reset_link(admin_user.id)

    assert outbox == []
    assert db.session.query(PasswordReset).count() == 0


def test_job_builds_link_on_service_host(app, admin_user, outbox):
    send_admin_reset_link(admin_user.id)

    token = reset_token(outbox)
    assert password_resets.token_is_valid(admin_user.email, token)
    assert f"/password/reset/{token}" in mail.html_body(outbox[0])
