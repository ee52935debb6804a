"""Commit the trader app's browser-test data to the database that DATABASE_URL names.

Run as ``python -m tests.market.seed`` in the environment of the service under test; prints the
ids and codes it made as JSON. The data goes through the application's own models.
"""

import json
import sys
from datetime import timedelta

from arc import clock
from arc.extensions import db
from arc.payments.models import StateToken
from arc.vouchers.models import Delivery, VoucherState
from tests import factories

SHORTCODE = "RVTS"
SCAN_ONLY_SHORTCODE = "RVSC"
PAYMENT_MESSAGE = "Thanks! Bring your paper vouchers to the market office on Saturday."
# Vouchers ready to be recorded, and days of earlier payment requests (more than one page of 15).
FRESH_VOUCHERS = 12
HISTORY_DAYS = 17


def _add_history(voucher, transition, from_state, to_state, at, user_id, state_token=None):
    db.session.add(
        VoucherState(
            transition=transition,
            from_state=from_state,
            to_state=to_state,
            voucher_id=voucher.id,
            user_id=user_id,
            user_type="User",
            source="",
            state_token_id=state_token.id if state_token else None,
            created_at=at,
            updated_at=at,
        )
    )
    voucher.currentstate = to_state
    voucher.updated_at = at


def _paid_history(sponsor, delivery, trader, user):
    """Add one voucher sent for payment on each of the last HISTORY_DAYS days; return their codes."""
    codes = []
    for days_ago in range(1, HISTORY_DAYS + 1):
        at = clock.now().replace(hour=10, minute=0, second=0) - timedelta(days=days_ago)
        voucher = factories.make_voucher(
            code=f"{SHORTCODE}{9000 + days_ago:04d}", sponsor=sponsor, currentstate="dispatched",
            delivery_id=delivery.id, trader_id=trader.id, created_at=at - timedelta(days=2),
        )
        token = StateToken(uuid=f"00000000-0000-4000-8000-{days_ago:012d}", user_id=user.id)
        db.session.add(token)
        db.session.flush()
        _add_history(voucher, "collect", "dispatched", "recorded", at - timedelta(hours=2), user.id)
        _add_history(voucher, "confirm", "recorded", "payment_pending", at, user.id, token)
        codes.append(voucher.code)
    db.session.flush()
    return codes


def seed():
    """Add two areas, each with a market and a trader, one user for both traders, and vouchers."""
    sponsor = factories.make_sponsor(shortcode=SHORTCODE, name="Riverton")
    scan_only = factories.make_sponsor(shortcode=SCAN_ONLY_SHORTCODE, name="Scanbury", can_tap=False)
    centre = factories.make_centre(sponsor=sponsor)
    delivery = Delivery(centre_id=centre.id, range="browser tests", dispatched_at=clock.now())
    db.session.add(delivery)
    db.session.flush()

    market = factories.make_market(sponsor=sponsor, name="Riverton Saturday Market", payment_message=PAYMENT_MESSAGE)
    scan_market = factories.make_market(sponsor=scan_only, name="Scanbury Market")
    trader = factories.make_trader(market=market, name="Rolf's Roots and Fruit")
    scan_trader = factories.make_trader(market=scan_market, name="Scanbury Greens")
    user = factories.make_trader_user(traders=[trader, scan_trader], name="Rolf Tester", email="rolf@example.org")

    fresh = [
        factories.make_voucher(code=f"{SHORTCODE}{1001 + n:04d}", sponsor=sponsor, currentstate="dispatched", delivery_id=delivery.id).code
        for n in range(FRESH_VOUCHERS)
    ]
    scan_fresh = [
        factories.make_voucher(code=f"{SCAN_ONLY_SHORTCODE}{2001 + n:04d}", sponsor=scan_only, currentstate="dispatched", delivery_id=delivery.id).code
        for n in range(3)
    ]
    history = _paid_history(sponsor, delivery, trader, user)
    return {
        "email": user.email,
        "password": factories.PASSWORD,
        "user_id": user.id,
        "trader_id": trader.id,
        "trader_name": trader.name,
        "scan_trader_id": scan_trader.id,
        "scan_trader_name": scan_trader.name,
        "shortcode": SHORTCODE,
        "payment_message": PAYMENT_MESSAGE,
        "codes": fresh,
        "scan_codes": scan_fresh,
        "history_codes": history,
    }


def main():
    from wsgi import app

    with app.app_context():
        data = seed()
        db.session.commit()
    json.dump(data, sys.stdout)


if __name__ == "__main__":
    main()
