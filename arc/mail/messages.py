"""Composing e-mails from the templates in ``arc/templates/mail/``."""

import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from flask import current_app, render_template


@dataclass(frozen=True)
class Attachment:
    """A file attached to an e-mail: its name, its content and its MIME type (``type/subtype``)."""

    filename: str
    content: str | bytes
    mimetype: str


def compose(to_address, to_name, subject, template, context, attachments=()):
    """Return an e-mail with a plain-text body and an HTML alternative, from the application's sender.

    ``template`` names a pair of templates under ``mail/``: ``<template>.txt`` for the text part and
    ``<template>.html`` for the HTML part. Both get ``context`` plus ``subject``, ``recipient_name``
    and the support contact (``support_address`` and ``support_name``, None when not configured).
    Needs an application context.
    """
    config = current_app.config
    values = {
        **context,
        "subject": subject,
        "recipient_name": to_name,
        "support_address": config.get("MAIL_TO_DEVELOPER_TEAM"),
        "support_name": config.get("MAIL_TO_DEVELOPER_NAME"),
    }

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = formataddr((config["MAIL_FROM_NAME"], config["MAIL_FROM_ADDRESS"]))
    message["To"] = formataddr((to_name or "", to_address))
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=_sender_domain(config["MAIL_FROM_ADDRESS"]))

    message.set_content(_tidy_text(render_template(f"mail/{template}.txt", **values)))
    message.add_alternative(render_template(f"mail/{template}.html", **values), subtype="html")
    for attachment in attachments:
        _attach(message, attachment)
    return message


def _tidy_text(text):
    """Remove the blank lines that template tags leave: at most one between paragraphs, none at the ends."""
    return re.sub(r"\n\s*\n(\s*\n)+", "\n\n", text).strip() + "\n"


def _sender_domain(address):
    return address.rpartition("@")[2] or None


def _attach(message, attachment):
    maintype, _, subtype = attachment.mimetype.partition("/")
    content = attachment.content
    if isinstance(content, str) and maintype == "text":
        # Text attachments go out as UTF-8, so that names such as "Zoë" survive.
        message.add_attachment(content, subtype=subtype, filename=attachment.filename)
        return
    if isinstance(content, str):
        content = content.encode("utf-8")
    message.add_attachment(content, maintype=maintype, subtype=subtype, filename=attachment.filename)


def text_body(message):
    """Return the plain-text part of an e-mail made by ``compose``."""
    return message.get_body(preferencelist=("plain",)).get_content()


def html_body(message):
    """Return the HTML part of an e-mail made by ``compose``."""
    return message.get_body(preferencelist=("html",)).get_content()


def attachments_of(message):
    """Return the attachments of an e-mail as ``Attachment`` values, text decoded to ``str``."""
    found = []
    for part in message.iter_attachments():
        found.append(Attachment(part.get_filename(), part.get_content(), part.get_content_type()))
    return found
