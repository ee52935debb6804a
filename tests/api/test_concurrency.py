"""Parallel submissions for the same vouchers, on a server database with row locks.

These tests commit for real, from several threads at once, and delete what they made afterwards.
"""

import threading

import pytest
import sqlalchemy as sa

from arc import clock
from arc.extensions import db
from arc.payments.models import StateToken
from arc.vouchers.models import Delivery, Voucher, VoucherState
from tests import factories
from tests.conftest import SERVICE_HOST
from tests.factories import PASSWORD


@pytest.fixture
def server_database(app):
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "sqlite":
        pytest.skip("SQLite allows one writer at a time; parallel submissions need MariaDB or MySQL.")
    return app


@pytest.fixture
def committed(server_database):
    """Two traders, each with a logged-in user, and five delivered vouchers, all committed."""
    app = server_database
    with app.app_context():
        sponsor = factories.make_sponsor()
        centre = factories.make_centre(sponsor=sponsor)
        delivery = Delivery(centre_id=centre.id, range="concurrency", dispatched_at=clock.now())
        db.session.add(delivery)
        db.session.flush()
        market = factories.make_market(sponsor=sponsor)
        traders = [factories.make_trader(market=market) for _ in range(2)]
        users = [factories.make_trader_user(traders=[trader]) for trader in traders]
        vouchers = [
            factories.make_voucher(sponsor=sponsor, currentstate="dispatched", delivery_id=delivery.id)
            for _ in range(5)
        ]
        made = {
            "sponsor": sponsor.id,
            "centre": centre.id,
            "delivery": delivery.id,
            "market": market.id,
            "traders": [trader.id for trader in traders],
            "users": [user.id for user in users],
            "vouchers": [voucher.id for voucher in vouchers],
            "codes": [voucher.code for voucher in vouchers],
            "emails": [user.email for user in users],
        }
        db.session.commit()
    client = app.test_client()
    made["headers"] = [
        {
            "Authorization": "Bearer "
            + client.post(
                "/api/login", json={"username": email, "password": PASSWORD}, base_url=f"http://{SERVICE_HOST}"
            ).get_json()["access_token"]
        }
        for email in made["emails"]
    ]
    yield made
    with app.app_context():
        _delete_made(made)


def _delete_made(made):
    from arc.auth.models import OAuthAccessToken, OAuthRefreshToken
    from arc.centres.models import Centre
    from arc.markets.models import Market, Trader, trader_user
    from arc.sponsors.models import Sponsor
    from arc.users.models import User

    token_ids = [
        row.state_token_id
        for row in db.session.query(VoucherState.state_token_id).filter(VoucherState.voucher_id.in_(made["vouchers"]))
        if row.state_token_id
    ]
    db.session.query(VoucherState).filter(VoucherState.voucher_id.in_(made["vouchers"])).delete()
    db.session.query(StateToken).filter(StateToken.id.in_(token_ids)).delete()
    db.session.query(Voucher).filter(Voucher.id.in_(made["vouchers"])).delete()
    access = db.session.query(OAuthAccessToken.id).filter(OAuthAccessToken.user_id.in_(made["users"]))
    db.session.query(OAuthRefreshToken).filter(OAuthRefreshToken.access_token_id.in_(access)).delete()
    db.session.query(OAuthAccessToken).filter(OAuthAccessToken.user_id.in_(made["users"])).delete()
    db.session.execute(sa.delete(trader_user).where(trader_user.c.user_id.in_(made["users"])))
    db.session.query(User).filter(User.id.in_(made["users"])).delete()
    db.session.query(Trader).filter(Trader.id.in_(made["traders"])).delete()
    db.session.query(Market).filter_by(id=made["market"]).delete()
    db.session.query(Delivery).filter_by(id=made["delivery"]).delete()
    db.session.query(Centre).filter_by(id=made["centre"]).delete()
    db.session.query(Sponsor).filter_by(id=made["sponsor"]).delete()
    db.session.commit()


def run_in_parallel(app, requests):
    """Send each (headers, body) to POST /api/vouchers from its own thread, all at once."""
    barrier = threading.Barrier(len(requests))
    replies = [None] * len(requests)

    def send(index, headers, body):
        client = app.test_client()
        barrier.wait(timeout=10)
        response = client.post("/api/vouchers", json=body, headers=headers, base_url=f"http://{SERVICE_HOST}")
        replies[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return replies


def test_parallel_confirms_make_one_payment_request(server_database, committed):
    app = server_database
    body = {"trader_id": committed["traders"][0], "transition": "collect", "vouchers": committed["codes"]}
    run_in_parallel(app, [(committed["headers"][0], body)])
    confirm = {**body, "transition": "confirm"}

    replies = run_in_parallel(app, [(committed["headers"][0], confirm), (committed["headers"][0], confirm)])

    messages = sorted(str(reply[1]) for reply in replies)
    assert [reply[0] for reply in replies] == [200, 200]
    assert "payment request has been accepted" in messages[1]
    assert "5 duplicate(s)" in messages[0]
    with app.app_context():
        confirm_rows = db.session.query(VoucherState).filter(
            VoucherState.voucher_id.in_(committed["vouchers"]), VoucherState.transition == "confirm"
        )
        assert confirm_rows.count() == 5
        assert len({row.state_token_id for row in confirm_rows}) == 1
        states = {v.currentstate for v in db.session.query(Voucher).filter(Voucher.id.in_(committed["vouchers"]))}
        assert states == {"payment_pending"}


def test_parallel_collects_by_two_traders_record_once(server_database, committed):
    app = server_database
    code = committed["codes"][0]
    requests = [
        (committed["headers"][index], {"trader_id": committed["traders"][index], "transition": "collect", "vouchers": [code]})
        for index in (0, 1)
    ]

    replies = run_in_parallel(app, requests)

    bodies = sorted((str(reply[1]) for reply in replies), reverse=True)
    assert [reply[0] for reply in replies] == [200, 200]
    assert bodies[0] == str({"message": "Voucher is valid"})
    assert "has been used already" in bodies[1]
    with app.app_context():
        voucher = db.session.get(Voucher, committed["vouchers"][0])
        assert voucher.currentstate == "recorded"
        assert voucher.trader_id in committed["traders"]
        collects = db.session.query(VoucherState).filter_by(voucher_id=voucher.id, transition="collect").count()
        assert collects == 1
