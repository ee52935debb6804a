"""The voucher state machine: its states and transitions, and the functions that apply them.

Every change of ``vouchers.currentstate`` goes through ``apply`` (one voucher) or ``apply_to_many``
(a set-based batch). Both write one ``voucher_states`` history row per voucher changed, with the real
previous state in ``from``. They flush and never commit.

Old databases hold states and transitions that the machine no longer has (``requested``, ``ordered``,
``lost``, ``lose``...) and history rows with an empty ``from``. A voucher in such a state simply
allows no transition.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import attributes

from arc import clock
from arc.columns import String, UnsignedInt
from arc.extensions import db
from arc.vouchers.models import Voucher, VoucherState

PRINTED = "printed"
DISPATCHED = "dispatched"
RECORDED = "recorded"
PAYMENT_PENDING = "payment_pending"
REIMBURSED = "reimbursed"
EXPIRED = "expired"
VOIDED = "voided"
RETIRED = "retired"

STATES = (PRINTED, DISPATCHED, RECORDED, PAYMENT_PENDING, REIMBURSED, EXPIRED, VOIDED, RETIRED)

# Maximum vouchers in one chunk of ``apply_to_many``. 2,000 ids keep each IN list small.
DEFAULT_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Transition:
    """A named move to ``to`` that is allowed only from the states in ``from_states``."""

    name: str
    from_states: tuple
    to: str


TRANSITIONS = {
    transition.name: transition
    for transition in (
        Transition("dispatch", (PRINTED,), DISPATCHED),
        Transition("collect", (PRINTED, DISPATCHED), RECORDED),
        Transition("reject-to-printed", (RECORDED,), PRINTED),
        Transition("reject-to-dispatched", (RECORDED,), DISPATCHED),
        Transition("confirm", (RECORDED,), PAYMENT_PENDING),
        Transition("payout", (PAYMENT_PENDING,), REIMBURSED),
        Transition("void", (DISPATCHED,), VOIDED),
        Transition("expire", (DISPATCHED,), EXPIRED),
        Transition("retire", (VOIDED, EXPIRED), RETIRED),
    )
}

# Columns that ``apply_to_many`` sets itself, so ``extra_values`` may not contain them.
_MANAGED_VOUCHER_COLUMNS = {"id", "currentstate", "updated_at"}


class UnknownTransition(ValueError):
    """A transition name that the state machine does not have."""


class TransitionNotAllowed(Exception):
    """A transition requested for a voucher whose current state is not one of its from-states."""

    def __init__(self, voucher, transition):
        self.voucher = voucher
        self.transition = transition
        super().__init__(
            f"Transition {transition!r} is not allowed for voucher {voucher.id} in state {voucher.currentstate!r}."
        )


@dataclass(frozen=True)
class Actor:
    """The maker of a transition, as the history stores it: an id and the type name of its user table.

    The id may belong to ``users``, ``admin_users`` or ``centre_users``, and ``user_type`` names the table's model.
    """

    user_id: int | None
    user_type: str

    @classmethod
    def of(cls, user):
        """Return the actor for a ``User``, ``AdminUser`` or ``CentreUser``, or the empty actor for ``None``."""
        if user is None:
            return cls.nobody()
        return cls(user.id, user.type_name)

    @classmethod
    def nobody(cls):
        """Return the actor recorded when no one is logged in: no id and an empty type."""
        return cls(None, "")


def get_transition(name):
    """Return the ``Transition`` called ``name``, or raise ``UnknownTransition``."""
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise UnknownTransition(f"Unknown voucher transition {name!r}.") from None


def can_apply(transition, state):
    """Return whether ``transition`` may start from ``state``, or raise ``UnknownTransition`` for a bad name.

    A state the machine does not know, such as a legacy ``lost``, allows nothing.
    """
    return state in get_transition(transition).from_states


def _as_actor(actor):
    return actor if isinstance(actor, Actor) else Actor.of(actor)


def apply(voucher, transition, actor, state_token=None):
    """Apply ``transition`` to one voucher, write its history row, flush, and return the row.

    The voucher row is locked (``SELECT ... FOR UPDATE`` on MySQL and MariaDB) and its state is read
    from the database, so of two transactions moving the same voucher only the first succeeds, and
    ``from`` contains the real previous state even when the loaded object was stale. ``actor`` is an
    ``Actor`` or a user model. ``state_token`` (a ``StateToken``) is linked to the row, as a confirm
    needs.

    Set ``trader_id`` on the voucher before the call: it is saved with the new state. When the
    transition is not allowed, the voucher is reloaded from the database, so unsaved changes to it
    are discarded and it shows the stored state and trader, and ``TransitionNotAllowed`` is raised.
    Raises ``UnknownTransition`` for an unknown name.
    """
    definition = get_transition(transition)
    actor = _as_actor(actor)
    if voucher.id is None:
        db.session.flush()

    stored_state = _lock_and_read_state(voucher.id)
    attributes.set_committed_value(voucher, "currentstate", stored_state)
    if stored_state not in definition.from_states:
        # A locking read returns the latest committed row. A plain read could return the snapshot
        # that MySQL's REPEATABLE READ took before another transaction moved the voucher.
        db.session.refresh(voucher, with_for_update=True)
        raise TransitionNotAllowed(voucher, transition)

    at = clock.now()
    row = VoucherState(
        voucher=voucher,
        transition=definition.name,
        from_state=stored_state,
        to_state=definition.to,
        user_id=actor.user_id,
        user_type=actor.user_type,
        source="",
        state_token=state_token,
        created_at=at,
        updated_at=at,
    )
    voucher.currentstate = definition.to
    voucher.updated_at = at
    db.session.add(row)
    db.session.flush()
    return row


def _lock_and_read_state(voucher_id):
    """Return the stored state of a voucher, locking its row until the transaction ends.

    Autoflush is off so that a caller's unsaved changes to the voucher are not written before the
    transition is known to be allowed. SQLite has no row locks and ignores FOR UPDATE, but it
    allows one writing transaction at a time, so of two racing transactions one fails with
    "database is locked" and no update is lost.
    """
    with db.session.no_autoflush:
        query = sa.select(Voucher.currentstate).where(Voucher.id == voucher_id).with_for_update()
        return db.session.execute(query).scalar_one()


def apply_to_many(transition, vouchers, actor, at=None, extra_values=None, chunk_size=DEFAULT_CHUNK_SIZE):
    """Apply ``transition`` to every matching voucher that may take it, set-based; return how many changed.

    ``vouchers`` is a collection of voucher ids or a boolean SQL expression over the ``vouchers``
    columns. Vouchers not in one of the transition's from-states, and soft-deleted ones, are left
    alone. Each changed voucher gets one history row with the real ``from`` state, the actor,
    ``source = ''`` and the timestamp ``at`` (default now), and its ``currentstate``, ``updated_at``
    and the columns in ``extra_values`` (such as ``{"delivery_id": 7}``) are set. Flushes, never
    commits: the caller's transaction makes the batch all-or-nothing.

    Concurrency: the work runs in chunks of ``chunk_size`` vouchers in id order. Each chunk is three
    statements that never load voucher rows: ``SELECT id ... FOR UPDATE`` of the next matching ids,
    then one ``INSERT INTO voucher_states ... SELECT ... FROM vouchers`` and one ``UPDATE vouchers``,
    both restricted to exactly those ids. The row locks (MySQL, MariaDB) keep the locked vouchers
    from changing until the transaction ends, so the history and the update cover the same rows, and
    a voucher that another transaction moves first is skipped, not written twice. SQLite ignores
    FOR UPDATE but allows one writing transaction at a time, so there one of two racing
    transactions fails instead.

    Objects in the session get the new ``currentstate`` and ``extra_values``; history collections
    that are already loaded are not refreshed.
    """
    definition = get_transition(transition)
    actor = _as_actor(actor)
    at = at or clock.now()
    voucher_values = _voucher_values(definition, at, extra_values)
    db.session.flush()

    changed = 0
    for ids in _locked_id_chunks(vouchers, definition.from_states, chunk_size):
        inserted = _insert_history(definition, ids, actor, at)
        updated = _update_vouchers(definition, ids, voucher_values)
        if inserted != updated:
            # The locks make this impossible; stop rather than leave history and state disagreeing.
            raise RuntimeError(
                f"Transition {definition.name!r} wrote {inserted} history rows for {updated} vouchers."
            )
        changed += updated
    return changed


def _voucher_values(definition, at, extra_values):
    values = dict(extra_values or {})
    unknown = set(values) - set(Voucher.__table__.c.keys())
    invalid = unknown | (set(values) & _MANAGED_VOUCHER_COLUMNS)
    if invalid:
        raise ValueError(f"Cannot set voucher columns {sorted(invalid)} in a batch transition.")
    values.update(currentstate=definition.to, updated_at=at)
    return values


def _locked_id_chunks(vouchers, from_states, chunk_size):
    """Yield sorted lists of at most ``chunk_size`` ids of matching vouchers, each locked when read."""
    if isinstance(vouchers, sa.ColumnElement):
        yield from _locked_chunks_of_filter(vouchers, from_states, chunk_size)
        return
    ids = sorted(set(vouchers))
    for offset in range(0, len(ids), chunk_size):
        locked = _lock_ids(Voucher.id.in_(ids[offset:offset + chunk_size]), from_states)
        if locked:
            yield locked


def _locked_chunks_of_filter(condition, from_states, chunk_size):
    last_id = 0
    while True:
        locked = _lock_ids(condition & (Voucher.id > last_id), from_states, limit=chunk_size)
        if not locked:
            return
        yield locked
        last_id = locked[-1]


def _lock_ids(condition, from_states, limit=None):
    query = (
        sa.select(Voucher.id)
        .where(condition, Voucher.currentstate.in_(from_states), Voucher.deleted_at.is_(None))
        .order_by(Voucher.id)
        .limit(limit)
        .with_for_update()
    )
    return list(db.session.execute(query).scalars())


def _insert_history(definition, ids, actor, at):
    user_id = sa.null() if actor.user_id is None else sa.literal(actor.user_id, UnsignedInt)
    rows = (
        sa.select(
            sa.literal(definition.name, String),
            Voucher.currentstate,
            user_id,
            sa.literal(actor.user_type, String),
            Voucher.id,
            sa.literal(definition.to, String),
            sa.literal("", String),
            sa.literal(at, sa.TIMESTAMP()),
            sa.literal(at, sa.TIMESTAMP()),
        )
        .where(Voucher.id.in_(ids), Voucher.currentstate.in_(definition.from_states))
        .order_by(Voucher.id)
    )
    history = VoucherState.__table__
    columns = ["transition", "from", "user_id", "user_type", "voucher_id", "to", "source", "created_at", "updated_at"]
    statement = sa.insert(history).from_select([history.c[name] for name in columns], rows)
    return db.session.execute(statement).rowcount


def _update_vouchers(definition, ids, values):
    statement = (
        sa.update(Voucher)
        .where(Voucher.id.in_(ids), Voucher.currentstate.in_(definition.from_states))
        .values(**values)
        .execution_options(synchronize_session="evaluate")
    )
    return db.session.execute(statement).rowcount
