"""The service's clock: naive local times in the configured time zone, as the database stores them."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Europe/London"


def timezone():
    name = current_app.config["APP_TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return ZoneInfo(name)


def now():
    """Return the current local time without time zone, to the second, as MySQL TIMESTAMP holds it."""
    return datetime.now(timezone()).replace(tzinfo=None, microsecond=0)


def today():
    return now().date()
