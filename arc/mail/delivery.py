"""Sending e-mails through SMTP, or writing them to the log when no mail server is configured.

Where an e-mail goes depends on the settings:

- ``MAIL_OUTBOX`` is a list (tests set it): the message is appended to it and goes nowhere else.
- ``MAIL_SERVER`` is set: the message is sent through that SMTP server, after STARTTLS when
  ``MAIL_USE_TLS`` is on and a login when ``MAIL_USERNAME`` is set.
- No server outside production: the whole message (headers, text body and the names of its
  attachments) is logged at INFO, so that a developer can follow a password-reset link.
- No server in production: one warning per e-mail names its recipient and subject. The body is never
  logged there because it can contain a password-reset token.
"""

import logging
import smtplib
import ssl

from flask import current_app

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30


class MailDeliveryError(RuntimeError):
    """The mail server could not be reached, or it rejected an e-mail."""


def send(message):
    """Deliver an ``EmailMessage`` to the outbox, the SMTP server or the log (see the module docstring).

    Raises MailDeliveryError when the SMTP conversation fails. Needs an application context.
    """
    config = current_app.config
    outbox = config.get("MAIL_OUTBOX")
    if isinstance(outbox, list):
        outbox.append(message)
    elif config.get("MAIL_SERVER"):
        _send_smtp(message, config)
    elif config["APP_ENV"] == "production":
        logger.warning(
            "mail server not configured (MAIL_HOST is empty), so the e-mail %r to %s was not sent",
            message["Subject"],
            message["To"],
        )
    else:
        logger.info("mail server not configured, so the e-mail is logged instead of sent:\n%s", printable(message))


def warn_if_mail_unconfigured(app):
    """Log one warning when the service runs in production without a mail server.

    Returns whether it warned. The factory calls this once at start-up.
    """
    if app.config["APP_ENV"] != "production" or app.config.get("MAIL_SERVER"):
        return False
    logger.warning(
        "mail server not configured: MAIL_HOST is empty, so no e-mail is sent (password resets, payment "
        "requests, payment records). Each unsent e-mail is logged with its recipient and subject only."
    )
    return True


def printable(message):
    """Return the headers, the plain-text body and the attachment names of an e-mail, for the log."""
    lines = [f"{name}: {value}" for name, value in message.items()]
    lines.append("")
    text = message.get_body(preferencelist=("plain",))
    if text is not None:
        lines.append(text.get_content().rstrip("\n"))
    for part in message.iter_attachments():
        size = len(part.get_payload(decode=True) or b"")
        lines.append(f"[attachment {part.get_filename()} ({part.get_content_type()}, {size} bytes)]")
    return "\n".join(lines)


def _send_smtp(message, config):
    host = config["MAIL_SERVER"]
    port = config["MAIL_PORT"]
    try:
        with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as connection:
            if config.get("MAIL_USE_TLS"):
                connection.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            connection.send_message(message)
    # smtplib's errors, timeouts, refused connections and TLS failures are all OSError subclasses.
    except OSError as error:
        logger.error(
            "sending the e-mail %r to %s through %s:%s failed: %s", message["Subject"], message["To"], host, port, error
        )
        raise MailDeliveryError(
            f"Sending the e-mail {message['Subject']!r} through the mail server {host}:{port} failed: {error}"
        ) from error
    logger.info("sent the e-mail %r to %s through %s:%s", message["Subject"], message["To"], host, port)
