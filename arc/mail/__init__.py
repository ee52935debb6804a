"""Outgoing e-mail: messages composed from templates, sent through SMTP or written to the log.

Send e-mails from background jobs, never inside a request: ``send`` may wait up to
``SMTP_TIMEOUT_SECONDS`` for the mail server, and raises ``MailDeliveryError`` when it fails.
"""

from flask import current_app

from arc.mail.delivery import SMTP_TIMEOUT_SECONDS, MailDeliveryError, send, warn_if_mail_unconfigured
from arc.mail.messages import Attachment, attachments_of, compose, html_body, text_body

__all__ = [
    "SMTP_TIMEOUT_SECONDS",
    "Attachment",
    "MailDeliveryError",
    "attachments_of",
    "compose",
    "html_body",
    "send",
    "site_url",
    "text_body",
    "warn_if_mail_unconfigured",
]

# Environments served over HTTPS; development and test servers use plain HTTP.
HTTPS_ENVIRONMENTS = ("production", "staging")


def site_url(domain, path=""):
    """Return an absolute URL on ``domain`` (a host name, with a port in development) for an e-mail link."""
    scheme = "https" if current_app.config["APP_ENV"] in HTTPS_ENVIRONMENTS else "http"
    return f"{scheme}://{domain}{path}"
