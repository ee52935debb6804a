"""Fixtures for the trader API tests: a logged-in trader-app user and helpers to build history."""

import pytest

from arc.vouchers.models import VoucherState
from tests import factories
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
