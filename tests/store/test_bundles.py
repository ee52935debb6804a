"""Voucher bundles, tested on the domain functions: current bundle, add, remove, sync, hand-over, history."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from arc import clock
from arc.extensions import db
from arc.registrations import bundles
from arc.registrations.models import Bundle
from arc.vouchers.models import Voucher
from tests.store.voucher_data import make_bundle, make_registration, make_vouchers, make_world

TODAY = date(2024, 6, 12)  # a Wednesday


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def registration(world):
    # Under one on TODAY (+6) and a toddler (+4).
    return make_registration(world.elm, ("Tess Ward", "Kit Moss"), dobs=(date(2024, 1, 1), date(2022, 11, 1)))


@pytest.fixture
def bundle(registration):
    return bundles.current_bundle(registration, TODAY)


@pytest.fixture
def codes(world):
    return make_vouchers(world.northshire, ["RVZ00998", "RVZ00999", "RVZ01000"])


def held(bundle):
    return bundles.bundle_codes(bundle)


def test_current_bundle_created_with_entitlement(registration):
    bundle = bundles.current_bundle(registration, TODAY)

    assert bundle.entitlement == 10
    assert bundle.registration_id == registration.id
    assert (bundle.collecting_carer_id, bundle.disbursing_centre_id, bundle.disbursing_user_id) == (None, None, None)
    assert bundle.disbursed_at is None
    assert held(bundle) == []


def test_current_bundle_is_lowest_undisbursed(registration):
    make_bundle(registration, disbursed_at=datetime(2024, 6, 3))
    first = make_bundle(registration)
    make_bundle(registration)

    assert bundles.current_bundle(registration, TODAY).id == first.id


def test_current_bundle_reused(registration):
    first = bundles.current_bundle(registration, TODAY)

    assert bundles.current_bundle(registration, TODAY).id == first.id
    assert len(registration.bundles) == 1


def test_add_codes_attaches_without_state_change(bundle, codes, world):
    change = bundles.add_codes(bundle, ["rvz00998", "RVZ0 0999", "RVZ01000"], world.rosa)

    assert change.changed == ["RVZ00998", "RVZ00999", "RVZ01000"]
    assert not change.failed
    assert held(bundle) == ["RVZ00998", "RVZ00999", "RVZ01000"]
    assert {voucher.currentstate for voucher in codes} == {"dispatched"}


def test_add_codes_reports_each_refusal(registration, bundle, world):
    other = make_registration(world.elm, ("Ola Ray",))
    other_bundle = bundles.current_bundle(other, TODAY)
    collected = make_bundle(other, disbursed_at=datetime(2024, 6, 3))
    make_vouchers(world.northshire, ["RVZ00001"], state="printed")
    make_vouchers(world.northshire, ["RVZ00002"], bundle_id=other_bundle.id)
    make_vouchers(world.northshire, ["RVZ00003"], bundle_id=collected.id)
    make_vouchers(world.northshire, ["RVZ00004"], state="recorded")
    make_vouchers(world.northshire, ["RVZ00005"], state="retired")

    change = bundles.add_codes(
        bundle, ["RVZ00001", "RVZ00002", "RVZ00003", "RVZ00004", "RVZ00005", "RVZ77777"], world.rosa
    )

    assert change.changed == ["RVZ00001"]
    assert change.bundled == {"RVZ00002": other.id}
    assert change.disbursed == ["RVZ00003"]
    assert change.used == ["RVZ00004", "RVZ00005"]
    assert change.invalid == ["RVZ77777"]
    assert held(bundle) == ["RVZ00001"]
    assert held(other_bundle) == ["RVZ00002"]


def test_add_codes_refuses_vouchers_of_another_area(bundle, codes, world):
    make_vouchers(world.westmoor, ["RVA00001"])

    change = bundles.add_codes(bundle, ["RVA00001", "RVZ00998"], world.rosa)

    assert change.other_area == ["RVA00001"]
    assert change.changed == ["RVZ00998"]
    assert change.failed
    assert held(bundle) == ["RVZ00998"]


def test_sync_with_other_area_refused(bundle, codes, world):
    make_vouchers(world.westmoor, ["RVA00001"])
    bundles.add_codes(bundle, ["RVZ00998"], world.rosa)

    with pytest.raises(bundles.BundleSyncFailed) as raised:
        bundles.sync_codes(bundle, ["RVZ00999", "RVA00001"], world.rosa)

    assert raised.value.change.other_area == ["RVA00001"]


def test_add_codes_skips_codes_already_held(bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998"], world.rosa)

    change = bundles.add_codes(bundle, ["RVZ00998", "RVZ00999"], world.rosa)

    assert change.changed == ["RVZ00999"]
    assert change.already == ["RVZ00998"]
    assert not change.failed


def test_add_codes_matches_lower_case_stored_code(bundle, world):
    make_vouchers(world.northshire, ["rvz00042"])

    change = bundles.add_codes(bundle, ["RVZ00042"], world.rosa)

    assert change.changed == ["RVZ00042"]
    assert held(bundle) == ["rvz00042"]


def test_add_codes_ignores_soft_deleted_voucher(bundle, world):
    make_vouchers(world.northshire, ["RVZ00043"], deleted_at=datetime(2024, 1, 1))

    change = bundles.add_codes(bundle, ["RVZ00043"], world.rosa)

    assert change.invalid == ["RVZ00043"]


def test_expand_codes_pads_to_start_width():
    assert bundles.expand_codes("RVZ0998", "RVZ1001", 100) == ["RVZ0998", "RVZ0999", "RVZ1000", "RVZ1001"]
    assert bundles.expand_codes("RVZ00998", None, 100) == ["RVZ00998"]
    assert bundles.expand_codes("RVZ00998", "", 100) == ["RVZ00998"]


def test_expand_codes_rejects_more_than_maximum():
    with pytest.raises(bundles.TooManyVouchers) as raised:
        bundles.expand_codes("RVB00001", "RVB00101", 100)

    assert raised.value.count == 101
    assert "Failed adding more than 100 vouchers" in str(raised.value)


def test_expand_codes_huge_range_is_not_built():
    with pytest.raises(bundles.TooManyVouchers) as raised:
        bundles.expand_codes("RVB0", "RVB999999999999", 100)

    assert raised.value.count == 1000000000000


def test_remove_vouchers_detaches_one(bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998", "RVZ00999", "RVZ01000"], world.rosa)

    change = bundles.remove_vouchers(bundle, [codes[1].id], world.rosa)

    assert change.changed == ["RVZ00999"]
    assert held(bundle) == ["RVZ00998", "RVZ01000"]
    db_voucher = db.session.get(Voucher, codes[1].id)
    assert db_voucher.bundle_id is None
    assert db_voucher.currentstate == "dispatched"


def test_remove_vouchers_refuses_voucher_of_other_bundle(bundle, codes, world):
    other = bundles.current_bundle(make_registration(world.elm, ("Ola Ray",)), TODAY)
    bundles.add_codes(other, ["RVZ00998"], world.rosa)

    change = bundles.remove_vouchers(bundle, [codes[0].id], world.rosa)

    assert change.changed == []
    assert change.not_in_bundle == ["RVZ00998"]
    assert held(other) == ["RVZ00998"]


def test_remove_vouchers_refuses_used_voucher(bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998"], world.rosa)
    codes[0].currentstate = "recorded"
    db.session.flush()

    change = bundles.remove_vouchers(bundle, [codes[0].id], world.rosa)

    assert change.used == ["RVZ00998"]
    assert held(bundle) == ["RVZ00998"]


def test_remove_all_keeps_used_vouchers(bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998", "RVZ00999", "RVZ01000"], world.rosa)
    codes[2].currentstate = "recorded"
    db.session.flush()

    change = bundles.remove_all(bundle, world.rosa)

    assert change.changed == ["RVZ00998", "RVZ00999"]
    assert change.used == ["RVZ01000"]
    assert held(bundle) == ["RVZ01000"]


def test_sync_codes_replaces_contents(bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998", "RVZ00999"], world.rosa)

    change = bundles.sync_codes(bundle, ["RVZ00999", "rvz01000"], world.rosa)

    assert change.changed == ["RVZ00998", "RVZ01000"]
    assert held(bundle) == ["RVZ00999", "RVZ01000"]


def test_sync_codes_empty_list_empties_bundle(bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998", "RVZ00999"], world.rosa)

    bundles.sync_codes(bundle, [""], world.rosa)

    assert held(bundle) == []


def test_sync_codes_with_refusal_raises(bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998"], world.rosa)

    with pytest.raises(bundles.BundleSyncFailed) as raised:
        bundles.sync_codes(bundle, ["RVZ00999", "NOPE00001"], world.rosa)

    assert raised.value.change.invalid == ["NOPE00001"]
    assert raised.value.change.changed == ["RVZ00998", "RVZ00999"]


def test_disburse_records_collection(registration, bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998", "RVZ00999"], world.rosa)
    collector = registration.family.carers[1]

    count = bundles.disburse(bundle, collector, world.elm, date(2024, 6, 10), world.rosa)

    assert count == 2
    assert bundle.disbursed_at == datetime(2024, 6, 10, 0, 0)
    assert bundle.collecting_carer_id == collector.id
    assert bundle.disbursing_centre_id == world.elm.id
    assert bundle.disbursing_user_id == world.rosa.id
    assert {voucher.currentstate for voucher in codes[:2]} == {"dispatched"}
    assert bundles.current_bundle(registration, TODAY).id != bundle.id


def test_disburse_empty_bundle_refused(registration, bundle, world):
    with pytest.raises(bundles.EmptyBundle) as raised:
        bundles.disburse(bundle, registration.family.carers[0], world.elm, TODAY, world.rosa)

    assert str(raised.value).startswith("Action denied on empty bundle")
    assert bundle.disbursed_at is None


def test_disburse_refuses_carer_of_other_family(bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998"], world.rosa)
    stranger = make_registration(world.elm, ("Ola Ray",)).family.carers[0]

    with pytest.raises(bundles.InvalidCollection):
        bundles.disburse(bundle, stranger, world.elm, TODAY, world.rosa)

    assert bundle.disbursed_at is None


def test_disburse_refuses_deleted_carer(registration, bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998"], world.rosa)
    collector = registration.family.carers[1]
    collector.deleted_at = datetime(2024, 6, 1)

    with pytest.raises(bundles.InvalidCollection):
        bundles.disburse(bundle, collector, world.elm, TODAY, world.rosa)


def test_disburse_refuses_centre_not_of_user(registration, bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998"], world.rosa)

    with pytest.raises(bundles.InvalidCollection):
        bundles.disburse(bundle, registration.family.carers[0], world.oak, TODAY, world.rosa)


def test_changes_to_collected_bundle_refused(registration, bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998"], world.rosa)
    bundles.disburse(bundle, registration.family.carers[0], world.elm, TODAY, world.rosa)

    for action in (
        lambda: bundles.add_codes(bundle, ["RVZ00999"], world.rosa),
        lambda: bundles.remove_all(bundle, world.rosa),
        lambda: bundles.disburse(bundle, registration.family.carers[0], world.elm, TODAY, world.rosa),
    ):
        with pytest.raises(bundles.BundleAlreadyCollected):
            action()
    assert held(bundle) == ["RVZ00998"]


def test_moving_out_of_collected_bundle_refused(registration, bundle, codes, world):
    bundles.add_codes(bundle, ["RVZ00998", "RVZ00999"], world.rosa)
    bundles.disburse(bundle, registration.family.carers[0], world.elm, TODAY, world.rosa)
    other = bundles.current_bundle(make_registration(world.elm, ("Ola Ray",)), TODAY)

    change = bundles.add_codes(other, ["RVZ00998", "RVZ00999"], world.rosa)

    assert change.disbursed == ["RVZ00998", "RVZ00999"]
    assert held(other) == []
    assert held(bundle) == ["RVZ00998", "RVZ00999"]


def collected(registration, on, count, world, carer=None, centre=None):
    bundle = make_bundle(
        registration,
        disbursed_at=datetime.combine(on, datetime.min.time()),
        collecting_carer_id=(carer or registration.family.carers[0]).id,
        disbursing_centre_id=(centre or world.elm).id,
        disbursing_user_id=world.rosa.id,
    )
    numbers = sa.select(sa.func.count(Voucher.id))
    start = db.session.scalar(numbers) + 50000
    make_vouchers(world.northshire, [f"RVZ{start + n:07d}" for n in range(count)], bundle_id=bundle.id)
    return bundle


def test_collection_weeks_from_first_collection(registration, world):
    collected(registration, date(2024, 5, 21), 3, world)  # Tuesday, week of 20 May
    collected(registration, date(2024, 6, 3), 4, world)  # Monday, week of 3 June
    collected(registration, date(2024, 6, 7), 2, world)  # Friday, same week
    collected(registration, date(2024, 6, 20), 5, world)  # after the current week: left out

    weeks = bundles.collection_weeks(registration, TODAY)

    assert [week.monday for week in weeks] == [date(2024, 6, 10), date(2024, 6, 3), date(2024, 5, 27), date(2024, 5, 20)]
    assert [week.total for week in weeks] == [0, 6, 0, 3]
    assert [c.collected_on for c in weeks[1].collections] == [date(2024, 6, 7), date(2024, 6, 3)]
    assert weeks[3].collections[0].centre_name == "Elm Street"
    assert weeks[3].collections[0].user_name == "Rosa Lind"
    assert weeks[3].collections[0].carer_name == "Tess Ward"


def test_collection_weeks_empty_when_never_collected(registration):
    assert bundles.collection_weeks(registration, TODAY) == []


def test_collection_marks_deleted_carer(registration, world):
    helper = registration.family.carers[1]
    collected(registration, date(2024, 6, 11), 1, world, carer=helper)
    helper.deleted_at = datetime(2024, 6, 11, 12, 0)
    helper.name = "Deleted"
    db.session.flush()

    [collection] = bundles.collections(registration, TODAY)

    assert collection.carer_deleted is True


def test_last_collection_ignores_future_bundles(registration, world):
    collected(registration, date(2024, 6, 3), 1, world)
    collected(registration, TODAY + timedelta(days=2), 1, world)

    assert bundles.last_collection(registration, TODAY) == date(2024, 6, 3)


def test_current_bundle_uses_today_by_default(registration):
    bundle = bundles.current_bundle(registration)

    assert bundle.entitlement == bundles.weekly_entitlement(registration, clock.today())
    assert db.session.get(Bundle, bundle.id) is bundle


def test_expand_codes_single_code_of_any_shape():
    assert bundles.expand_codes("aaaaa", None, 100) == ["AAAAA"]


def test_expand_codes_rejects_malformed_range():
    with pytest.raises(bundles.NotAVoucherRange):
        bundles.expand_codes("AAAAA", "RVZ00002", 100)
