"""A database holding the demo data, loaded once per test module and rolled back after it."""

from dataclasses import dataclass

import pytest

from arc.extensions import db as _db
from tests.conftest import ConnectionBoundSession


@dataclass
class DemoLoad:
    """The result of the ``demo-data`` command run, and the database it filled."""

    result: object
    db: object


@pytest.fixture(scope="module")
def demo(app):
    """The demo data set, with the large set, loaded through ``flask arc demo-data --large``.

    Loading takes seconds, so the tests of a module share one load: like the ``db`` fixture, it runs
    inside a transaction that is rolled back at the end, and the command's commit only releases a
    savepoint. Tests using this fixture must not use ``db`` as well.
    """
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original_session = _db.session
        _db.session = _db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": ConnectionBoundSession}
        )
        try:
            result = app.test_cli_runner().invoke(args=["arc", "demo-data", "--large"])
            yield DemoLoad(result, _db)
        finally:
            _db.session.remove()
            _db.session = original_session
            outer.rollback()
            connection.close()
