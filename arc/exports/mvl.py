"""Write the Master Voucher Log: the nightly report and the historic export by financial year.

Both read vouchers through ``queries.iter_records`` and format rows with ``columns.format_row``. They
differ only in which vouchers they select and how they split the rows into files.

The nightly report is a zip archive, encrypted unless asked otherwise. It contains ``PART1.csv``,
``PART2.csv``... (every row, at most ``ARC_MVL_ROW_LIMIT`` rows per part, because Excel opens at most
1,048,576 rows) and one CSV per voucher area with all of that area's rows.

The historic export writes encrypted CSV files named ``vouchers.<from>-to-<to>.<NNNN>.arcx.csv``
into the archive folder, where the store portal lists them. Each covers at most one financial year
(1 April to 31 March) and holds at most ``chunk_size`` rows.
"""

import csv
import io
import logging
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app

from arc import clock
from arc.exports import archives, queries
from arc.exports.columns import HEADERS, area_file_name, format_row, has_activity
from arc.exports.secretstream import KEY_SIZE, DecryptingReader, EncryptingWriter
from arc.vouchers import states
from arc.vouchers.models import Voucher

logger = logging.getLogger(__name__)

PART_NAME = "PART{number}.csv"

# Temporary per-area files are encrypted with a key made for one run and then forgotten, so no
# plaintext personal data reaches the disk. They are read back only here, so smaller messages
# than the archive format's 1 MiB keep the buffer of each open area small.
_SPOOL_MESSAGE_SIZE = 64 * 1024

# Default --from of the historic export.
EXPORT_EPOCH = date(1970, 1, 1)
DEFAULT_CHUNK_SIZE = 100_000


class ReportSettingError(ValueError):
    """A Master Voucher Log setting with a value that cannot be used."""


def cutoff_date():
    """Return ``ARC_MVL_CUTOFF_DATE``: vouchers reimbursed before it are left out of the nightly report."""
    value = current_app.config["ARC_MVL_CUTOFF_DATE"]
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ReportSettingError(f"ARC_MVL_CUTOFF_DATE must be a date written as YYYY-MM-DD, not {value!r}.") from None


def row_limit():
    """Return ``ARC_MVL_ROW_LIMIT``, the maximum number of data rows in one PART file of the nightly report."""
    value = current_app.config["ARC_MVL_ROW_LIMIT"]
    if not isinstance(value, int) or value < 1:
        raise ReportSettingError(f"ARC_MVL_ROW_LIMIT must be a whole number of at least 1, not {value!r}.")
    return value


def report_path(zipped=True, encrypted=True):
    """Return where the nightly report goes: a zip file, or a folder of CSV files when not zipped.

    Encrypted output goes to ``ARC_MVL_DIR``, the folder the store portal serves. Plain output goes
    to ``ARC_MVL_PLAIN_DIR``, so it never replaces the encrypted archive.
    """
    name = archives.report_file_name()
    if encrypted:
        if not zipped:
            raise ValueError("The encrypted report is always one zip archive.")
        return os.path.join(archives.archive_folder(), name)
    plain_folder = current_app.config["ARC_MVL_PLAIN_DIR"]
    if zipped:
        return os.path.join(plain_folder, name)
    return os.path.join(plain_folder, os.path.splitext(name)[0])


# Writing CSV ---------------------------------------------------------------------------------------


class _CsvFile:
    """CSV rows in UTF-8 with ``\\n`` line ends, written to a binary stream; the header row comes first."""

    def __init__(self, binary):
        self._text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        self._writer = csv.writer(self._text, lineterminator="\n")
        self._writer.writerow(HEADERS)
        self.rows = 0

    def write(self, row):
        self._writer.writerow(row)
        self.rows += 1

    def close(self):
        """Flush the rows and close the binary stream under them."""
        self._text.close()


class _Spool:
    """An area's rows held in an anonymous temporary file, encrypted with a key of its own."""

    def __init__(self, folder):
        self._file = tempfile.TemporaryFile(dir=folder)
        self._key = os.urandom(KEY_SIZE)
        self._encrypting = EncryptingWriter(self._file, self._key, message_size=_SPOOL_MESSAGE_SIZE)
        self._csv = _CsvFile(self._encrypting)

    def write(self, row):
        self._csv.write(row)

    def copy_to(self, target):
        """Write the CSV file, header included, to the binary stream ``target``, then delete it."""
        self._csv.close()
        self._file.seek(0)
        for message in DecryptingReader(self._file, self._key, message_size=_SPOOL_MESSAGE_SIZE):
            target.write(message)
        self._file.close()

    def discard(self):
        self._encrypting.abort()
        _clean_up(self._file.close)


def _clean_up(action):
    """Run one clean-up step of output being thrown away, logging instead of raising its error.

    The step may fail on the error that stopped the work (a full disk fails every write), and the
    caller raises that first error.
    """
    try:
        action()
    except (OSError, ValueError) as error:
        logger.warning("Cleaning up discarded Master Voucher Log output failed: %s", error)


# The nightly report -------------------------------------------------------------------------------


@dataclass
class ReportResult:
    """The outcome of a nightly report: its path, its number of rows and PART files, and its area files."""

    path: str
    rows: int = 0
    parts: int = 0
    areas: list = field(default_factory=list)


def report_rows(records, generated_on, cutoff):
    """Yield ``(area file name, row)`` for each voucher the nightly report includes.

    A voucher is left out when it was ever retired, when it was reimbursed (its latest
    ``reimbursed`` history row) before ``cutoff``, or when it was never delivered, bundled, traded
    or voided, which leaves plain printed stock out.
    """
    cutoff_time = datetime.combine(cutoff, time.min)
    for record in records:
        if record.retired:
            continue
        if record.reimbursed_at is not None and record.reimbursed_at < cutoff_time:
            continue
        row = format_row(record, generated_on)
        if has_activity(row):
            yield area_file_name(record.area or ""), row


class _Report:
    """The nightly report's files: every row goes to the current PART file and to its area's file."""

    def __init__(self, part_rows, result):
        self._part_rows = part_rows
        self._result = result
        self._part = None
        self._areas = {}

    def add(self, area, row):
        if self._part is None or self._part.rows >= self._part_rows:
            if self._part is not None:
                self._part.close()
            self._result.parts += 1
            self._part = self._open_part(PART_NAME.format(number=self._result.parts))
        self._part.write(row)
        self._result.rows += 1
        area_file = self._areas.get(area)
        if area_file is None:
            area_file = self._areas[area] = self._open_area(area)
        area_file.write(row)


class _ZipReport(_Report):
    """The nightly report's CSV files written into a zip archive on ``target``, in one pass over the rows.

    PART files go straight into the archive, one after another. Area files grow side by side, so
    they are spooled to temporary files in ``spool_folder`` and copied in at the end.
    """

    def __init__(self, target, spool_folder, part_rows, result):
        super().__init__(part_rows, result)
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self._date_time = clock.now().timetuple()[:6]
        self._spool_folder = spool_folder

    def _member(self, name):
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        # The size of a member is unknown when it starts, so allow ZIP64 sizes, as the PHP service's
        # streamed zip files did.
        return self._zip.open(info, "w", force_zip64=True)

    def _open_part(self, name):
        return _CsvFile(self._member(name))

    def _open_area(self, name):
        return _Spool(self._spool_folder)

    def finish(self):
        if self._part is not None:
            self._part.close()
        self._part = None
        for area in sorted(self._areas):
            with self._member(area) as member:
                self._areas[area].copy_to(member)
            del self._areas[area]
            self._result.areas.append(area)
        self._zip.close()

    def discard(self):
        """Delete the temporary files and close the archive, whose output is being thrown away."""
        for spool in self._areas.values():
            spool.discard()
        self._areas.clear()
        if self._part is not None:
            _clean_up(self._part.close)
        _clean_up(self._zip.close)


class _FolderReport(_Report):
    """The nightly report's CSV files written as plain files into a new folder."""

    def __init__(self, folder, part_rows, result):
        super().__init__(part_rows, result)
        self._folder = folder

    def _open_part(self, name):
        return _CsvFile(open(os.path.join(self._folder, name), "xb"))

    _open_area = _open_part

    def finish(self):
        for csv_file in [self._part, *self._areas.values()]:
            if csv_file is not None:
                csv_file.close()
        self._result.areas = sorted(self._areas)


def write_report(zipped=True, encrypted=True, page_size=queries.PAGE_SIZE):
    """Write the nightly report in one pass over the vouchers and return a ``ReportResult``.

    The output replaces the previous one only once complete (see ``report_path`` for where it
    goes). On any failure the previous output is left as it was and the exception propagates.
    Reads only: the caller's transaction is not committed.
    """
    path = report_path(zipped, encrypted)
    cutoff, part_rows = cutoff_date(), row_limit()
    result = ReportResult(path)
    rows = report_rows(queries.iter_records(page_size=page_size), clock.today(), cutoff)
    logger.info("Writing the Master Voucher Log to %s", path)
    if zipped:
        _write_zip(path, rows, encrypted, part_rows, result)
    else:
        _write_folder(path, rows, part_rows, result)
    logger.info(
        "Wrote the Master Voucher Log to %s: %s rows in %s part(s) and %s area file(s)",
        path, result.rows, result.parts, len(result.areas),
    )
    return result


def _write_zip(path, rows, encrypted, part_rows, result):
    staged = archives.StagedFile(path)
    target = None
    report = None
    try:
        target = EncryptingWriter(staged.file, archives.archive_key()) if encrypted else staged.file
        report = _ZipReport(target, os.path.dirname(staged.path), part_rows, result)
        for area, row in rows:
            report.add(area, row)
        report.finish()
        if encrypted:
            target.close()
    except BaseException:
        if report is not None:
            report.discard()
        if encrypted and target is not None:
            target.abort()
        staged.discard()
        raise
    staged.commit()


def _write_folder(path, rows, part_rows, result):
    """Write the CSV files into a temporary folder next to ``path``, then swap it in for ``path``."""
    parent, name = os.path.split(os.path.abspath(path))
    os.makedirs(parent, mode=archives.ARCHIVE_FOLDER_MODE, exist_ok=True)
    staging = tempfile.mkdtemp(dir=parent, prefix=f".{name}.", suffix=".tmp")
    previous = None
    try:
        report = _FolderReport(staging, part_rows, result)
        for area, row in rows:
            report.add(area, row)
        report.finish()
        # A folder cannot replace a non-empty folder in one rename. Between the two renames below
        # ``path`` is briefly missing, but it never contains a mix of old and new files.
        if os.path.exists(path):
            previous = tempfile.mkdtemp(dir=parent, prefix=f".{name}.", suffix=".old")
            os.replace(path, os.path.join(previous, name))
        os.replace(staging, path)
    except BaseException:
        if previous is not None and not os.path.exists(path):
            _clean_up(lambda: os.replace(os.path.join(previous, name), path))
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        # Kept only when ``path`` could not be restored, so that the operator can recover it.
        if previous is not None and os.path.exists(path):
            shutil.rmtree(previous, ignore_errors=True)


# The historic export ------------------------------------------------------------------------------


def default_export_end():
    """Return the last day that the historic export covers by default: the day before the cut-off date.

    Together with the nightly report it then covers every reimbursed voucher.
    """
    return cutoff_date() - timedelta(days=1)


def financial_year_start(day):
    """Return 1 April of the financial year (1 April to 31 March) that contains ``day``."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def export_period(day, start, end):
    """Return the part of ``day``'s financial year that lies between ``start`` and ``end``, inclusive."""
    year_start = financial_year_start(day)
    year_end = date(year_start.year + 1, 3, 31)
    return max(year_start, start), min(year_end, end)


def export_periods(start, end):
    """Return the financial years from ``start`` to ``end`` as ``(first day, last day)`` pairs, clipped."""
    periods = []
    day = start
    while day <= end:
        period = export_period(day, start, end)
        periods.append(period)
        day = period[1] + timedelta(days=1)
    return periods


def historic_file_name(period, number):
    """Return the historic log file name for a period and the file's number within it (from 0)."""
    return f"vouchers.{period[0]:%Y%m%d}-to-{period[1]:%Y%m%d}.{number:04d}.arcx.csv"


def _period_files(folder, period):
    """Return the numbers and names of the historic log files of ``period`` in ``folder``."""
    prefix = re.escape(f"vouchers.{period[0]:%Y%m%d}-to-{period[1]:%Y%m%d}.")
    pattern = re.compile(prefix + r"(\d{4,})\.arcx\.csv$")
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return [(int(match.group(1)), name) for name in names if (match := pattern.match(name))]


@dataclass
class ExportedFile:
    """One historic log file written by the export, and its number of rows."""

    path: str
    rows: int


class _PeriodExport:
    """The encrypted files of one period, each of at most ``chunk_size`` rows, staged until the export ends."""

    def __init__(self, folder, period, chunk_size, key):
        self._folder = folder
        self._period = period
        self._chunk_size = chunk_size
        self._key = key
        self._staged = []
        self._counts = []
        self._current = None
        self._encrypting = None

    @property
    def file_count(self):
        return len(self._staged)

    def add(self, row):
        if self._current is None or self._current.rows >= self._chunk_size:
            self._close_current()
            name = historic_file_name(self._period, len(self._staged))
            self._staged.append(archives.StagedFile(os.path.join(self._folder, name)))
            self._encrypting = EncryptingWriter(self._staged[-1].file, self._key)
            self._current = _CsvFile(self._encrypting)
        self._current.write(row)

    def _close_current(self):
        if self._current is None:
            return
        self._current.close()
        self._staged[-1].finish()
        self._counts.append(self._current.rows)
        self._current = None
        self._encrypting = None

    def finish(self):
        self._close_current()

    def commit(self):
        files = []
        for staged, rows in zip(self._staged, self._counts):
            staged.commit()
            files.append(ExportedFile(staged.path, rows))
        return files

    def discard(self):
        if self._encrypting is not None:
            self._encrypting.abort()
        for staged in self._staged:
            staged.discard()


def historic_condition(start, end):
    """Return the SQL condition of the historic export: vouchers reimbursed, last updated from ``start`` to ``end``.

    NOTE: the payout sets ``updated_at``, so this selects by payout date, as the PHP service did. A
    voucher row changed again after its payout is exported under the date of that change.
    """
    return (
        (Voucher.currentstate == states.REIMBURSED)
        & (Voucher.updated_at >= datetime.combine(start, time.min))
        & (Voucher.updated_at < datetime.combine(end + timedelta(days=1), time.min))
    )


def export_historic(start, end, chunk_size=DEFAULT_CHUNK_SIZE, page_size=queries.PAGE_SIZE):
    """Export reimbursed vouchers last updated from ``start`` to ``end`` into historic log files.

    One pass over the vouchers. Every file is staged and the files are renamed into the archive
    folder together at the end, so a failure leaves the folder as it was. Older files of the same
    periods with numbers beyond those written now are deleted, because their rows are now in the
    new files. Returns the ``ExportedFile`` list in file name order.
    """
    if start > end:
        raise ValueError(f"The export starts on {start:%d/%m/%Y}, after its end on {end:%d/%m/%Y}.")
    if chunk_size < 1:
        raise ValueError(f"The chunk size must be at least 1, not {chunk_size}.")
    folder = archives.archive_folder()
    key = archives.archive_key()
    generated_on = clock.today()
    exports = {}
    try:
        for record in queries.iter_records(historic_condition(start, end), page_size):
            period = export_period(record.updated_at.date(), start, end)
            export = exports.get(period)
            if export is None:
                export = exports[period] = _PeriodExport(folder, period, chunk_size, key)
            export.add(format_row(record, generated_on))
        for export in exports.values():
            export.finish()
    except BaseException:
        for export in exports.values():
            export.discard()
        raise

    files = []
    try:
        for period in export_periods(start, end):
            export = exports.get(period)
            if export is not None:
                files.extend(export.commit())
            _delete_stale_files(folder, period, export.file_count if export else 0)
    except BaseException:
        # Committed files are already in place; discarding them only deletes what is still staged.
        for export in exports.values():
            export.discard()
        raise
    files.sort(key=lambda exported: os.path.basename(exported.path))
    logger.info(
        "Exported %s reimbursed vouchers from %s to %s into %s file(s)",
        sum(exported.rows for exported in files), start, end, len(files),
    )
    return files


def _delete_stale_files(folder, period, kept):
    for number, name in _period_files(folder, period):
        if number >= kept:
            os.unlink(os.path.join(folder, name))
            logger.info("Deleted the superseded historic log %s", name)
