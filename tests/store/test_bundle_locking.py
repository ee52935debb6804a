"""Two workers putting the same voucher into two bundles at once, on MySQL or MariaDB only.

These tests commit real rows, because another connection cannot see the rolled-back test
transaction, and delete them afterwards.
"""

import threading
import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from arc.centres.models import Centre
from arc.database import retry_on_deadlock
from arc.extensions import db as _db
from arc.registrations import bundles
from arc.registrations.models import Bundle, Carer, Family, Registration
from arc.sponsors.models import Sponsor
from arc.vouchers.models import Voucher
from tests.vouchers.test_state_locking import LOCK_WAIT_SECONDS, prepare_session, wait_until_blocked

WORKER = SimpleNamespace(id=None)


class CommittedBundles:
    """An area with one centre, two registrations each with an empty bundle, and one dispatched voucher."""

    def __init__(self, engine):
        self.engine = engine
        with engine.begin() as connection:
            self.sponsor_id = self._insert(connection, Sponsor, name="Locking area", shortcode="LOCKB", can_tap=True)
            self.centre_id = self._insert(connection, Centre, name="Locking centre", prefix="LOCKB", sponsor_id=self.sponsor_id)
            self.family_ids, self.registration_ids, self.bundle_ids = [], [], []
            for number in (1, 2):
                family_id = self._insert(connection, Family, initial_centre_id=self.centre_id, centre_sequence=number)
                self._insert(connection, Carer, name=f"Carer {number}", family_id=family_id)
                registration_id = self._insert(connection, Registration, family_id=family_id, centre_id=self.centre_id)
                self.family_ids.append(family_id)
                self.registration_ids.append(registration_id)
                self.bundle_ids.append(self._insert(connection, Bundle, registration_id=registration_id, entitlement=4))
            self.voucher_id = self._insert(
                connection, Voucher, code="LOCKB00001", currentstate="dispatched", sponsor_id=self.sponsor_id
            )

    @staticmethod
    def _insert(connection, model, **values):
        return connection.execute(sa.insert(model.__table__).values(**values)).inserted_primary_key[0]

    def voucher_bundle(self):
        with self.engine.connect() as connection:
            return connection.execute(sa.select(Voucher.bundle_id).where(Voucher.id == self.voucher_id)).scalar_one()

    def delete(self):
        with self.engine.begin() as connection:
            connection.execute(sa.delete(Voucher.__table__).where(Voucher.id == self.voucher_id))
            connection.execute(sa.delete(Bundle.__table__).where(Bundle.id.in_(self.bundle_ids)))
            connection.execute(sa.delete(Registration.__table__).where(Registration.id.in_(self.registration_ids)))
            connection.execute(sa.delete(Carer.__table__).where(Carer.family_id.in_(self.family_ids)))
            connection.execute(sa.delete(Family.__table__).where(Family.id.in_(self.family_ids)))
            connection.execute(sa.delete(Centre.__table__).where(Centre.id == self.centre_id))
            connection.execute(sa.delete(Sponsor.__table__).where(Sponsor.id == self.sponsor_id))


@pytest.fixture
def committed(app):
    with app.app_context():
        if _db.engine.dialect.name not in ("mysql", "mariadb"):
            pytest.skip("row locks need MySQL or MariaDB")
        data = CommittedBundles(_db.engine)
        try:
            yield data
        finally:
            _db.session.remove()
            data.delete()


def add_in_other_transaction(app, bundle_id, started, report):
    """Add the voucher to ``bundle_id`` in a separate session and commit, reporting the change."""
    with app.app_context():
        try:
            report["connection_id"] = prepare_session()
            bundle = _db.session.get(Bundle, bundle_id)
            started.set()
            report["change"] = bundles.add_codes(bundle, ["LOCKB00001"], WORKER)
            _db.session.commit()
        except Exception as error:  # reported to the test thread, which fails on it
            report["error"] = error
        finally:
            started.set()
            _db.session.remove()


def test_same_voucher_goes_into_one_bundle_only(app, committed):
    prepare_session()
    first = _db.session.get(Bundle, committed.bundle_ids[0])
    mine = bundles.add_codes(first, ["LOCKB00001"], WORKER)

    started, report = threading.Event(), {}
    other = threading.Thread(target=add_in_other_transaction, args=(app, committed.bundle_ids[1], started, report))
    other.start()
    assert started.wait(LOCK_WAIT_SECONDS)
    blocked = wait_until_blocked(_db.session.connection(), report.get("connection_id"))
    _db.session.commit()
    other.join(LOCK_WAIT_SECONDS)

    assert blocked is True
    assert "error" not in report, report.get("error")
    assert mine.changed == ["LOCKB00001"]
    assert report["change"].changed == []
    assert report["change"].bundled == {"LOCKB00001": committed.registration_ids[0]}
    assert committed.voucher_bundle() == committed.bundle_ids[0]


def test_bundle_cannot_change_while_handed_over(app, committed):
    """A worker adding to a bundle waits for its hand-over to commit, then gets BundleAlreadyCollected."""
    prepare_session()
    first = _db.session.get(Bundle, committed.bundle_ids[0])
    bundles.add_codes(first, ["LOCKB00001"], WORKER)
    _db.session.commit()
    _db.session.execute(sa.select(Bundle.id).where(Bundle.id == first.id).with_for_update())
    first.disbursed_at = sa.func.now()
    _db.session.flush()

    started, report = threading.Event(), {}
    other = threading.Thread(target=add_in_other_transaction, args=(app, committed.bundle_ids[0], started, report))
    other.start()
    assert started.wait(LOCK_WAIT_SECONDS)
    blocked = wait_until_blocked(_db.session.connection(), report.get("connection_id"))
    _db.session.commit()
    other.join(LOCK_WAIT_SECONDS)

    assert blocked is True
    assert isinstance(report.get("error"), bundles.BundleAlreadyCollected)


def hold_bundle_while_other_adds(app, committed, bundle_id):
    """Lock ``bundle_id`` here, then start a worker adding the voucher to it, and wait until it is blocked."""
    prepare_session()
    _db.session.execute(sa.select(Bundle.id).where(Bundle.id == bundle_id).with_for_update())
    started, report = threading.Event(), {}
    other = threading.Thread(target=add_in_other_transaction, args=(app, bundle_id, started, report))
    other.start()
    assert started.wait(LOCK_WAIT_SECONDS)
    assert wait_until_blocked(_db.session.connection(), report.get("connection_id")) is True
    return other, report


def test_voucher_in_newer_bundle_reported(app, committed):
    """The waiting worker's snapshot predates the other family's new bundle, which it cannot read."""
    other, report = hold_bundle_while_other_adds(app, committed, committed.bundle_ids[1])
    newer = Bundle(registration_id=committed.registration_ids[0], entitlement=4)
    _db.session.add(newer)
    _db.session.flush()
    committed.bundle_ids.append(newer.id)
    _db.session.execute(sa.update(Voucher).where(Voucher.id == committed.voucher_id).values(bundle_id=newer.id))
    _db.session.commit()
    other.join(LOCK_WAIT_SECONDS)

    assert "error" not in report, report.get("error")
    assert report["change"].changed == []
    assert report["change"].bundled == {"LOCKB00001": None}
    assert committed.voucher_bundle() == newer.id


def test_leaving_during_wait_stops_adding(app, committed):
    other, report = hold_bundle_while_other_adds(app, committed, committed.bundle_ids[0])
    _db.session.execute(
        sa.update(Family).where(Family.id == committed.family_ids[0]).values(leaving_on=sa.func.now(), leaving_reason="other")
    )
    _db.session.commit()
    other.join(LOCK_WAIT_SECONDS)

    assert isinstance(report.get("error"), bundles.FamilyHasLeft)
    assert committed.voucher_bundle() is None


def test_two_requests_create_one_current_bundle(app, committed):
    """Two workers opening the voucher manager of a family without a current bundle share one."""
    with committed.engine.begin() as connection:
        connection.execute(sa.delete(Bundle.__table__).where(Bundle.id == committed.bundle_ids[0]))
    barrier, errors, found = threading.Barrier(2), [], []

    def open_manager():
        with app.app_context():
            try:
                registration = _db.session.get(Registration, committed.registration_ids[0])
                barrier.wait(LOCK_WAIT_SECONDS)
                found.append(bundles.current_bundle(registration).id)
                # Hold the transaction open, so that the other request waits on it.
                time.sleep(0.2)
                _db.session.commit()
            except Exception as error:  # reported to the test thread, which fails on it
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=open_manager) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(LOCK_WAIT_SECONDS)
    with committed.engine.connect() as connection:
        open_ids = list(connection.execute(
            sa.select(Bundle.id).where(Bundle.registration_id == committed.registration_ids[0], Bundle.disbursed_at.is_(None))
        ).scalars())
    committed.bundle_ids.extend(open_ids)

    assert errors == []
    assert len(open_ids) == 1
    assert found == open_ids * 2


def test_deadlock_between_two_new_bundles_is_run_again(app, committed, monkeypatch):
    """Two families without bundles lock the same index gap; the request the database rolls back runs again."""
    with committed.engine.begin() as connection:
        connection.execute(sa.delete(Bundle.__table__).where(Bundle.id == committed.bundle_ids[1]))
        family_id = committed._insert(connection, Family, initial_centre_id=committed.centre_id, centre_sequence=3)
        committed.family_ids.append(family_id)
        committed.registration_ids.append(
            committed._insert(connection, Registration, family_id=family_id, centre_id=committed.centre_id)
        )
    committed.bundle_ids.remove(committed.bundle_ids[1])
    # The first family keeps its bundle: the other two then share the index gap after it.
    contenders = committed.registration_ids[1:]
    barrier, attempts, errors = threading.Barrier(2), [], []
    find = bundles.find_current_bundle

    def find_then_wait(registration, lock=False):
        found = find(registration, lock=lock)
        attempts.append(registration.id)
        if len(attempts) <= 2:
            # Both requests now hold the gap lock before either inserts.
            barrier.wait(LOCK_WAIT_SECONDS)
        return found

    monkeypatch.setattr(bundles, "find_current_bundle", find_then_wait)

    @retry_on_deadlock
    def open_manager(registration_id):
        bundle = bundles.current_bundle(_db.session.get(Registration, registration_id))
        _db.session.commit()
        return bundle.id

    def run(registration_id):
        with app.app_context():
            try:
                open_manager(registration_id)
            except Exception as error:  # reported to the test thread, which fails on it
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(registration_id,)) for registration_id in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(LOCK_WAIT_SECONDS * 2)
    with committed.engine.connect() as connection:
        rows = connection.execute(
            sa.select(Bundle.id, Bundle.registration_id).where(Bundle.registration_id.in_(contenders))
        ).all()
    committed.bundle_ids.extend(row.id for row in rows)

    assert errors == []
    assert len(attempts) == 3
    assert sorted(row.registration_id for row in rows) == sorted(contenders)
