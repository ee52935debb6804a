"""Alembic environment for the ARC Voucher Service.

Migrations run through Flask-Migrate (``flask --app wsgi db ...``), so the database engine and the
table metadata come from the Flask application that started the command. A caller that runs Alembic
commands itself may put a connection in ``config.attributes["connection"]`` to migrate another
database with the same metadata; the migration tests do this.
"""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
logger = logging.getLogger("alembic.env")

# The application sets up logging when it is created; the ini file applies only when nothing has,
# and it leaves the application's loggers enabled.
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

migrate_state = current_app.extensions["migrate"]
engine = migrate_state.db.engine
target_metadata = migrate_state.db.metadata


def skip_empty_revision(migration_context, revision, directives):
    """Write no revision file when autogenerate finds no difference between models and database."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No schema changes found, so no revision was written.")


def context_options(dialect_name):
    """Return the options for ``context.configure``: Flask-Migrate's, with this project's rules on top."""
    options = dict(migrate_state.configure_args)
    options["compare_type"] = True
    # SQLite changes a table only by rebuilding it, so generated scripts use batch operations there.
    options["render_as_batch"] = dialect_name == "sqlite"
    options.setdefault("process_revision_directives", skip_empty_revision)
    return options


def sqlite_pragma(connection, statement):
    # SQLite ignores the foreign_keys pragma inside a transaction, so these statements go straight to
    # the driver connection, which the application's engine keeps in autocommit mode between
    # transactions.
    cursor = connection.connection.driver_connection.cursor()
    try:
        return cursor.execute(statement).fetchone()
    finally:
        cursor.close()


@contextmanager
def foreign_keys_off_on_sqlite(connection):
    """Turn SQLite's foreign-key enforcement off while migrating, then restore it.

    The application's engine enforces foreign keys on every SQLite connection. A batch operation
    rebuilds a table by copying it and dropping the original, and with enforcement on, the copy
    rejects rows that break the new table's keys and the drop deletes or rejects rows of the tables
    that refer to it.
    """
    if connection.dialect.name != "sqlite":
        yield
        return

    (enforced,) = sqlite_pragma(connection, "PRAGMA foreign_keys")
    sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
    if sqlite_pragma(connection, "PRAGMA foreign_keys") != (0,):
        raise RuntimeError(
            "Cannot turn off SQLite foreign-key enforcement because the connection is inside a "
            "transaction. Pass a connection with no open transaction."
        )
    try:
        yield
    except BaseException:
        if connection.in_transaction():
            connection.rollback()
        raise
    else:
        if connection.in_transaction():
            connection.commit()
    finally:
        # The connection goes back to the pool, where the next user expects the engine's setting.
        sqlite_pragma(connection, f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")


def run_migrations_offline():
    """Write the migration SQL to standard output (``flask --app wsgi db upgrade --sql``)."""
    context.configure(
        url=engine.url,
        target_metadata=target_metadata,
        literal_binds=True,
        **context_options(engine.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_on(connection):
    with foreign_keys_off_on_sqlite(connection):
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            **context_options(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_online():
    """Run the migrations on the caller's connection, or else on one from the application's engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations_on(connection)
        return

    with engine.connect() as connection:
        run_migrations_on(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
