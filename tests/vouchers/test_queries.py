import datetime

import pytest
import sqlalchemy as sa

from arc.extensions import db as _db
from arc.vouchers import queries
from arc.vouchers.codes import InvalidVoucherRange, VoucherRange
from arc.vouchers.models import Delivery, Voucher
from arc.vouchers.queries import (
    VoucherNotFound,
    VoucherRun,
    define_range,
    deliverable_runs,
    find_by_code,
    find_by_codes,
    is_deliverable,
    range_filter,
    vouchers_in_range,
)
from arc.vouchers.states import Actor, apply_to_many
from tests import factories


@pytest.fixture
def tst(db):
    return factories.make_sponsor(shortcode="TST")


def make_vouchers(sponsor, codes, **fields):
    return [factories.make_voucher(code=code, sponsor=sponsor, **fields) for code in codes]


@pytest.fixture
def executed_statements(db):
    """The SQL statements and parameters sent to the database while the test runs."""
    statements = []

    def record(_connection, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    sa.event.listen(_db.engine, "before_cursor_execute", record)
    yield statements
    sa.event.remove(_db.engine, "before_cursor_execute", record)


def query_plan(statement, parameters):
    """Return the engine's plan for a statement as lower-case text."""
    connection = _db.session.connection()
    prefix = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
    rows = connection.exec_driver_sql(prefix + statement, parameters).mappings().all()
    return [{key: str(value).lower() for key, value in row.items()} for row in rows]


# Look-up by code.


def test_find_by_code_resolves_space_mangled_codes(tst):
    stored = make_vouchers(tst, ["TST0123455", "TST0123456", "TST0123457"])

    assert find_by_code("TST012 3455") == stored[0]
    assert find_by_code("TST 0123456") == stored[1]
    assert find_by_codes(["TST012 3455", "TST 0123456", " tst\t012345\n7"]) == stored


def test_find_by_code_matches_only_its_voucher(db):
    aaaaa = factories.make_voucher(code="aaaaa")
    factories.make_voucher(code="bbbbb")

    assert find_by_code("aaaaa") == aaaaa
    assert find_by_code("AAAAA") == aaaaa


def test_find_by_code_matches_lower_case_stored_code(tst):
    [voucher] = make_vouchers(tst, ["tst0101"])

    assert find_by_code("TST0101") == voucher
    assert find_by_code("tst 0101") == voucher


@pytest.mark.parametrize("code", ["TST9999", "", None, "   "])
def test_find_by_code_without_match_is_none(tst, code):
    make_vouchers(tst, ["TST0101"])

    assert find_by_code(code) is None


def test_find_by_code_skips_soft_deleted(tst):
    make_vouchers(tst, ["TST0101"], deleted_at=datetime.datetime(2023, 1, 1))

    assert find_by_code("TST0101") is None


def test_find_by_codes_in_id_order_without_repeats(tst):
    stored = make_vouchers(tst, ["TST0103", "tst0101", "TST0102"])

    found = find_by_codes(["TST0102", "tst0102", "TST0101", "TST0103", "TST9999", "", None])

    assert found == stored


def test_find_by_codes_in_several_queries(tst, monkeypatch):
    monkeypatch.setattr(queries, "_CODES_PER_QUERY", 2)
    stored = make_vouchers(tst, ["TST0101", "TST0102", "TST0103", "tst0104", "tst0105"])

    assert find_by_codes(["TST0105", "TST0104", "TST0103", "TST0102", "TST0101"]) == stored


def test_find_by_codes_uses_code_index(tst, executed_statements):
    make_vouchers(tst, ["TST0101", "TST0102"])
    executed_statements.clear()

    assert len(find_by_codes(["TST0101", "TST0102"])) == 2

    [(statement, parameters)] = executed_statements
    plan = query_plan(statement, parameters)
    if _db.session.connection().dialect.name == "sqlite":
        assert any("using index vouchers_code" in row["detail"] for row in plan), plan
    else:
        # With a handful of rows MariaDB may still prefer the primary key; the index must be usable.
        assert "vouchers_code" in plan[0]["possible_keys"], plan


# Ranges.


def test_define_range(tst):
    make_vouchers(tst, ["TST0010", "TST1000"])

    assert define_range("TST0010", "TST1000") == (tst.id, VoucherRange("TST", 10, 1000))


def test_define_range_of_single_voucher(tst):
    make_vouchers(tst, ["TST0010"])

    assert define_range("tst 0010", "TST0010") == (tst.id, VoucherRange("TST", 10, 10))


@pytest.mark.parametrize(("start", "end", "missing"), [("TST0011", "TST1000", "TST0011"), ("TST0010", "TST1001", "TST1001")])
def test_define_range_with_unknown_code_raises(tst, start, end, missing):
    make_vouchers(tst, ["TST0010", "TST1000"])

    with pytest.raises(VoucherNotFound, match=missing):
        define_range(start, end)


def test_define_range_rejects_reversed_codes(tst):
    make_vouchers(tst, ["TST0010", "TST1000"])

    with pytest.raises(InvalidVoucherRange):
        define_range("TST1000", "TST0010")


def test_vouchers_in_range_compares_numbers(tst):
    inside = make_vouchers(tst, ["TST0101", "TST102", "TST00000103", "tst0104", "TST0110"])
    make_vouchers(tst, ["TST0100", "TST0111", "TST1010", "TST01A5", "TST0105X", "TSTX0105"])
    make_vouchers(tst, ["TST0106"], deleted_at=datetime.datetime(2023, 1, 1))

    assert vouchers_in_range(tst.id, VoucherRange("TST", 101, 110)) == inside


def test_vouchers_in_range_treats_padding_as_same_number(db):
    sponsor = factories.make_sponsor(shortcode="PAD")
    both = make_vouchers(sponsor, ["PAD0101", "PAD101"])

    assert vouchers_in_range(sponsor.id, VoucherRange("PAD", 101, 101)) == both


def test_vouchers_in_range_only_of_sponsor(tst):
    mine = make_vouchers(tst, ["TST0101"])
    other = factories.make_sponsor(shortcode="ABC")
    make_vouchers(other, ["ABC0101", "TST0102"])

    assert vouchers_in_range(tst.id, VoucherRange("TST", 100, 200)) == mine


def test_vouchers_in_range_of_other_sponsor_with_shortcode(tst):
    other = factories.make_sponsor(shortcode="ABC")
    [legacy] = make_vouchers(other, ["TST0102"])
    make_vouchers(tst, ["TST0101"])

    assert vouchers_in_range(other.id, VoucherRange("TST", 100, 200)) == [legacy]


def test_vouchers_in_range_ignores_longer_shortcode(db):
    short = factories.make_sponsor(shortcode="TS")
    make_vouchers(factories.make_sponsor(shortcode="TSA"), ["TSA0101"])
    mine = make_vouchers(short, ["TS0101"])
    make_vouchers(short, ["TSB0101"])

    assert vouchers_in_range(short.id, VoucherRange("TS", 0, 99999)) == mine


def test_vouchers_in_range_ignores_overlong_numbers(tst):
    make_vouchers(tst, ["TST" + "9" * 19])
    inside = make_vouchers(tst, ["TST" + "9" * 18])

    assert vouchers_in_range(tst.id, VoucherRange("TST", 0, 10**18)) == inside


def test_range_filter_drives_batch_transition(tst):
    make_vouchers(tst, ["TST0101", "TST0102", "TST0104"], currentstate="dispatched")
    make_vouchers(tst, ["TST0103"], currentstate="printed")
    make_vouchers(tst, ["TST0105"], currentstate="dispatched")

    changed = apply_to_many("void", range_filter(tst.id, VoucherRange("TST", 102, 104)), Actor.nobody())

    states = dict(_db.session.execute(sa.select(Voucher.code, Voucher.currentstate)).all())
    assert changed == 2
    assert states == {
        "TST0101": "dispatched",
        "TST0102": "voided",
        "TST0103": "printed",
        "TST0104": "voided",
        "TST0105": "dispatched",
    }


def test_range_filter_can_use_code_index(tst, executed_statements):
    if _db.session.connection().dialect.name == "sqlite":
        pytest.skip("SQLite's LIKE ignores case, so it cannot use the binary code index")
    make_vouchers(tst, ["TST0101"])
    executed_statements.clear()

    vouchers_in_range(tst.id, VoucherRange("TST", 100, 200))

    [(statement, parameters)] = executed_statements
    plan = query_plan(statement, parameters)
    assert "vouchers_code" in plan[0]["possible_keys"], plan


# Deliverable runs.


@pytest.fixture
def printed_runs(tst):
    """Printed, undelivered TST0101-0105, TST0201-0205 and TST0301-0305."""
    codes = [f"TST0{base + offset}" for base in (101, 201, 301) for offset in range(5)]
    return {voucher.code: voucher for voucher in make_vouchers(tst, codes)}


def test_deliverable_runs(printed_runs):
    runs = deliverable_runs("TST")

    assert [(run.start, run.end, run.size) for run in runs] == [(101, 105, 5), (201, 205, 5), (301, 305, 5)]
    assert runs[1] == VoucherRun(
        "TST",
        201,
        205,
        printed_runs["TST0201"].id,
        "TST0201",
        printed_runs["TST0205"].id,
        "TST0205",
    )


def test_range_inside_run_is_deliverable(printed_runs):
    assert is_deliverable(VoucherRange("TST", 202, 204))
    assert is_deliverable(VoucherRange("TST", 201, 205))
    assert is_deliverable(VoucherRange("TST", 203, 203))
    assert deliverable_runs("TST")[1].contains(VoucherRange("TST", 202, 204))


@pytest.mark.parametrize(("start", "end"), [(202, 209), (100, 102), (105, 201), (101, 305), (400, 400)])
def test_range_outside_run_is_not_deliverable(printed_runs, start, end):
    assert not is_deliverable(VoucherRange("TST", start, end))
    assert not any(run.contains(VoucherRange("TST", start, end)) for run in deliverable_runs("TST"))


def test_deliverable_runs_skip_unavailable_vouchers(tst, printed_runs):
    centre = factories.make_centre(sponsor=tst)
    delivery = Delivery(centre_id=centre.id, range="TST0102", dispatched_at=datetime.datetime(2024, 1, 1))
    _db.session.add(delivery)
    _db.session.flush()
    printed_runs["TST0102"].delivery_id = delivery.id
    printed_runs["TST0203"].currentstate = "dispatched"
    printed_runs["TST0302"].deleted_at = datetime.datetime(2023, 1, 1)
    _db.session.flush()

    runs = [(run.start, run.end) for run in deliverable_runs("TST")]

    assert runs == [(101, 101), (103, 105), (201, 202), (204, 205), (301, 301), (303, 305)]
    assert not is_deliverable(VoucherRange("TST", 202, 204))


def test_deliverable_runs_count_padded_duplicates_once(tst):
    first = make_vouchers(tst, ["TST0007"])[0]
    make_vouchers(tst, ["TST0008", "TST8", "TST0009", "TST7X"])
    last = make_vouchers(tst, ["tst0010"])[0]

    [run] = deliverable_runs("TST")

    assert (run.start, run.end, run.size) == (7, 10, 4)
    assert (run.first_id, run.first_code) == (first.id, "TST0007")
    assert (run.last_id, run.last_code) == (last.id, "tst0010")
    assert is_deliverable(VoucherRange("TST", 7, 10))


def test_deliverable_runs_from_zero(tst):
    make_vouchers(tst, ["TST0000", "TST0001", "TST0003"])

    assert [(run.start, run.end) for run in deliverable_runs("TST")] == [(0, 1), (3, 3)]
    assert is_deliverable(VoucherRange("TST", 0, 1))


def test_deliverable_runs_without_vouchers(tst):
    assert deliverable_runs("TST") == []
    assert not is_deliverable(VoucherRange("TST", 1, 1))
