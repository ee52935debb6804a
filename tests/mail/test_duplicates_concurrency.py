"""Two processes claiming the same trader's duplicate reports at once: only one may e-mail them.

Needs MariaDB or MySQL, whose row locks make the second claim wait; SQLite is skipped. The data is
committed for real, so that both connections see it, and deleted afterwards.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from arc.extensions import db
from arc.markets.models import Market, Trader, trader_user
from arc.sponsors.models import Sponsor
from arc.users.models import User
from arc.vouchers import duplicates
from arc.vouchers.duplicates import DuplicateVoucherReport
from tests import factories

HOLD_SECONDS = 0.5


@pytest.fixture
def committed_report(app):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite has no row locks; concurrent claims need MariaDB or MySQL.")
        trader = factories.make_trader()
        user = factories.make_trader_user(traders=[trader])
        duplicates.record_reports(trader.id, user.id, ["FWK0042300"])
        ids = {"trader": trader.id, "market": trader.market_id, "sponsor": trader.market.sponsor_id, "user": user.id}
        db.session.commit()
    yield ids
    with app.app_context():
        db.session.query(DuplicateVoucherReport).filter_by(trader_id=ids["trader"]).delete()
        db.session.execute(sa.delete(trader_user).where(trader_user.c.user_id == ids["user"]))
        db.session.query(User).filter_by(id=ids["user"]).delete()
        db.session.query(Trader).filter_by(id=ids["trader"]).delete()
        db.session.query(Market).filter_by(id=ids["market"]).delete()
        db.session.query(Sponsor).filter_by(id=ids["sponsor"]).delete()
        db.session.commit()


def test_second_claim_waits_and_finds_nothing(app, committed_report):
    trader_id = committed_report["trader"]
    first_claimed = threading.Event()
    results = {}

    def first():
        with app.app_context():
            results["first"] = len(duplicates.claim_due_reports(trader_id))
            first_claimed.set()
            time.sleep(HOLD_SECONDS)
            db.session.commit()

    def second():
        first_claimed.wait(timeout=10)
        with app.app_context():
            started = time.monotonic()
            results["second"] = len(duplicates.claim_due_reports(trader_id))
            results["waited"] = time.monotonic() - started
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results["first"] == 1
    assert results["second"] == 0
    assert results["waited"] >= HOLD_SECONDS / 2
