"""What a trader may do to vouchers: record them (`collect`), undo that (`reject`), ask for payment
(`confirm`). Shared by the synchronous and the queued API routes.

``process_submission`` flushes and never commits. Its caller commits once, so a submission changes
all of its vouchers or none. Vouchers are locked in id order before any is changed, so two
submissions touching the same vouchers run one after the other without deadlocking. The second
reads the first one's result and reports duplicates.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from arc.extensions import db
from arc.payments.models import StateToken
from arc.vouchers import states
from arc.vouchers.codes import normalise_code
from arc.vouchers.models import Voucher, VoucherState
from arc.vouchers.queries import find_by_codes

TRADER_TRANSITIONS = ("collect", "reject", "confirm")

BUCKETS = ("success_add", "success_reject", "own_duplicate", "other_duplicate", "invalid", "failed_reject", "undelivered")

INCORRECT_CODE = (
    "The voucher code you have added is incorrect. Please check the numbers and the letters and try again."
)
SINGLE_CODE_REPLIES = {
    "success_add": lambda code: {"message": "Voucher is valid"},
    "success_reject": lambda code: {"message": "Voucher removed"},
    "own_duplicate": lambda code: {"warning": f"You have already submitted voucher code {code}."},
    "other_duplicate": lambda code: {
        "warning": f"It looks like the code ({code}) has been used already, please double check and try again. "
        "If you are still unable to add the voucher code, don't worry you will still get paid. Please email "
        "info@alexandrarose.org.uk to let us know that this has happened and please include the voucher code "
        "in the email."
    },
    "failed_reject": lambda code: {
        "warning": "I'm sorry, we couldn't undo that for you at this time. "
        "Let us know about this code when you send in your vouchers."
    },
    "undelivered": lambda code: {"warning": INCORRECT_CODE},
    "invalid": lambda code: {"error": INCORRECT_CODE},
}
PAYMENT_REQUESTED = {"message": "Thanks, your payment request has been accepted."}


@dataclass
class Outcome:
    """The codes of one submission sorted into the buckets the trader app reports on."""

    success_add: list = field(default_factory=list)
    success_reject: list = field(default_factory=list)
    own_duplicate: list = field(default_factory=list)
    other_duplicate: list = field(default_factory=list)
    invalid: list = field(default_factory=list)
    failed_reject: list = field(default_factory=list)
    undelivered: list = field(default_factory=list)
    # Codes another trader had already recorded when this trader tried to record them. The charity
    # is e-mailed about them.
    recorded_by_other_trader: list = field(default_factory=list)
    state_token: StateToken | None = None

    def reply(self):
        """Return the single-key JSON object the trader app shows for this outcome."""
        if self.state_token is not None:
            return dict(PAYMENT_REQUESTED)
        filled = [(bucket, getattr(self, bucket)) for bucket in BUCKETS if getattr(self, bucket)]
        if sum(len(codes) for _bucket, codes in filled) == 1:
            bucket, codes = filled[0]
            return SINGLE_CODE_REPLIES[bucket](codes[0])
        accepted = len(self.success_add)
        duplicates = len(self.own_duplicate) + len(self.other_duplicate)
        invalid = len(self.invalid) + len(self.undelivered)
        return {
            "message": f"Thanks! Your queue has been successfully submitted. {accepted} voucher(s) accepted, "
            f"{duplicates} duplicate(s) and {invalid} invalid."
        }


def normalise_codes(codes):
    """Return the submitted codes normalised, without blanks or repeats, in submission order."""
    seen = {}
    for code in codes:
        normalised = normalise_code(code)
        if normalised:
            seen.setdefault(normalised, None)
    return list(seen)


def _lock_vouchers(vouchers):
    """Lock the vouchers' rows in id order and reload their current state and trader."""
    if not vouchers:
        return []
    query = (
        sa.select(Voucher)
        .where(Voucher.id.in_([voucher.id for voucher in vouchers]))
        .order_by(Voucher.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(db.session.execute(query).scalars())


def process_submission(user, trader, transition, codes, first_delivery_date):
    """Apply a trader's ``transition`` to the vouchers with ``codes`` and return the ``Outcome``.

    ``transition`` must be one of ``TRADER_TRANSITIONS``. ``first_delivery_date`` is the day from
    which new vouchers must have been delivered to a centre before a trader may record them.
    """
    if transition not in TRADER_TRANSITIONS:
        raise states.UnknownTransition(f"Traders may not apply {transition!r} to vouchers.")
    requested = normalise_codes(codes)
    vouchers = _lock_vouchers(find_by_codes(requested))
    outcome = Outcome()
    found = {normalise_code(voucher.code) for voucher in vouchers}
    outcome.invalid = [code for code in requested if code not in found]

    handle = {"collect": _collect, "reject": _reject, "confirm": _confirm}[transition]
    cut_off = datetime.combine(first_delivery_date, datetime.min.time())
    for voucher in vouchers:
        handle(voucher, user, trader, outcome, cut_off)
    db.session.flush()
    return outcome


def _duplicate(voucher, owner_id, outcome):
    """File a voucher that cannot move: own duplicate when it belongs to ``owner_id``, else another's."""
    code = normalise_code(voucher.code)
    if voucher.trader_id == owner_id:
        outcome.own_duplicate.append(code)
    else:
        outcome.other_duplicate.append(code)


def _collect(voucher, user, trader, outcome, cut_off):
    code = normalise_code(voucher.code)
    undelivered = voucher.delivery_id is None and voucher.created_at is not None and voucher.created_at >= cut_off
    if undelivered:
        outcome.undelivered.append(code)
    elif states.can_apply("collect", voucher.currentstate):
        voucher.trader_id = trader.id
        states.apply(voucher, "collect", user)
        outcome.success_add.append(code)
    else:
        _duplicate(voucher, trader.id, outcome)
        if voucher.trader_id not in (None, trader.id):
            outcome.recorded_by_other_trader.append(code)


def _confirm(voucher, user, trader, outcome, cut_off):
    if voucher.trader_id != trader.id or not states.can_apply("confirm", voucher.currentstate):
        _duplicate(voucher, trader.id, outcome)
        return
    if outcome.state_token is None:
        outcome.state_token = StateToken(uuid=str(uuid.uuid4()), user_id=user.id)
        db.session.add(outcome.state_token)
    states.apply(voucher, "confirm", user, state_token=outcome.state_token)


def _last_move(voucher):
    query = (
        sa.select(VoucherState.from_state)
        .where(VoucherState.voucher_id == voucher.id)
        .order_by(VoucherState.id.desc())
        .limit(1)
    )
    return db.session.execute(query).first()


def _reject(voucher, user, trader, outcome, cut_off):
    code = normalise_code(voucher.code)
    if voucher.trader_id is not None and voucher.trader_id != trader.id:
        _duplicate(voucher, trader.id, outcome)
        return
    last = _last_move(voucher)
    name = f"reject-to-{last.from_state}" if last is not None else None
    if name not in states.TRANSITIONS:
        # No history, or a last move that cannot be undone (for example a voucher already sent for payment).
        outcome.failed_reject.append(code)
    elif states.can_apply(name, voucher.currentstate):
        voucher.trader_id = None
        states.apply(voucher, name, user)
        outcome.success_reject.append(code)
    else:
        # A reject moves the voucher to no trader, so a voucher that already has none is "own".
        _duplicate(voucher, None, outcome)
