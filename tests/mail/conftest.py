"""Fixtures for the mail tests."""

from tests.mail.outbox import mail_settings, outbox  # noqa: F401  (fixtures)
