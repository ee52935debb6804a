"""Unique demo voucher codes, and bulk inserts of vouchers together with their transition history."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from arc.vouchers import states
from arc.vouchers.codes import split_code
from arc.vouchers.models import Voucher, VoucherState

# Rows per INSERT statement and codes per IN list.
CHUNK_SIZE = 2000


class VoucherCodes:
    """Hands out voucher codes that no other demo voucher has.

    A number is taken per shortcode whatever its zero padding, because range searches compare the
    numbers: ``RVNT0042`` and ``RVNT00042`` would both fall in a range from ``RVNT0040``.
    """

    def __init__(self, rng):
        self.rng = rng
        self._used_numbers = set()

    def reserve(self, codes):
        """Mark ``codes`` as used and return them. Raises ``ValueError`` if one of them already is."""
        for code in codes:
            parts = split_code(code)
            key = (parts.shortcode, parts.number)
            if key in self._used_numbers:
                raise ValueError(f"Demo voucher code {code} is used twice.")
            self._used_numbers.add(key)
        return list(codes)

    def numbered(self, shortcode, numbers, digits):
        """Reserve and return ``shortcode`` followed by each of ``numbers`` padded to ``digits``."""
        return self.reserve([f"{shortcode}{number:0{digits}d}" for number in numbers])

    def random_block(self, shortcode, size=1):
        """Reserve and return ``size`` consecutive codes with 4 to 8 digits, starting at random."""
        while True:
            digits = self.rng.randint(4, 8)
            start = self.rng.randrange(10**digits - size + 1)
            numbers = range(start, start + size)
            if all((shortcode, number) not in self._used_numbers for number in numbers):
                return self.numbered(shortcode, numbers, digits)


@dataclass(frozen=True)
class Move:
    """One transition in a demo voucher's history: who made it, when, and the payment request it joined."""

    transition: str
    actor: states.Actor
    at: datetime
    state_token_id: int | None = None


class VoucherWriter:
    """Collects demo vouchers with their moves and writes them with multi-row inserts.

    Each move is checked against the voucher state machine, so every history row has the real
    previous state in ``from`` and the voucher's ``currentstate`` is the ``to`` of its last row.
    """

    def __init__(self, session):
        self.session = session
        self._vouchers = []
        self._histories = {}
        self.vouchers_written = 0
        self.history_rows_written = 0

    def add(self, code, sponsor_id, created_at, moves=(), delivery_id=None, bundle_id=None, trader_id=None):
        state = states.PRINTED
        history = []
        for move in moves:
            transition = states.get_transition(move.transition)
            if state not in transition.from_states:
                raise ValueError(f"Demo voucher {code} cannot {move.transition} from {state}.")
            history.append(
                {
                    "transition": transition.name,
                    "from_state": state,
                    "to_state": transition.to,
                    "user_id": move.actor.user_id,
                    "user_type": move.actor.user_type,
                    "state_token_id": move.state_token_id,
                    "source": "",
                    "created_at": move.at,
                    "updated_at": move.at,
                }
            )
            state = transition.to

        self._vouchers.append(
            {
                "code": code,
                "sponsor_id": sponsor_id,
                "currentstate": state,
                "delivery_id": delivery_id,
                "bundle_id": bundle_id,
                "trader_id": trader_id,
                "created_at": created_at,
                "updated_at": moves[-1].at if moves else created_at,
            }
        )
        self._histories[code] = history
        if len(self._vouchers) >= CHUNK_SIZE:
            self.flush()

    def flush(self):
        """Insert the collected vouchers, then their history rows, and forget them."""
        if not self._vouchers:
            return
        self.session.execute(sa.insert(Voucher), self._vouchers)
        ids = self._ids_by_code([row["code"] for row in self._vouchers])

        history_rows = []
        for code, rows in self._histories.items():
            history_rows.extend({**row, "voucher_id": ids[code]} for row in rows)
        for start in range(0, len(history_rows), CHUNK_SIZE):
            self.session.execute(sa.insert(VoucherState), history_rows[start:start + CHUNK_SIZE])

        self.vouchers_written += len(self._vouchers)
        self.history_rows_written += len(history_rows)
        self._vouchers = []
        self._histories = {}

    def _ids_by_code(self, codes):
        ids = {}
        for start in range(0, len(codes), CHUNK_SIZE):
            chunk = codes[start:start + CHUNK_SIZE]
            rows = self.session.execute(sa.select(Voucher.code, Voucher.id).where(Voucher.code.in_(chunk)))
            ids.update((code, voucher_id) for code, voucher_id in rows)
        return ids
