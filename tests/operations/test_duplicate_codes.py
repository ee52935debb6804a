"""`arc duplicate-codes`: voucher codes held by more than one voucher, compared as the service normalises them."""

import pytest

from arc import clock
from arc.operations.duplicate_codes import find_duplicate_codes
from arc.extensions import db as _db
from arc.operations.models import ArchivedVoucher
from tests import factories


@pytest.fixture
def area(db):
    return factories.make_sponsor(shortcode="DUPE")


def archive_copy(voucher_id, code, sponsor, state="reimbursed"):
    _db.session.add(ArchivedVoucher(id=voucher_id, code=code, currentstate=state, sponsor_id=sponsor.id))
    _db.session.flush()


def test_duplicate_codes_quiet_when_none(runner, db, area):
    factories.make_voucher("DUPE0001", sponsor=area)
    factories.make_voucher("DUPE0002", sponsor=area)

    result = runner.invoke(args=["arc", "duplicate-codes"])

    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_duplicate_codes_ignore_whitespace(db, area):
    first = factories.make_voucher("DUPE0001", sponsor=area)
    second = factories.make_voucher("DUPE 0001", sponsor=area)
    third = factories.make_voucher("\tDUPE0001\u00a0", sponsor=area)
    factories.make_voucher("DUPE0002", sponsor=area)

    duplicates = find_duplicate_codes()

    assert [duplicate.code for duplicate in duplicates] == ["DUPE0001"]
    assert [holder.voucher_id for holder in duplicates[0].holders] == [first.id, second.id, third.id]


def test_duplicate_codes_ignore_case(db, area):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the unique index of MySQL and MariaDB already compares codes without regard to case")
    factories.make_voucher("DUPE0003", sponsor=area)
    factories.make_voucher("dupe0003", sponsor=area)

    assert [duplicate.code for duplicate in find_duplicate_codes()] == ["DUPE0003"]


def test_duplicate_codes_include_archived_vouchers(db, area):
    live = factories.make_voucher("DUPE0004", sponsor=area)
    archive_copy(999_001, "dupe0004", area)

    duplicates = find_duplicate_codes()

    assert [(holder.voucher_id, holder.archived) for holder in duplicates[0].holders] == [
        (live.id, False),
        (999_001, True),
    ]


def test_duplicate_codes_skip_archive_copy_of_live_voucher(db, area):
    live = factories.make_voucher("DUPE0005", sponsor=area)
    archive_copy(live.id, "DUPE0005", area)

    assert find_duplicate_codes() == []


def test_duplicate_codes_listed_with_exit_1(runner, db, area):
    factories.make_voucher("DUPE0006", sponsor=area, currentstate="printed")
    factories.make_voucher("DUPE 0006", sponsor=area, currentstate="reimbursed", deleted_at=clock.now())
    factories.make_voucher("DUPE0007", sponsor=area)
    factories.make_voucher("\tDUPE0007", sponsor=area)

    result = runner.invoke(args=["arc", "duplicate-codes"])

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "DUPE0006: 2 vouchers"
    assert lines[1].endswith("code 'DUPE0006', printed")
    assert lines[2].endswith("code 'DUPE 0006', reimbursed, deleted")
    assert lines[3] == "DUPE0007: 2 vouchers"
    assert "Error: 2 voucher code(s) are used by more than one voucher" in result.stderr
