"""Migrations: the models agree with the migrated schema, revisions go down and up, 0002 checks codes first.

Tests that migrate up and down use a database of their own (a second SQLite file, or a second MariaDB
database named after the test database), so the session database stays at head.
"""

import os

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from arc.database import configure_sqlite
from arc.extensions import db as _db

BASELINE = "0001_baseline"


def compare_server_defaults(context, inspected_column, metadata_column, inspected, metadata, rendered):
    """Treat an empty-string default as equal to itself.

    Alembic 1.20 reads back ``''`` as ``''`` (MariaDB) or ``('')`` (SQLite) and reports it as
    different from the model's empty string. Every other default uses Alembic's own comparison.
    """
    if rendered == "" and inspected in ("''", "('')"):
        return False
    return None


def schema_differences(connection):
    migration_context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "compare_server_default": compare_server_defaults},
    )
    return compare_metadata(migration_context, _db.metadata)


@pytest.fixture(scope="module")
def migration_engine(tmp_path_factory):
    """An engine on an empty database used only by this module, set up like the application's."""
    server_url = os.environ.get("ARC_TEST_DATABASE_URL")
    if not server_url:
        engine = sa.create_engine("sqlite:///" + str(tmp_path_factory.mktemp("migrations") / "migrations.sqlite"))
        configure_sqlite(engine)
        yield engine
        engine.dispose()
        return

    url = sa.engine.make_url(server_url)
    name = f"{url.database}_migrations"
    server = sa.create_engine(url.set(database=None))
    with server.begin() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
        connection.exec_driver_sql(
            f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    engine = sa.create_engine(url.set(database=name))
    yield engine
    engine.dispose()
    with server.begin() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS `{name}`")
    server.dispose()


@pytest.fixture
def migrate(app, migration_engine):
    """Empty the module's database, and return a function that runs an Alembic command on it."""
    existing = sa.MetaData()
    existing.reflect(migration_engine)
    existing.drop_all(migration_engine)

    def run(command_name, revision):
        with app.app_context(), migration_engine.connect() as connection:
            config = app.extensions["migrate"].migrate.get_config()
            config.attributes["connection"] = connection
            getattr(command, command_name)(config, revision)

    return run


def current_revision(engine):
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def index_names(engine, table):
    return {index["name"] for index in sa.inspect(engine).get_indexes(table)}


def unique_names(engine, table):
    inspector = sa.inspect(engine)
    names = {constraint["name"] for constraint in inspector.get_unique_constraints(table)}
    return names | {index["name"] for index in inspector.get_indexes(table) if index["unique"]}


def foreign_key_names(engine, table):
    return {key["name"] for key in sa.inspect(engine).get_foreign_keys(table)}


def insert_vouchers(engine, codes):
    """Insert a sponsor and one printed voucher per code, with plain SQL that works at any revision."""
    sponsors = sa.table("sponsors", sa.column("id"), sa.column("name"), sa.column("shortcode"))
    vouchers = sa.table(
        "vouchers", sa.column("id"), sa.column("code"), sa.column("currentstate"), sa.column("sponsor_id")
    )
    with engine.begin() as connection:
        sponsor_id = connection.execute(
            sa.insert(sponsors).values(name="Real Virtual Project", shortcode="RVNT").returning(sponsors.c.id)
        ).scalar_one()
        connection.execute(
            sa.insert(vouchers),
            [{"code": code, "currentstate": "printed", "sponsor_id": sponsor_id} for code in codes],
        )
        return sponsor_id


def insert_history_row(engine, user_id, user_type):
    """Insert a voucher and one history row naming ``user_id`` as the actor."""
    insert_vouchers(engine, ["RVNT0100"])
    vouchers = sa.table("vouchers", sa.column("id"), sa.column("code"))
    voucher_states = sa.table(
        "voucher_states",
        sa.column("transition"),
        sa.column("from"),
        sa.column("to"),
        sa.column("user_id"),
        sa.column("user_type"),
        sa.column("voucher_id"),
        sa.column("source"),
    )
    with engine.begin() as connection:
        voucher_id = connection.execute(sa.select(vouchers.c.id).where(vouchers.c.code == "RVNT0100")).scalar_one()
        connection.execute(
            sa.insert(voucher_states).values(
                transition="dispatch",
                to="dispatched",
                user_id=user_id,
                user_type=user_type,
                voucher_id=voucher_id,
                source="",
            )
        )


def test_models_match_session_database(app):
    with app.app_context(), _db.engine.connect() as connection:
        assert schema_differences(connection) == []


def test_session_database_is_at_head(app):
    with app.app_context():
        assert current_revision(_db.engine) == head_revision(app)


def test_upgrade_from_empty_matches_models(migrate, migration_engine):
    migrate("upgrade", "head")

    with migration_engine.connect() as connection:
        assert schema_differences(connection) == []


def test_downgrade_to_base_and_upgrade_again(app, migrate, migration_engine):
    migrate("upgrade", "head")
    migrate("downgrade", "base")

    assert sa.inspect(migration_engine).get_table_names() == ["alembic_version"]
    assert current_revision(migration_engine) is None

    migrate("upgrade", "head")

    assert current_revision(migration_engine) == head_revision(app)
    with migration_engine.connect() as connection:
        assert schema_differences(connection) == []


def test_downgrade_of_0002_restores_baseline_keys(migrate, migration_engine):
    migrate("upgrade", "head")
    migrate("downgrade", BASELINE)

    assert current_revision(migration_engine) == BASELINE
    assert "vouchers_code_index" in index_names(migration_engine, "vouchers")
    assert "vouchers_code_unique" not in unique_names(migration_engine, "vouchers")
    assert "voucher_states_user_id_foreign" in foreign_key_names(migration_engine, "voucher_states")
    assert "voucher_states_user_id_index" not in index_names(migration_engine, "voucher_states")


def test_0002_rejects_duplicate_codes(migrate, migration_engine):
    migrate("upgrade", BASELINE)
    insert_vouchers(migration_engine, ["RVNT0001", "rvnt0001", "RVNT 0002", "RVNT0002", "rvnt0002\t", "RVNT0003"])

    with pytest.raises(RuntimeError) as raised:
        migrate("upgrade", "head")

    message = str(raised.value)
    assert "RVNT0001: 2 vouchers" in message
    assert "RVNT0002: 3 vouchers" in message
    assert "RVNT0003" not in message
    assert "Resolve these duplicates" in message


def test_0002_leaves_database_unchanged_on_duplicates(migrate, migration_engine):
    migrate("upgrade", BASELINE)
    insert_vouchers(migration_engine, ["RVNT0001", "rvnt0001"])

    with pytest.raises(RuntimeError):
        migrate("upgrade", "head")

    assert current_revision(migration_engine) == BASELINE
    assert "vouchers_code_index" in index_names(migration_engine, "vouchers")
    assert "vouchers_code_unique" not in unique_names(migration_engine, "vouchers")
    assert "voucher_states_user_id_foreign" in foreign_key_names(migration_engine, "voucher_states")


def test_0002_upgrades_once_duplicates_resolved(app, migrate, migration_engine):
    migrate("upgrade", BASELINE)
    insert_vouchers(migration_engine, ["RVNT0001", "rvnt0001", "RVNT0002"])
    with pytest.raises(RuntimeError):
        migrate("upgrade", "head")

    # Re-code the later copy by id: MariaDB's collation would match both copies by code.
    with migration_engine.begin() as connection:
        later_copy = connection.execute(sa.text("SELECT MAX(id) FROM vouchers WHERE code = 'rvnt0001'")).scalar_one()
        connection.execute(sa.text("UPDATE vouchers SET code = 'RVNT0003' WHERE id = :id"), {"id": later_copy})
    migrate("upgrade", "head")

    assert current_revision(migration_engine) == head_revision(app)
    assert "vouchers_code_unique" in unique_names(migration_engine, "vouchers")


def test_unique_code_index_rejects_second_voucher(migrate, migration_engine):
    migrate("upgrade", "head")
    insert_vouchers(migration_engine, ["RVNT0001"])

    with pytest.raises(sa.exc.IntegrityError):
        insert_vouchers(migration_engine, ["RVNT0001"])


def test_baseline_history_rejects_admin_user_id(migrate, migration_engine):
    migrate("upgrade", BASELINE)

    with pytest.raises(sa.exc.IntegrityError):
        insert_history_row(migration_engine, user_id=9999, user_type="AdminUser")


def test_history_accepts_admin_user_id_after_0002(migrate, migration_engine):
    migrate("upgrade", "head")

    insert_history_row(migration_engine, user_id=9999, user_type="AdminUser")

    with migration_engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT user_id, user_type FROM voucher_states")).one()
    assert tuple(stored) == (9999, "AdminUser")


def test_offline_sql_refuses_0002(app, capsys):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        with pytest.raises(RuntimeError, match="without --sql"):
            command.upgrade(config, f"{BASELINE}:head", sql=True)


def test_sqlite_downgrade_keeps_history_of_admin_users(migrate, migration_engine):
    if migration_engine.dialect.name != "sqlite":
        pytest.skip("MySQL checks existing rows when it adds a foreign key")
    migrate("upgrade", "head")
    insert_history_row(migration_engine, user_id=9999, user_type="AdminUser")

    # The batch rebuild copies the row into a table whose user_id refers to users again, which
    # works only because foreign-key enforcement is off while migrating.
    migrate("downgrade", BASELINE)

    with migration_engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT user_id, user_type FROM voucher_states")).one()
    assert tuple(stored) == (9999, "AdminUser")


def test_mysql_downgrade_stops_on_history_of_admin_users(migrate, migration_engine):
    if migration_engine.dialect.name == "sqlite":
        pytest.skip("SQLite does not check existing rows when a table is rebuilt with enforcement off")
    migrate("upgrade", "head")
    insert_history_row(migration_engine, user_id=9999, user_type="AdminUser")

    with pytest.raises(sa.exc.IntegrityError):
        migrate("downgrade", BASELINE)


def test_sqlite_foreign_keys_enforced_after_migrating(migrate, migration_engine):
    if migration_engine.dialect.name != "sqlite":
        pytest.skip("only SQLite switches enforcement off while migrating")
    migrate("upgrade", "head")

    with migration_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
