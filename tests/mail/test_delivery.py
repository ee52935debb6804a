"""Composing e-mails and delivering them: the outbox, the log, and a real SMTP server on loopback."""

import logging

import pytest

from arc import mail
from arc.mail import delivery
from tests.mail.smtp_server import HOST, free_port, start_server, write_self_signed_certificate

LINK = "http://market.localhost/change-password?email=dana%40example.org&token=abc123"


@pytest.fixture
def message(app):
    with app.app_context():
        return mail.compose(
            "dana@example.org",
            "Dana Reyes",
            "Password Reset Request Notification",
            "password_reset",
            {"reset_url": LINK, "lifetime_minutes": 60},
            [mail.Attachment("records.csv", "18-06-2025,RVNT00000001,\n", "text/csv")],
        )


def test_compose_sets_headers(app, message):
    assert message["Subject"] == "Password Reset Request Notification"
    assert message["To"] == "Dana Reyes <dana@example.org>"
    assert message["From"] == f"{app.config['MAIL_FROM_NAME']} <{app.config['MAIL_FROM_ADDRESS']}>"
    assert message["Date"]
    assert message["Message-ID"].endswith("@example.org>")


def test_compose_has_text_and_html_parts(message):
    assert "Hi Dana Reyes," in mail.text_body(message)
    assert LINK in mail.text_body(message)
    assert "<p>Hi Dana Reyes,</p>" in mail.html_body(message)
    assert LINK.replace("&", "&amp;") in mail.html_body(message)


def test_compose_escapes_html_only(app):
    with app.app_context():
        message = mail.compose("a@example.org", "Pip & <Co>", "Subject", "password_reset", {"reset_url": LINK})

    assert "Hi Pip & <Co>," in mail.text_body(message)
    assert "Hi Pip &amp; &lt;Co&gt;," in mail.html_body(message)


def test_compose_attaches_files(message):
    attachments = mail.attachments_of(message)

    assert len(attachments) == 1
    assert attachments[0].filename == "records.csv"
    assert attachments[0].mimetype == "text/csv"
    assert attachments[0].content == "18-06-2025,RVNT00000001,\n"


def test_compose_shows_support_contact_when_configured(app, mail_settings):
    mail_settings(MAIL_TO_DEVELOPER_TEAM="support@example.org", MAIL_TO_DEVELOPER_NAME="User Support")
    with app.app_context():
        message = mail.compose("a@example.org", "Ann", "Subject", "password_reset", {"reset_url": LINK})

    assert "email User Support at support@example.org" in mail.text_body(message)
    assert 'href="mailto:support@example.org"' in mail.html_body(message)


def test_outbox_collects_instead_of_logging(app, outbox, message, caplog):
    caplog.set_level(logging.INFO, logger="arc.mail")
    with app.app_context():
        mail.send(message)

    assert outbox == [message]
    assert caplog.records == []


def test_development_logs_whole_message(app, mail_settings, message, caplog):
    mail_settings(MAIL_OUTBOX=None, MAIL_SERVER=None, APP_ENV="development")
    caplog.set_level(logging.INFO, logger="arc.mail")
    with app.app_context():
        mail.send(message)

    assert len(caplog.records) == 1
    record = caplog.records[0]
    assert record.name == "arc.mail.delivery"
    assert record.levelno == logging.INFO
    logged = record.getMessage()
    assert "Subject: Password Reset Request Notification" in logged
    assert "To: Dana Reyes <dana@example.org>" in logged
    assert LINK in logged
    assert "[attachment records.csv (text/csv, 25 bytes)]" in logged
    assert "<p>" not in logged


def test_production_logs_recipient_and_subject_only(app, mail_settings, message, caplog):
    mail_settings(MAIL_OUTBOX=None, MAIL_SERVER=None, APP_ENV="production")
    caplog.set_level(logging.INFO, logger="arc.mail")
    with app.app_context():
        mail.send(message)

    assert len(caplog.records) == 1
    assert caplog.records[0].levelno == logging.WARNING
    logged = caplog.records[0].getMessage()
    assert "'Password Reset Request Notification'" in logged
    assert "dana@example.org" in logged
    assert "not sent" in logged
    assert "abc123" not in caplog.text
    assert "Hi Dana" not in caplog.text


def test_start_up_warning_in_production_without_server(app, mail_settings, caplog):
    mail_settings(MAIL_SERVER=None, APP_ENV="production")
    caplog.set_level(logging.INFO, logger="arc.mail")

    assert mail.warn_if_mail_unconfigured(app) is True
    assert len(caplog.records) == 1
    assert caplog.records[0].levelno == logging.WARNING
    assert "MAIL_HOST is empty" in caplog.records[0].getMessage()


@pytest.mark.parametrize("environment,server", [("production", "smtp.example.org"), ("development", None)])
def test_no_start_up_warning_otherwise(app, mail_settings, caplog, environment, server):
    mail_settings(MAIL_SERVER=server, APP_ENV=environment)
    caplog.set_level(logging.INFO, logger="arc.mail")

    assert mail.warn_if_mail_unconfigured(app) is False
    assert caplog.records == []


@pytest.mark.parametrize(
    "environment,expected",
    [
        ("production", "https://market.example.org/change-password"),
        ("staging", "https://market.example.org/change-password"),
        ("development", "http://market.example.org/change-password"),
        ("testing", "http://market.example.org/change-password"),
    ],
)
def test_site_url_scheme_follows_environment(app, mail_settings, environment, expected):
    mail_settings(APP_ENV=environment)
    with app.app_context():
        assert mail.site_url("market.example.org", "/change-password") == expected


@pytest.fixture
def smtp(mail_settings):
    """Settings for a plain SMTP server on loopback, and the server's recording handler."""
    server, handler = start_server()
    mail_settings(MAIL_OUTBOX=None, MAIL_SERVER=HOST, MAIL_PORT=server.port, MAIL_USE_TLS=False, MAIL_USERNAME=None)
    yield handler
    server.stop()


def test_smtp_delivers_message(app, smtp, message):
    with app.app_context():
        mail.send(message)

    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    assert smtp.recipients == [["dana@example.org"]]
    assert received["Subject"] == "Password Reset Request Notification"
    assert LINK in received.get_body(preferencelist=("plain",)).get_content()
    assert [part.get_filename() for part in received.iter_attachments()] == ["records.csv"]


def test_smtp_logs_each_sent_message(app, smtp, message, caplog):
    caplog.set_level(logging.INFO, logger="arc.mail")
    with app.app_context():
        mail.send(message)

    assert len(caplog.records) == 1
    assert "sent the e-mail 'Password Reset Request Notification'" in caplog.records[0].getMessage()
    assert LINK not in caplog.text


def test_smtp_refused_connection_raises(app, mail_settings, message, caplog):
    port = free_port()
    mail_settings(MAIL_OUTBOX=None, MAIL_SERVER=HOST, MAIL_PORT=port, MAIL_USE_TLS=False)
    caplog.set_level(logging.INFO, logger="arc.mail")

    with app.app_context(), pytest.raises(mail.MailDeliveryError) as raised:
        mail.send(message)

    assert f"{HOST}:{port}" in str(raised.value)
    assert caplog.records[0].levelno == logging.ERROR
    assert f"through {HOST}:{port} failed" in caplog.records[0].getMessage()


def test_smtp_without_starttls_support_raises_when_tls_on(app, smtp, mail_settings, message):
    mail_settings(MAIL_USE_TLS=True)

    with app.app_context(), pytest.raises(mail.MailDeliveryError):
        mail.send(message)

    assert smtp.messages == []


@pytest.fixture
def certificate(tmp_path):
    return write_self_signed_certificate(tmp_path)


@pytest.fixture
def tls_smtp(mail_settings, certificate):
    """A server that requires STARTTLS and then a login as ``arc`` with password ``s3cret``."""
    server, handler = start_server(certificate=certificate, credentials=("arc", "s3cret"))
    mail_settings(
        MAIL_OUTBOX=None,
        MAIL_SERVER="localhost",
        MAIL_PORT=server.port,
        MAIL_USE_TLS=True,
        MAIL_USERNAME="arc",
        MAIL_PASSWORD="s3cret",
    )
    yield handler
    server.stop()


def test_smtp_starttls_and_login(app, tls_smtp, certificate, message, monkeypatch):
    # The client checks the server's certificate against the trusted certificates that OpenSSL finds.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))

    with app.app_context():
        mail.send(message)

    assert len(tls_smtp.messages) == 1
    assert tls_smtp.messages[0]["Subject"] == "Password Reset Request Notification"


def test_smtp_wrong_password_raises(app, tls_smtp, certificate, mail_settings, message, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    mail_settings(MAIL_PASSWORD="wrong")

    with app.app_context(), pytest.raises(mail.MailDeliveryError):
        mail.send(message)

    assert tls_smtp.messages == []


def test_smtp_untrusted_certificate_raises(app, tls_smtp, message, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)

    with app.app_context(), pytest.raises(mail.MailDeliveryError) as raised:
        mail.send(message)

    assert "certificate" in str(raised.value).lower()
    assert tls_smtp.messages == []


def test_printable_lists_headers_body_and_attachments(message):
    text = delivery.printable(message)

    assert text.startswith("Subject: Password Reset Request Notification\n")
    assert "\n\nHi Dana Reyes," in text
    assert text.endswith("[attachment records.csv (text/csv, 25 bytes)]")
