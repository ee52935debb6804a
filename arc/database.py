"""Engine settings that make SQLite behave like the production database where it matters."""

from sqlalchemy import event


def configure_sqlite(engine):
    """Enforce foreign keys and let SQLAlchemy manage transactions and savepoints on SQLite.

    Python's sqlite3 module otherwise opens and commits transactions by itself, which breaks
    SAVEPOINT and makes a failed request's writes partly visible.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")
