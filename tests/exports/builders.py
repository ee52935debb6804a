"""Test data for the Master Voucher Log: families with bundles, deliveries, and voucher history rows."""

from datetime import datetime

from arc.extensions import db
from arc.registrations.models import Bundle, Carer, Family, Registration
from arc.vouchers.models import Delivery, VoucherState
from tests import factories

TRANSITION_TO = {
    "dispatched": "dispatch",
    "recorded": "collect",
    "payment_pending": "confirm",
    "reimbursed": "payout",
    "voided": "void",
    "expired": "expire",
    "retired": "retire",
}


def _add(instance):
    db.session.add(instance)
    db.session.flush()
    return instance


def make_delivery(centre, dispatched_at=datetime(2024, 1, 10, 9, 30)):
    return _add(Delivery(centre_id=centre.id, range="display text", dispatched_at=dispatched_at))


def make_family(centre, carer_names=("Zoë O'Neill-Ash",), sequence=7):
    family = _add(Family(initial_centre_id=centre.id, centre_sequence=sequence))
    for name in carer_names:
        _add(Carer(name=name, family_id=family.id))
    return family


def make_bundle(family, centre, disbursed_at=None, disbursing_centre=None):
    registration = _add(Registration(family_id=family.id, centre_id=centre.id))
    return _add(
        Bundle(
            entitlement=3,
            registration_id=registration.id,
            disbursed_at=disbursed_at,
            disbursing_centre_id=disbursing_centre.id if disbursing_centre else None,
        )
    )


def add_history(voucher, *steps):
    """Add one history row per ``(state, created_at)`` step, in order, and set the final state."""
    previous = voucher.currentstate
    for state, created_at in steps:
        _add(
            VoucherState(
                voucher_id=voucher.id,
                transition=TRANSITION_TO[state],
                from_state=previous,
                to_state=state,
                source="",
                created_at=created_at,
                updated_at=created_at,
            )
        )
        previous = state
    voucher.currentstate = previous
    db.session.flush()
    return voucher


def make_traded_voucher(code, sponsor, trader, *steps, **fields):
    """Return a voucher of ``sponsor`` held by ``trader`` with the history ``steps``."""
    voucher = factories.make_voucher(
        code=code, sponsor=sponsor, currentstate="dispatched", trader_id=trader.id, **fields
    )
    return add_history(voucher, *steps)
