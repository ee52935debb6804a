"""Fixtures for the trader API tests: a logged-in trader-app user and helpers to build history."""

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
def trader(db):
    return factories.make_trader()


@pytest.fixture
def api_user(db, trader):
    return factories.make_trader_user(traders=[trader])


@pytest.fixture
def auth_headers(service_client, api_user):
    response = service_client.post("/api/login", json={"username": api_user.email, "password": PASSWORD})
    return {"Authorization": "Bearer " + response.get_json()["access_token"]}


def add_history(db, voucher, transition, from_state, to_state, at, state_token=None, user_id=None):
    """Add one history row and move the voucher to ``to_state`` at time ``at``."""
    db.session.add(
        VoucherState(
            transition=transition,
            from_state=from_state,
            to_state=to_state,
            voucher_id=voucher.id,
            user_id=user_id,
            user_type="User" if user_id else "",
            source="",
            state_token_id=state_token.id if state_token else None,
            created_at=at,
            updated_at=at,
        )
    )
    voucher.currentstate = to_state
    voucher.updated_at = at
    db.session.flush()


def make_delivered_voucher(db, sponsor, code=None, **fields):
    """Add a dispatched voucher that reached a centre in a delivery."""
    from arc import clock
    from arc.vouchers.models import Delivery

    centre = factories.make_centre(sponsor=sponsor)
    delivery = Delivery(centre_id=centre.id, range="test range", dispatched_at=clock.now())
    db.session.add(delivery)
    db.session.flush()
    return factories.make_voucher(code=code, sponsor=sponsor, currentstate="dispatched", delivery_id=delivery.id, **fields)


@pytest.fixture
def server_database(app):
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "sqlite":
        pytest.skip("SQLite allows one writer at a time; parallel submissions need MariaDB or MySQL.")
    return app


@pytest.fixture
def committed(app):
    """Two traders, each with a logged-in user, and five delivered vouchers, all committed."""
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


