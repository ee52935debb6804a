"""The historic export: ``flask arc mvl export``, one set of encrypted CSV files per financial year."""

from datetime import date, datetime

import pytest

from arc.exports import mvl
from tests import factories
from tests.exports import builders
from tests.exports.helpers import decrypt_file, parse_csv, read_report
from tests.exports.test_report import EXPECTED_HEADERS


def run_export(runner, *options):
    result = runner.invoke(args=["arc", "mvl", "export", *options])
    assert result.exit_code == 0, result.output
    return result


def run_report(runner):
    result = runner.invoke(args=["arc", "mvl", "report", "--force"])
    assert result.exit_code == 0, result.output


def read_export(app, folder, name):
    return parse_csv(decrypt_file(app, folder / name))


@pytest.fixture
def area(db):
    return factories.make_sponsor(shortcode="RVNT", name="Real Virtual Project")


@pytest.fixture
def trader(db):
    return factories.make_trader(name="Armadillo general store")


def make_reimbursed(code, area, trader, updated_at):
    voucher = builders.make_traded_voucher(code, area, trader, ("recorded", updated_at), ("reimbursed", updated_at))
    voucher.updated_at = updated_at
    return voucher


def test_export_announces_default_period(runner, mvl_folders):
    result = run_export(runner)

    assert "Starting voucher export from 1970/01/01 to 2023/08/31 in chunks of 100000.\n" in result.output
    assert "no file was written" in result.output
    assert not mvl_folders.exists() or list(mvl_folders.iterdir()) == []


def test_export_announces_given_period(runner):
    result = run_export(runner, "--from=01/04/2022", "--to=31/03/2023", "--chunk-size=54321")

    assert "Starting voucher export from 2022/04/01 to 2023/03/31 in chunks of 54321." in result.output


def test_default_end_follows_cutoff_setting(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "ARC_MVL_CUTOFF_DATE", "2024-04-01")

    result = run_export(runner)

    assert "from 1970/01/01 to 2024/03/31 in chunks" in result.output


@pytest.mark.parametrize(
    ("options", "exit_code", "message"),
    [
        (["--from", "2022-04-01"], 1, "--from must be a date written as dd/mm/yyyy, not '2022-04-01'."),
        (["--to", "31/02/2023"], 2, "--to must be a date written as dd/mm/yyyy, not '31/02/2023'."),
        (["--chunk-size", "0"], 3, "--chunk-size must be a whole number of at least 1, not '0'."),
        (["--chunk-size", "many"], 3, "--chunk-size must be a whole number of at least 1, not 'many'."),
        (["--from", "01/04/2023", "--to", "31/03/2023"], 1, "--from (01/04/2023) is after --to (31/03/2023)."),
    ],
)
def test_export_rejects_bad_options(runner, mvl_folders, options, exit_code, message):
    result = runner.invoke(args=["arc", "mvl", "export", *options])

    assert result.exit_code == exit_code
    assert message in result.output
    assert not mvl_folders.exists()


def test_export_splits_by_financial_year_and_chunk(app, runner, mvl_folders, area, trader):
    make_reimbursed("RVNT00001", area, trader, datetime(2022, 3, 31, 23, 0))
    make_reimbursed("RVNT00002", area, trader, datetime(2022, 4, 1, 0, 0))
    for number in (3, 4, 5):
        make_reimbursed(f"RVNT0000{number}", area, trader, datetime(2022, 6, 1))
    make_reimbursed("RVNT00006", area, trader, datetime(2023, 3, 31, 23, 59, 59))
    make_reimbursed("RVNT00007", area, trader, datetime(2023, 4, 1))
    pending = builders.make_traded_voucher("RVNT00008", area, trader, ("payment_pending", datetime(2022, 6, 1)))
    pending.updated_at = datetime(2022, 6, 1)

    result = run_export(runner, "--from", "01/01/2022", "--to", "31/03/2023", "--chunk-size", "2")

    names = sorted(path.name for path in mvl_folders.iterdir())
    assert names == [
        "vouchers.20220101-to-20220331.0000.arcx.csv",
        "vouchers.20220401-to-20230331.0000.arcx.csv",
        "vouchers.20220401-to-20230331.0001.arcx.csv",
        "vouchers.20220401-to-20230331.0002.arcx.csv",
    ]
    codes = [[row[0] for row in read_export(app, mvl_folders, name)] for name in names]
    assert codes == [
        ["Voucher Number", "RVNT00001"],
        ["Voucher Number", "RVNT00006", "RVNT00005"],
        ["Voucher Number", "RVNT00004", "RVNT00003"],
        ["Voucher Number", "RVNT00002"],
    ]
    assert f"{mvl_folders / names[1]}: 2 vouchers" in result.output


def test_export_rows_match_nightly_rows(app, runner, mvl_folders, area, trader):
    centre = factories.make_centre(name="Family Centre", prefix="ABCDE")
    bundle = builders.make_bundle(
        builders.make_family(centre, ["Main Carer"]), centre, datetime(2024, 1, 17),
        factories.make_centre(name="Disbursing Centre"),
    )
    voucher = make_reimbursed("RVNT00001", area, trader, datetime(2024, 2, 10))
    voucher.bundle_id = bundle.id
    run_report(runner)

    run_export(runner, "--from", "01/04/2023", "--to", "31/03/2024")

    nightly = read_report(app, mvl_folders)["PART1.csv"]
    historic = read_export(app, mvl_folders, "vouchers.20230401-to-20240331.0000.arcx.csv")
    assert historic == nightly
    assert historic[0] == EXPECTED_HEADERS
    assert historic[1][5] == "False"
    assert historic[1][9] == "Disbursing Centre"


def test_export_deletes_superseded_files_of_its_periods(app, runner, mvl_folders, area, trader):
    make_reimbursed("RVNT00001", area, trader, datetime(2022, 6, 1))
    mvl_folders.mkdir()
    for name in (
        "vouchers.20220401-to-20230331.0000.arcx.csv",
        "vouchers.20220401-to-20230331.0001.arcx.csv",
        "vouchers.20210401-to-20220331.0000.arcx.csv",
        "vouchers.20220401-to-20221231.0000.arcx.csv",
    ):
        (mvl_folders / name).write_bytes(b"old")

    run_export(runner, "--from", "01/04/2021", "--to", "31/03/2023")

    assert sorted(path.name for path in mvl_folders.iterdir()) == [
        "vouchers.20220401-to-20221231.0000.arcx.csv",
        "vouchers.20220401-to-20230331.0000.arcx.csv",
    ]
    assert [row[0] for row in read_export(app, mvl_folders, "vouchers.20220401-to-20230331.0000.arcx.csv")] == [
        "Voucher Number",
        "RVNT00001",
    ]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2022, 4, 1), date(2023, 3, 31), [(date(2022, 4, 1), date(2023, 3, 31))]),
        (
            date(2021, 12, 25),
            date(2023, 4, 1),
            [
                (date(2021, 12, 25), date(2022, 3, 31)),
                (date(2022, 4, 1), date(2023, 3, 31)),
                (date(2023, 4, 1), date(2023, 4, 1)),
            ],
        ),
        (date(2024, 3, 31), date(2024, 3, 31), [(date(2024, 3, 31), date(2024, 3, 31))]),
    ],
)
def test_export_periods_are_financial_years(start, end, expected):
    assert mvl.export_periods(start, end) == expected


def test_historic_file_name_has_dates_at_fixed_positions():
    name = mvl.historic_file_name((date(2023, 4, 1), date(2024, 3, 31)), 3)

    assert name == "vouchers.20230401-to-20240331.0003.arcx.csv"
    assert (name[9:17], name[21:29]) == ("20230401", "20240331")
