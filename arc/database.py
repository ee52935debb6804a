"""Engine settings that make SQLite behave like the production database where it matters."""

import functools
import logging
import random
import time

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from arc.extensions import db

logger = logging.getLogger(__name__)


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


def locking(query, read=False):
    """Return ``query`` as a locking read that also refreshes the objects it loads.

    A locking read returns the rows as last committed, even under REPEATABLE READ where a plain
    read keeps the transaction's older snapshot. ``read`` takes a shared lock in place of an
    exclusive one.
    """
    return query.with_for_update(read=read).execution_options(populate_existing=True)


# MySQL's and MariaDB's error code for a transaction chosen as the victim of a deadlock.
DEADLOCK_ERROR = 1213
DEADLOCK_ATTEMPTS = 5
# Seconds to wait before attempt n+1, times n: a random share, so that requests that collided once
# do not collide again.
DEADLOCK_PAUSE = (0.05, 0.2)


def is_deadlock(error):
    return isinstance(error, OperationalError) and bool(error.orig.args) and error.orig.args[0] == DEADLOCK_ERROR


def retry_on_deadlock(view):
    """Run a view again, in a new transaction, when the database ends its transaction as a deadlock victim.

    InnoDB locks the gaps between index entries in locking reads, so two requests for neighbouring
    rows (two new families opening their voucher managers) can each wait on the other's insert.
    The database then rolls one back; running it again after a short random pause succeeds once the
    other has committed. The views this wraps flash and redirect only after their writes, so a
    failed attempt left nothing behind.
    """

    @functools.wraps(view)
    def run(*args, **kwargs):
        for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
            try:
                return view(*args, **kwargs)
            except OperationalError as error:
                if not is_deadlock(error) or attempt == DEADLOCK_ATTEMPTS:
                    raise
                db.session.rollback()
                logger.warning("deadlock on attempt %d of %s; running it again", attempt, view.__name__)
                time.sleep(random.uniform(*DEADLOCK_PAUSE) * attempt)

    return run
