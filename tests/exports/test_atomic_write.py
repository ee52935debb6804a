"""A report that fails while writing leaves the previous archive, and no temporary file, behind."""

import errno
import resource
import signal
from contextlib import contextmanager
from datetime import datetime

import pytest
import sqlalchemy as sa

from arc import clock
from arc.exports import archives, mvl
from arc.extensions import db
from arc.vouchers.models import Voucher
from tests import factories
from tests.exports import builders
from tests.exports.helpers import read_report

FILE_SIZE_LIMIT = 64 * 1024


@contextmanager
def file_size_limit(limit):
    """Make every write beyond ``limit`` bytes of a file fail with EFBIG in this process, as a full disk would."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)


@pytest.fixture
def delivery(db):
    return builders.make_delivery(factories.make_centre(), datetime(2024, 1, 10))


def add_dispatched_vouchers(sponsor, delivery, count, start=1):
    now = clock.now()
    db.session.execute(
        sa.insert(Voucher),
        [
            {
                "code": f"{sponsor.shortcode}{number:06d}",
                "sponsor_id": sponsor.id,
                "currentstate": "dispatched",
                "delivery_id": delivery.id,
                "created_at": now,
                "updated_at": now,
            }
            for number in range(start, start + count)
        ],
    )


def test_failure_mid_write_keeps_previous_archive(app, runner, mvl_folders, delivery):
    sponsor = factories.make_sponsor(shortcode="BULK", name="Bulk Area")
    add_dispatched_vouchers(sponsor, delivery, 10)
    assert runner.invoke(args=["arc", "mvl", "report", "--force"]).exit_code == 0
    previous = (mvl_folders / "MVLReport.zip").read_bytes()
    assert len(previous) < FILE_SIZE_LIMIT
    add_dispatched_vouchers(sponsor, delivery, 3000, start=11)

    with file_size_limit(FILE_SIZE_LIMIT):
        result = runner.invoke(args=["arc", "mvl", "report", "--force"])

    assert result.exit_code == 1
    assert "Writing the Master Voucher Log failed: [Errno 27] File too large" in result.output
    assert "The previous report at" in result.output
    assert [path.name for path in mvl_folders.iterdir()] == ["MVLReport.zip"]
    assert (mvl_folders / "MVLReport.zip").read_bytes() == previous
    assert len(read_report(app, mvl_folders)["PART1.csv"]) == 11


def test_failure_mid_write_raises_from_report_function(app, db, mvl_folders, delivery):
    sponsor = factories.make_sponsor(shortcode="BULK", name="Bulk Area")
    add_dispatched_vouchers(sponsor, delivery, 3000)

    with file_size_limit(FILE_SIZE_LIMIT), pytest.raises(OSError) as failure:
        mvl.write_report(page_size=500)

    assert failure.value.errno == errno.EFBIG
    assert list(mvl_folders.iterdir()) == []


def test_failed_historic_export_leaves_no_file(app, runner, mvl_folders, delivery):
    sponsor = factories.make_sponsor(shortcode="BULK", name="Bulk Area")
    add_dispatched_vouchers(sponsor, delivery, 3000)
    db.session.execute(sa.update(Voucher).values(currentstate="reimbursed", updated_at=datetime(2022, 6, 1)))
    mvl_folders.mkdir()
    (mvl_folders / "vouchers.20220401-to-20230331.0000.arcx.csv").write_bytes(b"previous export")

    with file_size_limit(FILE_SIZE_LIMIT):
        result = runner.invoke(args=["arc", "mvl", "export", "--from", "01/04/2022", "--to", "31/03/2023"])

    assert result.exit_code == 1
    assert "The export failed: [Errno 27] File too large" in result.output
    assert [path.name for path in mvl_folders.iterdir()] == ["vouchers.20220401-to-20230331.0000.arcx.csv"]
    assert (mvl_folders / "vouchers.20220401-to-20230331.0000.arcx.csv").read_bytes() == b"previous export"


def test_atomic_output_keeps_file_on_exception(tmp_path):
    target = tmp_path / "archive.zip"
    target.write_bytes(b"previous")

    with pytest.raises(ValueError, match="bad row"):
        with archives.atomic_output(target) as output:
            output.write(b"partial")
            raise ValueError("bad row")

    assert target.read_bytes() == b"previous"
    assert [path.name for path in tmp_path.iterdir()] == ["archive.zip"]


def test_atomic_output_replaces_file(tmp_path):
    target = tmp_path / "archive.zip"
    target.write_bytes(b"previous")

    with archives.atomic_output(target) as output:
        output.write(b"new")

    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) == oct(archives.ARCHIVE_FILE_MODE)
    assert [path.name for path in tmp_path.iterdir()] == ["archive.zip"]
