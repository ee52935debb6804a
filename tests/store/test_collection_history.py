"""The full collection history page and the last-collection line of the voucher manager."""

from datetime import date, datetime, timedelta

import pytest

from arc import clock
from arc.extensions import db
from arc.store.history import long_date, ordinal
from tests.admin.people_data import parse
from tests.store.voucher_data import log_in, make_bundle, make_registration, make_vouchers, make_world, monday_of


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def registration(world):
    return make_registration(world.elm, ("Tess Ward", "Kit Moss"), dobs=(date(2022, 11, 1),))


@pytest.fixture
def rosa(store_client, world):
    return log_in(store_client, world.rosa)


def history_url(registration):
    return f"/registrations/{registration.id}/collection-history"


_numbers = iter(range(10000, 99999))


def collected(world, registration, on, count, carer=None, user=None):
    bundle = make_bundle(
        registration,
        disbursed_at=datetime.combine(on, datetime.min.time()),
        collecting_carer_id=(carer or registration.family.carers[0]).id,
        disbursing_centre_id=world.elm.id,
        disbursing_user_id=(user or world.rosa).id,
    )
    make_vouchers(world.northshire, [f"RVZ{next(_numbers):05d}" for _ in range(count)], bundle_id=bundle.id)
    return bundle


@pytest.mark.parametrize(
    ("day", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (31, "31st")]
)
def test_ordinal_suffixes(day, text):
    assert ordinal(day) == text


def test_long_date_wording():
    assert long_date(date(2024, 6, 4)) == "Tuesday 4th June 2024"
    assert long_date(date(2024, 6, 14), with_of=True) == "Friday 14th of June 2024"


def test_history_of_family_that_never_collected(rosa, registration):
    response = rosa.get(history_url(registration))

    assert response.status_code == 200
    page = parse(response)
    assert page.one("h1").text == "Full Collection History"
    assert "This family has not collected." in page.text
    assert "Tess Ward" in page.text


def test_history_lists_every_week_newest_first(rosa, world, registration):
    this_monday = monday_of(clock.today())
    collected(world, registration, this_monday - timedelta(weeks=2) + timedelta(days=1), 3)
    collected(world, registration, this_monday, 4, carer=registration.family.carers[1])
    collected(world, registration, this_monday + timedelta(weeks=1), 9)  # next week: not listed

    page = parse(rosa.get(history_url(registration)))

    rows = page.one("table").select("tr")[1:]
    weeks = [(this_monday - timedelta(weeks=n)).strftime("%d-%m-%y") for n in range(3)]
    assert [row.select("td")[0].text.split(" ")[0] for row in rows] == weeks
    assert [row.select("td")[1].text for row in rows] == ["4", "0", "3"]
    assert [len(row.select("details")) for row in rows] == [1, 0, 1]
    latest = rows[0].one("details").text
    assert f"Date Collected: {long_date(this_monday)}" in latest
    assert "Collected At: Elm Street" in latest
    assert "Collected By: Kit Moss" in latest
    assert "Allocated By: Rosa Lind" in latest


def test_history_marks_deleted_carer(rosa, world, registration):
    helper = registration.family.carers[1]
    collected(world, registration, monday_of(clock.today()), 2, carer=helper)
    helper.name = "Deleted"
    helper.deleted_at = datetime.now()
    db.session.flush()

    response = rosa.get(history_url(registration))

    assert response.status_code == 200
    assert "Collected By: Deleted Carer" in parse(response).one("details").text


def test_history_forbidden_for_other_area(store_client, world, registration):
    log_in(store_client, world.uma)

    assert store_client.get(history_url(registration)).status_code == 403


def test_history_unknown_registration_is_404(rosa):
    assert rosa.get("/registrations/999999/collection-history").status_code == 404


def test_manager_shows_last_collection(rosa, world, registration):
    last = clock.today() - timedelta(days=3)
    collected(world, registration, last - timedelta(days=7), 2)
    collected(world, registration, last, 2)
    collected(world, registration, clock.today() + timedelta(days=5), 2)  # in the future: not yet

    page = parse(rosa.get(f"/registrations/{registration.id}/voucher-manager"))

    assert f"Their last collection was: {long_date(last, with_of=True)}" in page.one(id="collection-history").text
