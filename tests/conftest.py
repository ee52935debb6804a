"""Shared fixtures: the application on a real database, a rolled-back session per test, host clients.

Set ``ARC_TEST_DATABASE_URL`` to run the suite on MariaDB or MySQL (the database is emptied first);
without it the suite runs on a temporary SQLite file. ``ARC_TEST_REDIS_URL`` enables the queue tests.
"""

import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session

from arc import create_app
from arc.extensions import db as _db
from arc.extensions import limiter
from tests import factories

SERVICE_HOST = "admin.localhost"
STORE_HOST = "store.localhost"
MARKET_HOST = "market.localhost"


def _empty_database(url):
    """Drop every table of a server database so that the migrations start from nothing."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name in ("mysql", "mariadb"):
            connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
        for table in sa.inspect(connection).get_table_names():
            connection.exec_driver_sql(f"DROP TABLE `{table}`" if engine.dialect.name != "sqlite" else f'DROP TABLE "{table}"')
        if engine.dialect.name in ("mysql", "mariadb"):
            connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("ARC_TEST_DATABASE_URL")
    if url:
        _empty_database(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "arc-test.sqlite")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "APP_ENV": "testing",
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "ARC_SERVICE_DOMAIN": SERVICE_HOST,
            "ARC_STORE_DOMAIN": STORE_HOST,
            "ARC_MARKET_DOMAIN": MARKET_HOST,
            "WTF_CSRF_ENABLED": False,
            # Jobs run inline; the queue tests point REDIS_URL at ARC_TEST_REDIS_URL themselves.
            "REDIS_URL": None,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        upgrade()
    return app


class ConnectionBoundSession(Session):
    """A Flask-SQLAlchemy session that uses the test's connection instead of choosing an engine."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    """Start every test with no request counted: ids repeat across rolled-back tests."""
    yield
    limiter.reset()


@pytest.fixture
def db(app):
    """The database session, inside a transaction rolled back after the test.

    Code under test may commit: each commit only releases a savepoint inside the outer transaction.
    """
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original_session = _db.session
        _db.session = _db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": ConnectionBoundSession}
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original_session
            outer.rollback()
            connection.close()


class HostClient(FlaskClient):
    """A test client whose requests go to one host unless a ``base_url`` is given."""

    host = None

    def open(self, *args, **kwargs):
        if self.host and (not args or isinstance(args[0], str)):
            kwargs.setdefault("base_url", f"http://{self.host}")
        # A fresh application context per request, as in production: otherwise the request would reuse
        # the test's context, sharing `g` (and so the logged-in user) and the test's session.
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _client_for(app, host):
    app.test_client_class = HostClient
    client = app.test_client()
    client.host = host
    return client


@pytest.fixture
def csrf_enabled(app):
    """Check form tokens, as outside the tests, for the duration of one test."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def service_client(app, db):
    return _client_for(app, SERVICE_HOST)


@pytest.fixture
def store_client(app, db):
    return _client_for(app, STORE_HOST)


@pytest.fixture
def market_client(app, db):
    return _client_for(app, MARKET_HOST)


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def admin_user(db):
    return factories.make_admin_user()


@pytest.fixture
def centre_user(db):
    return factories.make_centre_user()


@pytest.fixture
def trader_user(db):
    """A trader-app user linked to one enabled trader."""
    trader = factories.make_trader()
    return factories.make_trader_user(traders=[trader])


@pytest.fixture
def logged_in_admin(service_client, admin_user):
    response = service_client.post("/login", data={"email": admin_user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return service_client


@pytest.fixture
def logged_in_centre_user(store_client, centre_user):
    response = store_client.post("/login", data={"email": centre_user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return store_client


@pytest.fixture
def api_token(service_client, trader_user):
    response = service_client.post("/api/login", json={"username": trader_user.email, "password": factories.PASSWORD})
    assert response.status_code == 200
    return response.get_json()["access_token"]
