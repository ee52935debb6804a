"""The registrations summary spreadsheet: who may download it, its scope, columns, values and row order."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from arc import clock
from arc.extensions import db
from arc.registrations import exports
from arc.registrations.entitlements import rules_for_registration
from tests import factories
from tests.store.voucher_data import log_in, make_bundle, make_registration, make_vouchers, make_world

STANDARD_FULL_HEADER_START = ["RVID", "Area", "Centre", "Primary Carer", "Entitlement", "Last Collection", "Active"]
STANDARD_TAIL = [
    "Join Date", "Leaving Date", "Leaving Reason", "Rejoin Date", "Days on programme", "Leave Count", "Due Date",
    "Total Children", "Eligible Children", "Family Eligibility (HSBS)", "Family Eligibility (NRPF)", "Eligible From",
    "Ethnicity", "Main Language", "Other Language",
]
HOUSEHOLD_EXCLUDED = [
    "Total Children", "Eligible Children", "Family Eligibility (HSBS)", "Family Eligibility (NRPF)", "Eligible From",
    "Due Date",
]


@pytest.fixture
def world(db):
    return make_world()


def months_ago(months, years=0):
    return clock.today().replace(day=1) - relativedelta(months=months, years=years)


_numbers = iter(range(20000, 99999))


def collected(world, registration, at, count, sponsor=None):
    bundle = make_bundle(registration, disbursed_at=at, disbursing_centre_id=registration.centre_id)
    sponsor = sponsor or world.northshire
    make_vouchers(sponsor, [f"{sponsor.shortcode}{next(_numbers):05d}" for _ in range(count)], bundle_id=bundle.id)
    return bundle


def rows_of(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def header_of(response):
    return next(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def populated(world):
    """15 families at Elm Street and 12 households at Quay House, each with one collection today."""
    today = datetime.combine(clock.today(), datetime.min.time())
    for number in range(15):
        registration = make_registration(world.elm, (f"Carer {number:02d}",), dobs=(months_ago(14 + number),))
        collected(world, registration, today + timedelta(hours=8 + number % 9), 3 * (1 + number % 3))
    for number in range(12):
        household = make_registration(
            world.quay,
            (f"Participant {number:02d}",),
            dobs=((months_ago(0, years=40), {"is_pri_carer": True}), months_ago(3, years=9)),
        )
        collected(world, household, today + timedelta(hours=8 + number % 9), 3 * (1 + number % 3), world.riverside)
    return world


def test_all_centre_export_standard(store_client, populated):
    log_in(store_client, populated.fran)

    response = store_client.get("/centres/registrations/summary")

    assert response.is_streamed
    assert re.fullmatch(r'attachment; filename="RegSummary_\d{14}\.csv"', response.headers["Content-Disposition"])
    assert "no-cache" in response.headers["Cache-Control"]
    header = header_of(response)
    assert header == STANDARD_FULL_HEADER_START + ["Child 1 DoB"] + STANDARD_TAIL + ["Date file was Downloaded"]
    rows = rows_of(response)
    assert len(rows) == 15
    assert {row["Centre"] for row in rows} == {"Elm Street"}
    assert [row["Primary Carer"] for row in rows] == [f"Carer {number:02d}" for number in range(15)]
    assert {row["Last Collection"] for row in rows} == {clock.today().strftime("%d/%m/%Y")}
    assert {row["Date file was Downloaded"] for row in rows} == {clock.today().isoformat()}
    assert {row["Active"] for row in rows} == {"true"}


def test_all_centre_export_household_programme(store_client, populated):
    log_in(store_client, populated.fran)

    response = store_client.get("/centres/registrations/summary?programme=1")

    header = header_of(response)
    for name in ["RVID", "Area", "Centre", "Main Participant", "Entitlement", "Last Collection",
                 "Eligible Household Members", "Main Participant DoB", "Join Date", "Leaving Date", "Leaving Reason",
                 "Rejoin Date", "Leave Count", "Days on programme"]:
        assert name in header
    for name in HOUSEHOLD_EXCLUDED:
        assert name not in header
    assert header[:8] == ["RVID", "Area", "Centre", "Main Participant", "Entitlement", "Last Collection", "Active",
                          "Main Participant DoB"]
    assert header[8] == "Household member 1 DoB"
    rows = rows_of(response)
    assert len(rows) == 12
    assert {row["Centre"] for row in rows} == {"Quay House"}
    assert [row["Main Participant"] for row in rows] == [f"Participant {number:02d}" for number in range(12)]
    assert {row["Entitlement"] for row in rows} == {"17"}
    assert {row["Eligible Household Members"] for row in rows} == {"1"}


def test_all_centre_export_rejects_unknown_programme(store_client, world):
    log_in(store_client, world.fran)

    assert store_client.get("/centres/registrations/summary?programme=7").status_code == 400
    assert store_client.get("/centres/registrations/summary?programme=abc").status_code == 400


@pytest.mark.parametrize(("user", "status"), [("rosa", 403), ("dev", 403), ("fran", 200)])
def test_all_centre_export_is_for_foodmatters_users(store_client, populated, user, status):
    log_in(store_client, getattr(populated, user))

    assert store_client.get("/centres/registrations/summary").status_code == status


@pytest.mark.parametrize(("user", "status"), [("rosa", 403), ("dev", 200), ("fran", 200), ("uma", 403)])
def test_centre_export_needs_downloader_of_the_area(store_client, populated, user, status):
    log_in(store_client, getattr(populated, user))

    assert store_client.get(f"/centres/{populated.elm.id}/registrations/summary").status_code == status


@pytest.mark.parametrize("url", ["/centres/registrations/summary", "/centres/1/registrations/summary"])
def test_exports_send_guests_to_login(store_client, url):
    response = store_client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_centre_export_exports_that_centre_only(store_client, populated):
    make_registration(populated.oak, ("Oak Family",), dobs=(months_ago(20),))
    log_in(store_client, populated.dev)

    response = store_client.get(f"/centres/{populated.elm.id}/registrations/summary")

    rows = rows_of(response)
    assert len(rows) == 15
    assert {row["Centre"] for row in rows} == {"Elm Street"}
    header = header_of(response)
    assert "Active" not in header
    assert "Date file was Downloaded" not in header
    assert re.fullmatch(r"\d{2}/\d{4}", rows[0]["Child 1 DoB"])


def test_centre_export_for_foodmatters_user_is_that_centre(store_client, populated):
    make_registration(populated.oak, ("Oak Family",), dobs=(months_ago(20),))
    log_in(store_client, populated.fran)

    rows = rows_of(store_client.get(f"/centres/{populated.oak.id}/registrations/summary"))

    assert [row["Primary Carer"] for row in rows] == ["Oak Family"]
    assert rows[0]["Active"] == "true"


def test_centre_export_without_registrations_redirects(store_client, world):
    lonely = factories.make_centre(world.northshire, name="New Centre")
    log_in(store_client, factories.make_centre_user(lonely, name="Dora Downloader", downloader=True))

    response = store_client.get(f"/centres/{lonely.id}/registrations/summary")

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    followed = store_client.get("/dashboard")
    assert followed.status_code == 200
    assert "No Registrations in that centre." in followed.get_data(as_text=True)


def test_row_values_of_a_family(store_client, world):
    today = clock.today()
    joined = datetime(2023, 2, 6, 10, 30)
    registration = make_registration(
        world.elm,
        ("Zoë O'Neill-Ash", "Kit Moss"),
        dobs=(
            months_ago(3),                 # under one: earns 6
            months_ago(0, years=2),        # toddler: earns 4
            months_ago(0, years=7),        # primary school age: disqualified
            months_ago(0, years=13),       # secondary school age: earns nothing
            months_ago(-3),                # pregnancy: due in 3 months
        ),
        eligibility_hsbs="healthy-start-receiving",
        eligibility_nrpf="no",
        eligible_from=datetime(2023, 2, 6, 10, 30),
        created_at=joined,
    )
    main = registration.family.carers[0]
    main.ethnicity, main.language = "WBRI", "Polish"
    db.session.flush()
    log_in(store_client, world.fran)

    [row] = rows_of(store_client.get("/centres/registrations/summary"))

    assert row["RVID"] == registration.family.rvid
    assert row["Area"] == "Northshire"
    assert row["Primary Carer"] == "Zoë O'Neill-Ash"
    assert row["Entitlement"] == "14"
    assert row["Last Collection"] == ""
    born = [months_ago(3), months_ago(0, years=2), months_ago(0, years=7), months_ago(0, years=13)]
    assert [row[f"Child {n} DoB"] for n in range(1, 5)] == [
        (dob + relativedelta(day=31)).strftime("%d/%m/%Y") for dob in born
    ]
    assert row["Due Date"] == months_ago(-3).strftime("%d/%m/%Y")
    assert row["Total Children"] == "4"
    assert row["Eligible Children"] == "2"
    assert row["Family Eligibility (HSBS)"] == "healthy-start-receiving"
    assert row["Family Eligibility (NRPF)"] == "No"
    assert row["Eligible From"] == "06/02/2023"
    assert row["Join Date"] == "06/02/2023"
    assert row["Leaving Date"] == row["Leaving Reason"] == row["Rejoin Date"] == ""
    assert row["Leave Count"] == "0"
    assert row["Days on programme"] == str((today - joined.date()).days)
    assert row["Ethnicity"] == "White - British"
    assert (row["Main Language"], row["Other Language"]) == ("other", "polish")
    assert row["Active"] == "false"


@pytest.mark.parametrize(
    ("ethnicity", "language", "expected"),
    [
        (None, None, ("Not answered", "not answered", "")),
        ("0", "english", ("Not answered", "english", "")),
        ("ABAN", "English", ("Asian/Asian British - Bangladeshi", "english", "")),
    ],
)
def test_row_demographics(world, ethnicity, language, expected):
    registration = make_registration(world.elm)
    main = registration.family.carers[0]
    main.ethnicity, main.language = ethnicity, language

    row = summary_row(registration)

    assert (row["Ethnicity"], row["Main Language"], row["Other Language"]) == expected


def summary_row(registration, full=True):
    layout = exports.SummaryLayout(programme=registration.centre.sponsor.programme, full=full)
    return exports.summary_row(registration, rules_for_registration(registration), None, layout, clock.today())


def test_row_of_family_that_left_and_came_back(world):
    registration = make_registration(
        world.elm,
        created_at=datetime(2024, 1, 1, 9, 0),
        family_fields={
            "leaving_on": datetime(2024, 1, 11, 9, 0),
            "leaving_reason": "found employment",
            "rejoin_on": datetime.combine(clock.today() - timedelta(days=5), datetime.min.time()),
            "leave_amount": 1,
        },
    )

    row = summary_row(registration)

    assert row["Leaving Date"] == "11/01/2024"
    assert row["Leaving Reason"] == "found employment"
    assert row["Leave Count"] == 1
    assert row["Days on programme"] == 10 + 5


def test_active_until_friday_of_fourth_week(world):
    registration = make_registration(world.elm)
    wednesday = datetime(2024, 1, 10, 14, 0)

    assert exports._is_active(registration, wednesday, date(2024, 2, 9)) is True
    assert exports._is_active(registration, wednesday, date(2024, 2, 10)) is False


def test_rows_ordered_by_area_centre_collection_and_name(store_client, world):
    today = datetime.combine(clock.today(), datetime.min.time())
    make_registration(world.oak, ("Abe Oak",))
    late = make_registration(world.elm, ("Amy Late",))
    early = make_registration(world.elm, ("Zed Early",))
    make_registration(world.elm, ("bob Never",))
    make_registration(world.elm, ("Ann Never",))
    collected(world, late, today - timedelta(days=1), 1)
    collected(world, early, today - timedelta(days=20), 1)
    log_in(store_client, world.fran)

    rows = rows_of(store_client.get("/centres/registrations/summary"))

    assert [row["Primary Carer"] for row in rows] == ["Ann Never", "bob Never", "Zed Early", "Amy Late", "Abe Oak"]


def test_header_fits_family_with_most_children(store_client, world):
    make_registration(world.elm, ("One Child",), dobs=(months_ago(10),))
    make_registration(world.elm, ("Three Children",), dobs=(months_ago(10), months_ago(30), months_ago(50)))
    log_in(store_client, world.fran)

    response = store_client.get("/centres/registrations/summary")

    header = header_of(response)
    assert [name for name in header if name.endswith("DoB")] == ["Child 1 DoB", "Child 2 DoB", "Child 3 DoB"]
    rows = {row["Primary Carer"]: row for row in rows_of(response)}
    assert rows["One Child"]["Child 2 DoB"] == ""
    assert rows["Three Children"]["Child 3 DoB"] != ""
