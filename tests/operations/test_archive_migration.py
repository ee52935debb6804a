"""The archive revision: it adopts the previous service's archive tables, and its downgrade keeps archived rows.

The tests migrate a database of their own (a second SQLite file, or a MariaDB database named after
the test database with ``_archive_migrations`` added), so the session database stays at head.
"""

import os

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from arc.database import configure_sqlite

ARCHIVE_REVISION = "0005_voucher_archive"


@pytest.fixture(scope="module")
def archive_engine(tmp_path_factory):
    server_url = os.environ.get("ARC_TEST_DATABASE_URL")
    if not server_url:
        engine = sa.create_engine("sqlite:///" + str(tmp_path_factory.mktemp("archive") / "archive.sqlite"))
        configure_sqlite(engine)
        yield engine
        engine.dispose()
        return

    url = sa.engine.make_url(server_url)
    name = f"{url.database}_archive_migrations"
    server = sa.create_engine(url.set(database=None))
    with server.begin() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        connection.exec_driver_sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    engine = sa.create_engine(url.set(database=name))
    yield engine
    engine.dispose()
    with server.begin() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
    server.dispose()


@pytest.fixture
def migrate(app, archive_engine):
    """Empty the module's database, and return a function that runs an Alembic command on it."""
    existing = sa.MetaData()
    existing.reflect(archive_engine)
    existing.drop_all(archive_engine)

    def run(command_name, revision):
        with app.app_context(), archive_engine.connect() as connection:
            config = app.extensions["migrate"].migrate.get_config()
            config.attributes["connection"] = connection
            getattr(command, command_name)(config, revision)

    return run


@pytest.fixture
def previous_revision(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision(ARCHIVE_REVISION).down_revision


def current_revision(engine):
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def insert_voucher_with_history(connection):
    """Insert an area, a reimbursed voucher and two history rows with plain SQL; return the voucher id."""
    connection.execute(sa.text("INSERT INTO sponsors (name, shortcode) VALUES ('Real Virtual Project', 'RVNT')"))
    sponsor_id = connection.execute(sa.text("SELECT id FROM sponsors WHERE shortcode = 'RVNT'")).scalar_one()
    connection.execute(
        sa.text(
            "INSERT INTO vouchers (code, currentstate, sponsor_id, created_at, updated_at) "
            "VALUES ('RVNT0001', 'reimbursed', :sponsor, '2022-01-02 03:04:05', '2023-01-02 03:04:05')"
        ),
        {"sponsor": sponsor_id},
    )
    voucher_id = connection.execute(sa.text("SELECT id FROM vouchers WHERE code = 'RVNT0001'")).scalar_one()
    history = sa.table(
        "voucher_states",
        *(sa.column(name) for name in ("transition", "from", "to", "voucher_id", "source", "created_at")),
    )
    for transition, to_state in (("confirm", "payment_pending"), ("payout", "reimbursed")):
        connection.execute(
            sa.insert(history).values(
                {"transition": transition, "from": "recorded", "to": to_state, "voucher_id": voucher_id,
                 "source": "", "created_at": "2023-01-02 03:04:05"}
            )
        )
    return voucher_id


def make_previous_archive(engine):
    """Build the previous service's archive: key-less copies of the voucher and history tables, and its id table."""
    with engine.begin() as connection:
        voucher_id = insert_voucher_with_history(connection)
        connection.execute(sa.text("CREATE TABLE archive_voucher_ids (voucher_id BIGINT PRIMARY KEY)"))
        connection.execute(sa.text("INSERT INTO archive_voucher_ids (voucher_id) SELECT id FROM vouchers"))
        connection.execute(sa.text("CREATE TABLE archived_vouchers AS SELECT * FROM vouchers"))
        connection.execute(sa.text("CREATE TABLE archived_voucher_states AS SELECT * FROM voucher_states"))
        connection.execute(sa.text("DELETE FROM voucher_states"))
        connection.execute(sa.text("DELETE FROM vouchers"))
    return voucher_id


def test_upgrade_keeps_previous_archive_rows(migrate, archive_engine, previous_revision):
    migrate("upgrade", previous_revision)
    voucher_id = make_previous_archive(archive_engine)

    migrate("upgrade", "head")

    with archive_engine.connect() as connection:
        voucher = connection.execute(
            sa.text("SELECT id, code, currentstate, created_at, updated_at, archived_at FROM archived_vouchers")
        ).one()
        transitions = connection.execute(
            sa.text("SELECT transition, voucher_id FROM archived_voucher_states ORDER BY id")
        ).all()
    assert (voucher.id, voucher.code, voucher.currentstate) == (voucher_id, "RVNT0001", "reimbursed")
    assert str(voucher.updated_at).startswith("2023-01-02 03:04:05")
    assert voucher.archived_at is None
    assert [tuple(row) for row in transitions] == [("confirm", voucher_id), ("payout", voucher_id)]


def test_upgrade_replaces_previous_tables(migrate, archive_engine, previous_revision):
    migrate("upgrade", previous_revision)
    make_previous_archive(archive_engine)

    migrate("upgrade", "head")

    inspector = sa.inspect(archive_engine)
    tables = set(inspector.get_table_names())
    assert "archive_voucher_ids" not in tables
    assert not any(table.endswith("_previous_service") for table in tables)
    assert inspector.get_pk_constraint("archived_vouchers")["constrained_columns"] == ["id"]
    assert inspector.get_pk_constraint("archived_voucher_states")["constrained_columns"] == ["id"]


def test_downgrade_stops_while_archive_holds_rows(migrate, archive_engine, previous_revision):
    migrate("upgrade", ARCHIVE_REVISION)
    with archive_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO archived_vouchers (id, code, currentstate, sponsor_id) "
                "VALUES (5, 'RVNT0005', 'expired', 1)"
            )
        )

    with pytest.raises(RuntimeError, match="archived_vouchers holds 1 rows"):
        migrate("downgrade", previous_revision)

    assert current_revision(archive_engine) == ARCHIVE_REVISION
    assert "archived_vouchers" in sa.inspect(archive_engine).get_table_names()


def test_downgrade_drops_empty_archive(migrate, archive_engine, previous_revision):
    migrate("upgrade", ARCHIVE_REVISION)

    migrate("downgrade", previous_revision)

    tables = set(sa.inspect(archive_engine).get_table_names())
    assert current_revision(archive_engine) == previous_revision
    assert {"archived_vouchers", "archived_voucher_states"}.isdisjoint(tables)
