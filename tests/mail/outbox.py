"""Fixtures that change mail settings for one test: ``outbox`` and ``mail_settings``.

Test modules outside ``tests/mail`` import them from here.
"""

import pytest

_UNSET = object()


@pytest.fixture
def mail_settings(app):
    """Return a function that sets application settings for this test; they are restored afterwards."""
    saved = {}

    def update(**values):
        for name, value in values.items():
            saved.setdefault(name, app.config.get(name, _UNSET))
            app.config[name] = value

    yield update
    for name, value in saved.items():
        if value is _UNSET:
            app.config.pop(name, None)
        else:
            app.config[name] = value


@pytest.fixture
def outbox(mail_settings):
    """Collect every e-mail the code under test sends in a list, instead of sending or logging it."""
    messages = []
    mail_settings(MAIL_OUTBOX=messages)
    return messages
