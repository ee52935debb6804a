import datetime
import itertools

import pytest
import sqlalchemy as sa

from arc.extensions import db as _db
from arc.payments.models import StateToken
from arc.vouchers import states
from arc.vouchers.models import Delivery, Voucher, VoucherState
from arc.vouchers.states import (
    Actor,
    TransitionNotAllowed,
    UnknownTransition,
    apply,
    apply_to_many,
    can_apply,
    get_transition,
)
from tests import factories

# The machine as the reference documents it, written out independently of the module under test.
MACHINE = {
    "dispatch": ({"printed"}, "dispatched"),
    "collect": ({"printed", "dispatched"}, "recorded"),
    "reject-to-printed": ({"recorded"}, "printed"),
    "reject-to-dispatched": ({"recorded"}, "dispatched"),
    "confirm": ({"recorded"}, "payment_pending"),
    "payout": ({"payment_pending"}, "reimbursed"),
    "void": ({"dispatched"}, "voided"),
    "expire": ({"dispatched"}, "expired"),
    "retire": ({"voided", "expired"}, "retired"),
}
ALL_STATES = ["printed", "dispatched", "recorded", "payment_pending", "reimbursed", "expired", "voided", "retired"]
ALL_PAIRS = list(itertools.product(MACHINE, ALL_STATES))
LEGACY_STATES = ["requested", "ordered", "prepared", "allocated", "lost"]


def history_of(voucher):
    query = sa.select(VoucherState).where(VoucherState.voucher_id == voucher.id).order_by(VoucherState.id)
    return list(_db.session.execute(query).scalars())


def stored_state(voucher):
    return _db.session.execute(sa.select(Voucher.currentstate).where(Voucher.id == voucher.id)).scalar_one()


def test_machine_has_eight_states():
    assert list(states.STATES) == ALL_STATES


def test_machine_has_nine_transitions():
    assert set(states.TRANSITIONS) == set(MACHINE)


@pytest.mark.parametrize("transition", MACHINE)
def test_transition_definition(transition):
    definition = get_transition(transition)

    assert definition.name == transition
    assert set(definition.from_states) == MACHINE[transition][0]
    assert definition.to == MACHINE[transition][1]


@pytest.mark.parametrize(("transition", "state"), ALL_PAIRS)
def test_can_apply_matches_machine(transition, state):
    assert can_apply(transition, state) is (state in MACHINE[transition][0])


@pytest.mark.parametrize("transition", MACHINE)
@pytest.mark.parametrize("state", LEGACY_STATES + [None, ""])
def test_can_apply_refuses_legacy_state(transition, state):
    assert can_apply(transition, state) is False


@pytest.mark.parametrize("name", ["submit_changes", "reject", "lose", "order", "", "Collect"])
def test_can_apply_unknown_transition_raises(name):
    with pytest.raises(UnknownTransition, match="Unknown voucher transition"):
        can_apply(name, "printed")


def test_actor_of_each_user_kind(db):
    user = factories.make_trader_user()
    admin = factories.make_admin_user()
    worker = factories.make_centre_user()

    assert Actor.of(user) == Actor(user.id, "User")
    assert Actor.of(admin) == Actor(admin.id, "AdminUser")
    assert Actor.of(worker) == Actor(worker.id, "CentreUser")
    assert Actor.of(None) == Actor.nobody() == Actor(None, "")


@pytest.mark.parametrize(("transition", "state"), ALL_PAIRS)
def test_apply_follows_machine(db, transition, state):
    voucher = factories.make_voucher(currentstate=state)
    admin = factories.make_admin_user()
    allowed_from, target = MACHINE[transition]

    if state not in allowed_from:
        with pytest.raises(TransitionNotAllowed):
            apply(voucher, transition, admin)
        assert stored_state(voucher) == state
        assert history_of(voucher) == []
        return

    apply(voucher, transition, admin)

    assert voucher.currentstate == target
    assert stored_state(voucher) == target
    [row] = history_of(voucher)
    assert (row.transition, row.from_state, row.to_state) == (transition, state, target)


def test_apply_writes_one_history_row(db):
    voucher = factories.make_voucher(currentstate="printed", updated_at=datetime.datetime(2020, 1, 1))
    admin = factories.make_admin_user()

    row = apply(voucher, "dispatch", admin)

    assert history_of(voucher) == [row]
    assert row.transition == "dispatch"
    assert row.from_state == "printed"
    assert row.to_state == "dispatched"
    assert row.voucher_id == voucher.id
    assert row.user_id == admin.id
    assert row.user_type == "AdminUser"
    assert row.source == ""
    assert row.state_token_id is None
    assert row.created_at is not None
    assert voucher.updated_at == row.created_at


@pytest.mark.parametrize(
    ("make_user", "user_type"),
    [
        (factories.make_trader_user, "User"),
        (factories.make_admin_user, "AdminUser"),
        (factories.make_centre_user, "CentreUser"),
    ],
)
def test_apply_records_actor(db, make_user, user_type):
    user = make_user()
    voucher = factories.make_voucher(currentstate="dispatched")

    row = apply(voucher, "collect", user)

    assert (row.user_id, row.user_type) == (user.id, user_type)


def test_apply_records_nobody(db):
    voucher = factories.make_voucher(currentstate="dispatched")

    row = apply(voucher, "collect", Actor.nobody())

    assert row.user_id is None
    assert row.user_type == ""


def test_apply_links_state_token(db):
    trader_user = factories.make_trader_user()
    voucher = factories.make_voucher(currentstate="recorded")
    token = StateToken(uuid="aStringOfCharacters", user_id=trader_user.id)

    row = apply(voucher, "confirm", trader_user, state_token=token)

    assert row.state_token_id == token.id
    assert row.state_token.uuid == "aStringOfCharacters"


def test_apply_saves_trader_set_by_caller(db):
    trader = factories.make_trader()
    voucher = factories.make_voucher(currentstate="dispatched")
    voucher.trader_id = trader.id

    apply(voucher, "collect", Actor.nobody())
    _db.session.expire_all()

    assert voucher.trader_id == trader.id
    assert voucher.currentstate == "recorded"


def test_apply_uses_stored_state(db):
    voucher = factories.make_voucher(currentstate="printed")
    _db.session.execute(sa.update(Voucher.__table__).where(Voucher.id == voucher.id).values(currentstate="dispatched"))
    assert voucher.currentstate == "printed"

    row = apply(voucher, "collect", Actor.nobody())

    assert row.from_state == "dispatched"


def test_rejected_apply_discards_unsaved_changes(db):
    trader, other_trader = factories.make_trader(), factories.make_trader()
    voucher = factories.make_voucher(currentstate="dispatched", trader_id=other_trader.id)
    # Another transaction collected it after this one loaded it.
    _db.session.execute(sa.update(Voucher.__table__).where(Voucher.id == voucher.id).values(currentstate="recorded"))
    voucher.trader_id = trader.id

    with pytest.raises(TransitionNotAllowed, match="in state 'recorded'"):
        apply(voucher, "collect", Actor.nobody())
    _db.session.flush()

    assert voucher.currentstate == "recorded"
    assert voucher.trader_id == other_trader.id
    assert _db.session.execute(sa.select(Voucher.trader_id).where(Voucher.id == voucher.id)).scalar_one() == other_trader.id
    assert history_of(voucher) == []


def test_apply_unknown_transition_raises(db):
    voucher = factories.make_voucher(currentstate="printed")

    with pytest.raises(UnknownTransition):
        apply(voucher, "submit_changes", Actor.nobody())
    assert history_of(voucher) == []


def test_apply_flushes_new_voucher_first(db):
    sponsor = factories.make_sponsor()
    voucher = Voucher(code=f"{sponsor.shortcode}77777", sponsor_id=sponsor.id, currentstate="printed")
    _db.session.add(voucher)

    row = apply(voucher, "dispatch", Actor.nobody())

    assert row.voucher_id == voucher.id
    assert stored_state(voucher) == "dispatched"


def test_full_route_to_reimbursed(db):
    trader_user = factories.make_trader_user()
    admin = factories.make_admin_user()
    voucher = factories.make_voucher(currentstate="printed")

    apply(voucher, "dispatch", admin)
    for transition in ("void", "expire"):
        assert can_apply(transition, voucher.currentstate)
    apply(voucher, "collect", trader_user)
    apply(voucher, "confirm", trader_user)
    apply(voucher, "payout", admin)

    assert [(row.transition, row.from_state, row.to_state, row.user_type) for row in history_of(voucher)] == [
        ("dispatch", "printed", "dispatched", "AdminUser"),
        ("collect", "dispatched", "recorded", "User"),
        ("confirm", "recorded", "payment_pending", "User"),
        ("payout", "payment_pending", "reimbursed", "AdminUser"),
    ]
    for transition in MACHINE:
        assert not can_apply(transition, voucher.currentstate)


@pytest.mark.parametrize("transition", ["collect", "dispatch", "void"])
def test_apply_refuses_legacy_state(db, transition):
    voucher = factories.make_voucher(currentstate="requested")

    with pytest.raises(TransitionNotAllowed):
        apply(voucher, transition, Actor.nobody())
    assert stored_state(voucher) == "requested"


def test_apply_after_legacy_history(db):
    voucher = factories.make_voucher(currentstate="dispatched")
    for transition, from_state, to_state in [("order", None, "ordered"), ("lose", None, "lost"), ("dispatch", "", "dispatched")]:
        _db.session.add(
            VoucherState(voucher_id=voucher.id, transition=transition, from_state=from_state, to_state=to_state, source="")
        )
    _db.session.flush()

    row = apply(voucher, "collect", Actor.nobody())

    assert [entry.transition for entry in history_of(voucher)] == ["order", "lose", "dispatch", "collect"]
    assert row.from_state == "dispatched"


# Set-based path.


def test_apply_to_many_collects_hundred_dispatched(db):
    sponsor = factories.make_sponsor()
    trader_user = factories.make_trader_user()
    vouchers = [factories.make_voucher(sponsor=sponsor, currentstate="dispatched") for _ in range(100)]

    changed = apply_to_many("collect", [voucher.id for voucher in vouchers], trader_user)

    assert changed == 100
    rows = _db.session.execute(
        sa.select(VoucherState).where(VoucherState.voucher_id.in_([voucher.id for voucher in vouchers]))
    ).scalars().all()
    assert len(rows) == 100
    assert {row.voucher_id for row in rows} == {voucher.id for voucher in vouchers}
    assert {(row.transition, row.from_state, row.to_state) for row in rows} == {("collect", "dispatched", "recorded")}
    assert {(row.user_id, row.user_type, row.source, row.state_token_id) for row in rows} == {
        (trader_user.id, "User", "", None)
    }
    stored = _db.session.execute(
        sa.select(Voucher.currentstate).where(Voucher.sponsor_id == sponsor.id)
    ).scalars().all()
    assert stored == ["recorded"] * 100


def test_apply_to_many_changes_only_allowed_states(db):
    sponsor = factories.make_sponsor()
    admin = factories.make_admin_user()
    start_states = ALL_STATES + LEGACY_STATES + ["printed", "dispatched"]
    vouchers = {
        factories.make_voucher(sponsor=sponsor, currentstate=state, updated_at=datetime.datetime(2020, 1, 1)): state
        for state in start_states
    }

    changed = apply_to_many("collect", [voucher.id for voucher in vouchers], admin)

    assert changed == 4
    for voucher, state in vouchers.items():
        rows = history_of(voucher)
        if state in ("printed", "dispatched"):
            assert stored_state(voucher) == "recorded"
            assert [(row.from_state, row.to_state, row.user_id, row.user_type) for row in rows] == [
                (state, "recorded", admin.id, "AdminUser")
            ]
        else:
            assert stored_state(voucher) == state
            assert rows == []
            assert voucher.updated_at == datetime.datetime(2020, 1, 1)


def test_apply_to_many_updates_session_objects(db):
    voucher = factories.make_voucher(currentstate="printed")

    apply_to_many("dispatch", [voucher.id], Actor.nobody())

    assert voucher.currentstate == "dispatched"


def test_apply_to_many_uses_given_time(db):
    at = datetime.datetime(2024, 3, 1, 9, 30)
    vouchers = [factories.make_voucher(currentstate="printed") for _ in range(3)]

    apply_to_many("dispatch", [voucher.id for voucher in vouchers], Actor.nobody(), at=at)

    for voucher in vouchers:
        [row] = history_of(voucher)
        assert (row.created_at, row.updated_at) == (at, at)
        _db.session.refresh(voucher)
        assert voucher.updated_at == at


def test_apply_to_many_records_nobody(db):
    voucher = factories.make_voucher(currentstate="printed")

    apply_to_many("dispatch", [voucher.id], Actor.nobody())

    [row] = history_of(voucher)
    assert (row.user_id, row.user_type) == (None, "")


def test_apply_to_many_with_filter_and_extra_values(db):
    sponsor, other_sponsor = factories.make_sponsor(), factories.make_sponsor()
    delivery = Delivery(centre_id=factories.make_centre(sponsor=sponsor).id, range="test", dispatched_at=datetime.datetime(2024, 1, 1))
    _db.session.add(delivery)
    printed = [factories.make_voucher(sponsor=sponsor, currentstate="printed") for _ in range(3)]
    recorded = factories.make_voucher(sponsor=sponsor, currentstate="recorded")
    elsewhere = factories.make_voucher(sponsor=other_sponsor, currentstate="printed")

    changed = apply_to_many(
        "dispatch", Voucher.sponsor_id == sponsor.id, Actor.nobody(), extra_values={"delivery_id": delivery.id}
    )
    _db.session.expire_all()

    assert changed == 3
    assert [(voucher.currentstate, voucher.delivery_id) for voucher in printed] == [("dispatched", delivery.id)] * 3
    assert (recorded.currentstate, recorded.delivery_id) == ("recorded", None)
    assert (elsewhere.currentstate, elsewhere.delivery_id) == ("printed", None)


@pytest.mark.parametrize("by_filter", [True, False], ids=["filter", "ids"])
def test_apply_to_many_in_chunks(db, by_filter):
    sponsor = factories.make_sponsor()
    vouchers = [factories.make_voucher(sponsor=sponsor, currentstate=("printed", "recorded")[n % 5 == 0]) for n in range(30)]
    selection = Voucher.sponsor_id == sponsor.id if by_filter else [voucher.id for voucher in vouchers]

    changed = apply_to_many("dispatch", selection, Actor.nobody(), chunk_size=7)

    assert changed == 24
    rows = _db.session.execute(
        sa.select(VoucherState.voucher_id).where(VoucherState.voucher_id.in_([voucher.id for voucher in vouchers]))
    ).scalars().all()
    assert sorted(rows) == [voucher.id for voucher in vouchers if voucher.currentstate == "dispatched"]
    assert len(set(rows)) == 24


def test_apply_to_many_skips_soft_deleted(db):
    live = factories.make_voucher(currentstate="printed")
    deleted = factories.make_voucher(currentstate="printed", deleted_at=datetime.datetime(2023, 1, 1))

    changed = apply_to_many("dispatch", [live.id, deleted.id], Actor.nobody())

    assert changed == 1
    assert stored_state(deleted) == "printed"
    assert history_of(deleted) == []


def test_apply_to_many_void_then_retire(db):
    admin = factories.make_admin_user()
    vouchers = [factories.make_voucher(currentstate="dispatched") for _ in range(3)]
    ids = [voucher.id for voucher in vouchers]

    assert apply_to_many("void", ids, admin) == 3
    assert apply_to_many("retire", ids, admin) == 3

    for voucher in vouchers:
        assert [(row.transition, row.from_state, row.to_state) for row in history_of(voucher)] == [
            ("void", "dispatched", "voided"),
            ("retire", "voided", "retired"),
        ]


def test_apply_to_many_with_no_vouchers(db):
    assert apply_to_many("dispatch", [], Actor.nobody()) == 0
    assert apply_to_many("dispatch", Voucher.id < 0, Actor.nobody()) == 0


def test_apply_to_many_unknown_transition_raises(db):
    voucher = factories.make_voucher(currentstate="printed")

    with pytest.raises(UnknownTransition):
        apply_to_many("lose", [voucher.id], Actor.nobody())
    assert stored_state(voucher) == "printed"


@pytest.mark.parametrize("column", ["currentstate", "updated_at", "id", "colour"])
def test_apply_to_many_rejects_extra_value(db, column):
    voucher = factories.make_voucher(currentstate="printed")

    with pytest.raises(ValueError, match=column):
        apply_to_many("dispatch", [voucher.id], Actor.nobody(), extra_values={column: 1})
    assert stored_state(voucher) == "printed"
