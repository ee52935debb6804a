"""Building vouchers that a trader recorded and sent for payment."""

import uuid

from arc.payments.models import StateToken
from tests import factories
from tests.api.conftest import add_history


def make_state_token(db, user=None):
    """Add a payment request made by ``user``."""
    token = StateToken(uuid=str(uuid.uuid4()), user_id=user.id if user is not None else None)
    db.session.add(token)
    db.session.flush()
    return token


def make_confirmed_voucher(
    db, trader, recorded_at, pended_at, state_token=None, reimbursed_at=None, sponsor=None, **fields
):
    """Add a voucher of ``trader`` recorded at ``recorded_at`` and sent for payment at ``pended_at``."""
    voucher = factories.make_voucher(sponsor=sponsor or trader.market.sponsor, trader_id=trader.id, **fields)
    add_history(db, voucher, "collect", "dispatched", "recorded", recorded_at)
    add_history(db, voucher, "confirm", "recorded", "payment_pending", pended_at, state_token=state_token)
    if reimbursed_at is not None:
        add_history(db, voucher, "payout", "payment_pending", "reimbursed", reimbursed_at)
    return voucher
