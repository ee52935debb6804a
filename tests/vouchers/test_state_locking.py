"""Transitions racing with other transactions, on MySQL or MariaDB only (SQLite has no row locks).

These tests commit real rows, because another connection cannot see the rolled-back test
transaction, and delete them afterwards.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from arc.extensions import db as _db
from arc.markets.models import Trader
from arc.sponsors.models import Sponsor
from arc.vouchers.models import Voucher, VoucherState
from arc.vouchers.states import Actor, TransitionNotAllowed, apply, apply_to_many

LOCK_WAIT_SECONDS = 10


class CommittedData:
    """A sponsor and trader committed for one test; ``add_vouchers`` commits vouchers for them."""

    def __init__(self, engine, shortcode):
        self.engine = engine
        self.shortcode = shortcode
        with engine.begin() as connection:
            sponsors = Sponsor.__table__
            self.sponsor_id = connection.execute(
                sa.insert(sponsors).values(name="Locking test", shortcode=shortcode, can_tap=True)
            ).inserted_primary_key[0]
            self.trader_id = connection.execute(
                sa.insert(Trader.__table__).values(name="Locking test trader")
            ).inserted_primary_key[0]
            self.other_trader_id = connection.execute(
                sa.insert(Trader.__table__).values(name="Other locking test trader")
            ).inserted_primary_key[0]

    def add_vouchers(self, states):
        rows = [
            {"code": f"{self.shortcode}{number:05d}", "currentstate": state, "sponsor_id": self.sponsor_id}
            for number, state in enumerate(states, start=1)
        ]
        with self.engine.begin() as connection:
            connection.execute(sa.insert(Voucher.__table__), rows)
            query = sa.select(Voucher.id).where(Voucher.sponsor_id == self.sponsor_id).order_by(Voucher.id)
            return list(connection.execute(query).scalars())

    def stored_states(self):
        with self.engine.connect() as connection:
            query = sa.select(Voucher.id, Voucher.currentstate).where(Voucher.sponsor_id == self.sponsor_id)
            return dict(connection.execute(query).all())

    def history(self):
        """Return ``(voucher_id, transition, from, to)`` of every history row, in id order."""
        with self.engine.connect() as connection:
            query = (
                sa.select(VoucherState.voucher_id, VoucherState.transition, VoucherState.from_state, VoucherState.to_state)
                .join(Voucher, Voucher.id == VoucherState.voucher_id)
                .where(Voucher.sponsor_id == self.sponsor_id)
                .order_by(VoucherState.id)
            )
            return [tuple(row) for row in connection.execute(query)]

    def delete(self):
        vouchers = sa.select(Voucher.id).where(Voucher.sponsor_id == self.sponsor_id).scalar_subquery()
        with self.engine.begin() as connection:
            connection.execute(sa.delete(VoucherState.__table__).where(VoucherState.voucher_id.in_(vouchers)))
            connection.execute(sa.delete(Voucher.__table__).where(Voucher.sponsor_id == self.sponsor_id))
            connection.execute(sa.delete(Sponsor.__table__).where(Sponsor.id == self.sponsor_id))
            connection.execute(sa.delete(Trader.__table__).where(Trader.id.in_([self.trader_id, self.other_trader_id])))


@pytest.fixture
def committed(app):
    with app.app_context():
        if _db.engine.dialect.name not in ("mysql", "mariadb"):
            pytest.skip("row locks need MySQL or MariaDB")
        data = CommittedData(_db.engine, "LOCKT")
        try:
            yield data
        finally:
            _db.session.remove()
            data.delete()


def prepare_session():
    """Return the connection id of the current session, with a short lock wait timeout."""
    _db.session.execute(sa.text(f"SET SESSION innodb_lock_wait_timeout = {LOCK_WAIT_SECONDS}"))
    return _db.session.execute(sa.text("SELECT CONNECTION_ID()")).scalar_one()


def wait_until_blocked(connection, blocked_connection_id):
    """Return True once the given connection waits for a row lock, False after the timeout."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    query = sa.text(
        "SELECT COUNT(*) FROM information_schema.innodb_trx "
        "WHERE trx_mysql_thread_id = :id AND trx_state = 'LOCK WAIT'"
    )
    while time.monotonic() < deadline:
        if connection.execute(query, {"id": blocked_connection_id}).scalar_one():
            return True
        # InnoDB refreshes this table only after 0.1 s without reads, so faster polling never sees a change.
        time.sleep(0.25)
    return False


def run_blocking_update(engine, statement, blocked_connection_id, locked, report):
    """Hold the row locks of ``statement`` until the given connection waits for them, then commit."""
    try:
        with engine.connect() as connection, connection.begin():
            connection.execute(sa.text(statement))
            locked.set()
            report["waited"] = wait_until_blocked(connection, blocked_connection_id)
    except Exception as error:  # reported to the test thread, which fails on it
        report["error"] = error
        locked.set()


def race_batch_against_update(committed, statement, transition, ids):
    """Run ``apply_to_many`` while another transaction holds ``statement``'s locks; return its count."""
    connection_id = prepare_session()
    locked, report = threading.Event(), {}
    other = threading.Thread(
        target=run_blocking_update, args=(committed.engine, statement, connection_id, locked, report)
    )
    other.start()
    assert locked.wait(LOCK_WAIT_SECONDS)

    changed = apply_to_many(transition, ids, Actor.nobody())
    _db.session.commit()
    other.join(LOCK_WAIT_SECONDS)

    assert "error" not in report, report.get("error")
    assert report["waited"] is True
    return changed


def test_batch_skips_voucher_moved_while_waiting(committed):
    ids = committed.add_vouchers(["printed"] * 4)
    moved = ids[1]

    changed = race_batch_against_update(
        committed, f"UPDATE vouchers SET currentstate = 'recorded' WHERE id = {moved}", "dispatch", ids
    )

    assert changed == 3
    assert committed.stored_states() == {ids[0]: "dispatched", moved: "recorded", ids[2]: "dispatched", ids[3]: "dispatched"}
    assert committed.history() == [(voucher_id, "dispatch", "printed", "dispatched") for voucher_id in ids if voucher_id != moved]


def test_batch_includes_voucher_moved_into_from_state(committed):
    ids = committed.add_vouchers(["printed", "recorded", "printed"])
    returned = ids[1]

    changed = race_batch_against_update(
        committed, f"UPDATE vouchers SET currentstate = 'printed' WHERE id = {returned}", "dispatch", ids
    )

    assert changed == 3
    assert set(committed.stored_states().values()) == {"dispatched"}
    assert committed.history() == [(voucher_id, "dispatch", "printed", "dispatched") for voucher_id in ids]


def collect_in_other_transaction(app, voucher_id, trader_id, started, report):
    """Try to collect a voucher for ``trader_id`` in a separate session, then roll back."""
    with app.app_context():
        try:
            report["connection_id"] = prepare_session()
            voucher = _db.session.get(Voucher, voucher_id)
            voucher.trader_id = trader_id
            started.set()
            apply(voucher, "collect", Actor.nobody())
            report["result"] = "collected"
            _db.session.commit()
        except TransitionNotAllowed:
            report["result"] = "refused"
            report["seen"] = (voucher.currentstate, voucher.trader_id)
        except Exception as error:  # reported to the test thread, which fails on it
            report["error"] = error
        finally:
            started.set()
            _db.session.remove()


def test_single_apply_collects_once_under_race(app, committed):
    [voucher_id] = committed.add_vouchers(["dispatched"])
    prepare_session()
    voucher = _db.session.get(Voucher, voucher_id)
    voucher.trader_id = committed.trader_id
    apply(voucher, "collect", Actor.nobody())

    started, report = threading.Event(), {}
    other = threading.Thread(
        target=collect_in_other_transaction, args=(app, voucher_id, committed.other_trader_id, started, report)
    )
    other.start()
    assert started.wait(LOCK_WAIT_SECONDS)
    blocked = wait_until_blocked(_db.session.connection(), report.get("connection_id"))
    _db.session.commit()
    other.join(LOCK_WAIT_SECONDS)

    assert "error" not in report, report.get("error")
    assert blocked is True
    assert report["result"] == "refused"
    assert report["seen"] == ("recorded", committed.trader_id)
    assert committed.history() == [(voucher_id, "collect", "dispatched", "recorded")]
