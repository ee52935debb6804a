"""The nightly Master Voucher Log: ``flask arc mvl report`` and the rows it writes."""

from datetime import datetime

import pytest

from arc import clock
from arc.exports import mvl, queries
from arc.exports.columns import HEADERS
from arc.vouchers.models import Voucher
from tests import factories
from tests.exports import builders
from tests.exports.helpers import decrypt_file, parse_csv, read_report, read_zip

EXPECTED_HEADERS = [
    "Voucher Number",
    "Voucher Area",
    "Date Distributed",
    "Distributed to Centre",
    "Distributed to Area",
    "Waiting for collection",
    "Date Issued",
    "RVID",
    "Main Carer",
    "Disbursing Centre",
    "Date Trader Recorded Voucher",
    "Retailer Name",
    "Retail Outlet",
    "Trader's Area",
    "Date Received for Reimbursement",
    "Reimbursed Date",
    "Void Voucher Date",
    "Void Reason",
    "Date file was Downloaded",
]


def run_report(runner, *options):
    result = runner.invoke(args=["arc", "mvl", "report", "--force", *options])
    assert result.exit_code == 0, result.output
    return result


def today():
    return clock.today().strftime("%d/%m/%Y")


@pytest.fixture
def area(db):
    return factories.make_sponsor(shortcode="RVNT", name="Real Virtual Project")


@pytest.fixture
def delivery(db):
    centre = factories.make_centre(factories.make_sponsor(name="Delivery Area"), name="Hennigan Centre")
    return builders.make_delivery(centre, datetime(2024, 1, 10, 9, 30))


@pytest.fixture
def trader(db):
    market = factories.make_market(factories.make_sponsor(name="Market Area"), name="McFarlane Range")
    return factories.make_trader(market, name="Armadillo general store")


def test_headers_are_reference_headers():
    assert list(HEADERS) == EXPECTED_HEADERS


def test_report_writes_full_row(app, runner, mvl_folders, area, delivery, trader):
    family_centre = factories.make_centre(name="Family Centre", prefix="ABCDE")
    family = builders.make_family(family_centre, ["Zoë O'Neill-Ash", "Second Carer"], sequence=7)
    bundle = builders.make_bundle(
        family, family_centre, datetime(2024, 1, 17, 15, 0), factories.make_centre(name="Disbursing Centre")
    )
    builders.make_traded_voucher(
        "RVNT00001", area, trader,
        ("recorded", datetime(2024, 2, 1, 10, 0)),
        ("payment_pending", datetime(2024, 2, 3, 11, 0)),
        ("reimbursed", datetime(2024, 2, 10, 12, 0)),
        delivery_id=delivery.id, bundle_id=bundle.id,
    )

    result = run_report(runner)

    assert result.output == ""
    report = read_report(app, mvl_folders)
    row = [
        "RVNT00001", "Real Virtual Project", "10/01/2024", "Hennigan Centre", "Delivery Area", "False",
        "17/01/2024", "ABCDE0007", "Zoë O'Neill-Ash", "Disbursing Centre", "01/02/2024",
        "Armadillo general store", "McFarlane Range", "Market Area", "03/02/2024", "10/02/2024", "", "", today(),
    ]
    assert report == {
        "PART1.csv": [EXPECTED_HEADERS, row],
        "Real_Virtual_Project.csv": [EXPECTED_HEADERS, row],
    }


def test_report_csv_starts_with_header_line(app, runner, mvl_folders, area, delivery):
    factories.make_voucher(code="RVNT00001", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)

    run_report(runner, "--plain")

    part = read_zip((mvl_folders.parent / "mvl-plain" / "MVLReport.zip").read_bytes())["PART1.csv"]
    assert part[0] == EXPECTED_HEADERS
    assert not (mvl_folders / "MVLReport.zip").exists()


def test_report_selects_vouchers(app, runner, mvl_folders, area, delivery, trader):
    factories.make_voucher(code="RVNT00001", sponsor=area)
    factories.make_voucher(code="RVNT00002", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)
    factories.make_voucher(
        code="RVNT00003", sponsor=area, currentstate="dispatched", delivery_id=delivery.id, deleted_at=clock.now()
    )
    retired = factories.make_voucher(code="RVNT00004", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)
    builders.add_history(retired, ("voided", datetime(2024, 3, 1)), ("retired", datetime(2024, 3, 1)))
    voided = factories.make_voucher(code="RVNT00005", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)
    builders.add_history(voided, ("voided", datetime(2024, 3, 2)))
    builders.make_traded_voucher(
        "RVNT00006", area, trader, ("recorded", datetime(2023, 8, 1)), ("reimbursed", datetime(2023, 8, 31, 23, 59))
    )
    builders.make_traded_voucher(
        "RVNT00007", area, trader, ("recorded", datetime(2023, 8, 1)), ("reimbursed", datetime(2023, 9, 1, 0, 0))
    )
    rejected = factories.make_voucher(code="RVNT00008", sponsor=area)
    builders.add_history(rejected, ("recorded", datetime(2024, 4, 1)))
    rejected.currentstate = "printed"

    run_report(runner)

    rows = read_report(app, mvl_folders)["PART1.csv"][1:]
    assert [row[0] for row in rows] == ["RVNT00008", "RVNT00007", "RVNT00005", "RVNT00002"]
    assert rows[2][16:18] == ["02/03/2024", "voided"]
    assert rows[0][10] == "01/04/2024"


def test_cutoff_date_is_a_setting(app, runner, mvl_folders, monkeypatch, area, trader):
    builders.make_traded_voucher("RVNT00001", area, trader, ("reimbursed", datetime(2024, 5, 1)))
    builders.make_traded_voucher("RVNT00002", area, trader, ("reimbursed", datetime(2024, 6, 1)))
    monkeypatch.setitem(app.config, "ARC_MVL_CUTOFF_DATE", "2024-06-01")

    run_report(runner)

    assert [row[0] for row in read_report(app, mvl_folders)["PART1.csv"][1:]] == ["RVNT00002"]


def test_history_dates_follow_rules(app, runner, mvl_folders, area, trader):
    builders.make_traded_voucher(
        "RVNT00001", area, trader,
        ("recorded", datetime(2024, 2, 15)),
        ("recorded", datetime(2024, 2, 1)),
        ("payment_pending", datetime(2024, 1, 5)),
        ("payment_pending", datetime(2023, 12, 20)),
        ("reimbursed", datetime(2024, 3, 1)),
        ("reimbursed", datetime(2024, 2, 28)),
    )

    run_report(runner)

    row = read_report(app, mvl_folders)["PART1.csv"][1]
    assert row[10] == "01/02/2024"  # the recorded row with the highest id
    assert row[14] == "20/12/2023"  # the earliest date, not the smallest dd/mm/yyyy text
    assert row[15] == "28/02/2024"  # the reimbursed row with the highest id


@pytest.mark.parametrize(
    ("disbursed_at", "expected"),
    [(None, ["True", ""]), (datetime(2024, 1, 17), ["False", "17/01/2024"])],
)
def test_waiting_for_collection_follows_bundle(app, runner, mvl_folders, area, disbursed_at, expected):
    centre = factories.make_centre(prefix="ABCDE")
    bundle = builders.make_bundle(builders.make_family(centre, sequence=12345), centre, disbursed_at)
    factories.make_voucher(code="RVNT00001", sponsor=area, currentstate="dispatched", bundle_id=bundle.id)

    run_report(runner)

    row = read_report(app, mvl_folders)["PART1.csv"][1]
    assert row[5:8] == [*expected, "ABCDE12345"]


def test_voucher_without_bundle_is_not_waiting(app, runner, mvl_folders, area, delivery):
    factories.make_voucher(code="RVNT00001", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)

    run_report(runner)

    row = read_report(app, mvl_folders)["PART1.csv"][1]
    assert row[5:10] == ["", "", "", "", ""]


def test_parts_split_at_row_limit(app, runner, mvl_folders, monkeypatch, delivery):
    first, second = factories.make_sponsor(name="North  Area"), factories.make_sponsor(name="South/East Area")
    for number in range(1, 6):
        factories.make_voucher(
            code=f"RVNT0000{number}", sponsor=first if number % 2 else second,
            currentstate="dispatched", delivery_id=delivery.id,
        )
    monkeypatch.setitem(app.config, "ARC_MVL_ROW_LIMIT", 2)

    run_report(runner)

    report = read_report(app, mvl_folders)
    assert list(report) == ["PART1.csv", "PART2.csv", "PART3.csv", "North_Area.csv", "South_East_Area.csv"]
    assert [[row[0] for row in report[name]] for name in report] == [
        ["Voucher Number", "RVNT00005", "RVNT00004"],
        ["Voucher Number", "RVNT00003", "RVNT00002"],
        ["Voucher Number", "RVNT00001"],
        ["Voucher Number", "RVNT00005", "RVNT00003", "RVNT00001"],
        ["Voucher Number", "RVNT00004", "RVNT00002"],
    ]


def test_empty_report_is_empty_zip(app, runner, mvl_folders, area):
    factories.make_voucher(code="RVNT00001", sponsor=area)

    run_report(runner)

    assert read_report(app, mvl_folders) == {}


def test_paging_reads_every_voucher_once(db, area, delivery):
    for number in range(1, 8):
        factories.make_voucher(
            code=f"RVNT0000{number}", sponsor=area, currentstate="dispatched", delivery_id=delivery.id
        )

    all_at_once = [record.code for record in queries.iter_records()]
    in_pages = [record.code for record in queries.iter_records(page_size=3)]

    assert in_pages == all_at_once
    assert all_at_once == [f"RVNT0000{number}" for number in range(7, 0, -1)]


@pytest.mark.parametrize("selected", [("RVNT00001", "RVNT00002"), ("RVNT00001", "RVNT00009")])
def test_records_carry_own_history(db, area, trader, selected):
    for number in range(1, 10):
        builders.make_traded_voucher(f"RVNT0000{number}", area, trader, ("recorded", datetime(2024, 1, number)))

    records = queries.iter_records(Voucher.code.in_(selected))

    assert [(record.code, record.recorded_at) for record in records] == [
        (code, datetime(2024, 1, int(code[-1]))) for code in reversed(selected)
    ]


def test_no_zip_writes_plain_folder(app, runner, mvl_folders, area, delivery):
    old_area = factories.make_sponsor(name="Old Area")
    old_voucher = factories.make_voucher(
        code="OLD00001", sponsor=old_area, currentstate="dispatched", delivery_id=delivery.id
    )
    run_report(runner, "--plain", "--no-zip")
    old_voucher.deleted_at = clock.now()
    factories.make_voucher(code="RVNT00001", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)

    run_report(runner, "--plain", "--no-zip")

    folder = mvl_folders.parent / "mvl-plain" / "MVLReport"
    assert sorted(path.name for path in folder.iterdir()) == ["PART1.csv", "Real_Virtual_Project.csv"]
    assert [row[0] for row in parse_csv((folder / "PART1.csv").read_bytes())] == ["Voucher Number", "RVNT00001"]
    assert [path.name for path in folder.parent.iterdir()] == ["MVLReport"]


def test_no_zip_needs_plain(runner, mvl_folders):
    result = runner.invoke(args=["arc", "mvl", "report", "--force", "--no-zip"])

    assert result.exit_code == 2
    assert "--no-zip needs --plain" in result.output
    assert not mvl_folders.exists()


def test_declined_confirmation_keeps_previous_report(app, runner, mvl_folders, area, delivery):
    factories.make_voucher(code="RVNT00001", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)
    run_report(runner)
    previous = (mvl_folders / "MVLReport.zip").read_bytes()
    factories.make_voucher(code="RVNT00002", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)

    result = runner.invoke(args=["arc", "mvl", "report"], input="n\n")

    assert result.exit_code == 0
    assert "Nothing was written." in result.output
    assert (mvl_folders / "MVLReport.zip").read_bytes() == previous


def test_confirmed_prompt_writes_report(app, runner, mvl_folders, area, delivery):
    factories.make_voucher(code="RVNT00001", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)

    result = runner.invoke(args=["arc", "mvl", "report"], input="y\n")

    assert result.exit_code == 0, result.output
    assert str(mvl_folders / "MVLReport.zip") in result.output
    assert [row[0] for row in read_report(app, mvl_folders)["PART1.csv"]] == ["Voucher Number", "RVNT00001"]


def test_archive_name_is_a_setting(app, runner, mvl_folders, monkeypatch, area, delivery):
    factories.make_voucher(code="RVNT00001", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)
    monkeypatch.setitem(app.config, "ARC_MVL_FILENAME", "Log.zip")

    run_report(runner)

    assert [path.name for path in mvl_folders.iterdir()] == ["Log.zip"]
    assert list(read_report(app, mvl_folders, "Log.zip")) == ["PART1.csv", "Real_Virtual_Project.csv"]


def test_unusable_folder_fails_clearly(app, runner, mvl_folders, monkeypatch, area):
    mvl_folders.parent.mkdir(exist_ok=True)
    mvl_folders.write_bytes(b"a file where the folder should be")

    result = runner.invoke(args=["arc", "mvl", "report", "--force"])

    assert result.exit_code == 1
    assert "Writing the Master Voucher Log failed" in result.output
    assert mvl_folders.read_bytes() == b"a file where the folder should be"


def test_invalid_cutoff_setting_fails_clearly(app, runner, mvl_folders, monkeypatch):
    monkeypatch.setitem(app.config, "ARC_MVL_CUTOFF_DATE", "01/09/2023")

    result = runner.invoke(args=["arc", "mvl", "report", "--force"])

    assert result.exit_code == 1
    assert "ARC_MVL_CUTOFF_DATE must be a date written as YYYY-MM-DD, not '01/09/2023'" in result.output
    assert not mvl_folders.exists()


def test_report_function_returns_counts(app, db, mvl_folders, area, delivery):
    factories.make_voucher(code="RVNT00001", sponsor=area, currentstate="dispatched", delivery_id=delivery.id)

    result = mvl.write_report()

    assert result.path == str(mvl_folders / "MVLReport.zip")
    assert (result.rows, result.parts, result.areas) == (1, 1, ["Real_Virtual_Project.csv"])
    assert decrypt_file(app, result.path)[:2] == b"PK"
