"""Archive files on disk: atomic writing, encryption of whole files, and the store portal's downloads.

Every archive is written under a temporary name in its target folder and renamed into place only
once complete, so a reader sees the previous file or the new one, never a partial file. Temporary
names start with a dot and end in ``.tmp``, so the listings below never show them.
"""

import logging
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app

from arc import clock
from arc.exports.secretstream import DecryptingReader, encrypt_stream

logger = logging.getLogger(__name__)

# Owner read-write, group read: the web server reads archives through its group, as the
# folder's documented mode 770 with the web server's group intends.
ARCHIVE_FILE_MODE = 0o640
ARCHIVE_FOLDER_MODE = 0o770

HISTORIC_SUFFIX = ".arcx.csv"
_HISTORIC_NAME = re.compile(r"^vouchers\.(\d{8})-to-(\d{8})\.\d{4,}\.arcx\.csv$")


class ArchiveNotFound(LookupError):
    """No archive of that name is listed in the archive folder."""

    def __init__(self, name):
        self.name = name
        super().__init__(f"Archive {name!r} not found.")


def archive_key():
    """Return the 32-byte key of the archives: the application key."""
    return current_app.config["APP_KEY_BYTES"]


def archive_folder():
    """Return the folder of the encrypted archives, which the store portal lists."""
    return current_app.config["ARC_MVL_DIR"]


def report_file_name():
    """Return the file name of the nightly report's archive."""
    return current_app.config["ARC_MVL_FILENAME"]


class StagedFile:
    """A binary file written under a temporary name next to ``path``, renamed to ``path`` by ``commit``."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        folder, name = os.path.split(self.path)
        os.makedirs(folder, mode=ARCHIVE_FOLDER_MODE, exist_ok=True)
        descriptor, self.temporary_path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        self.file = os.fdopen(descriptor, "wb")

    def finish(self):
        """Write the temporary file to disk and close it, leaving it under its temporary name."""
        if self.file.closed:
            return
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            os.chmod(self.temporary_path, ARCHIVE_FILE_MODE)
        except BaseException:
            self.discard()
            raise

    def commit(self):
        """Finish the file and rename it into place, replacing any previous file."""
        self.finish()
        try:
            os.replace(self.temporary_path, self.path)
        except BaseException:
            self.discard()
            raise
        _sync_folder(os.path.dirname(self.path))

    def discard(self):
        """Close and delete the temporary file; the file at ``path`` stays as it was."""
        try:
            self.file.close()
        except OSError as error:
            # Closing flushes, which fails again when the disk is full; the file is deleted either way.
            logger.warning("Closing the discarded temporary file %s failed: %s", self.temporary_path, error)
        try:
            os.unlink(self.temporary_path)
        except FileNotFoundError:
            pass


def _sync_folder(folder):
    """Write the folder entry of a rename to disk, so that the new file survives a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def atomic_output(path):
    """Yield a binary file that replaces ``path`` when the block ends without an exception.

    On an exception the temporary file is deleted and ``path`` is left as it was.
    """
    staged = StagedFile(path)
    try:
        yield staged.file
    except BaseException:
        staged.discard()
        raise
    staged.commit()


def encrypt_file(source_path, target_path, key):
    """Encrypt the file at ``source_path`` byte for byte into ``target_path``; return the plaintext size."""
    with open(source_path, "rb") as source, atomic_output(target_path) as target:
        return encrypt_stream(source, target, key)


def decrypt_file(path, output, key):
    """Write the plaintext of the archive at ``path`` to the binary stream ``output``, message by message.

    Raises an ``ArchiveError`` subclass at the first message that fails; what was written before it
    is authentic.
    """
    with open(path, "rb") as source:
        for message in DecryptingReader(source, key):
            output.write(message)


@dataclass(frozen=True)
class ArchiveFile:
    """An archive in the archive folder: its name, size in bytes and local modification time.

    ``period_start`` and ``period_end`` are the dates a historic log covers, read from its name.
    """

    name: str
    size: int
    modified: datetime
    period_start: date | None = None
    period_end: date | None = None


def _describe(folder, name):
    status = os.stat(os.path.join(folder, name))
    modified = datetime.fromtimestamp(status.st_mtime, clock.timezone()).replace(tzinfo=None, microsecond=0)
    start, end = _historic_period(name)
    return ArchiveFile(name=name, size=status.st_size, modified=modified, period_start=start, period_end=end)


def _historic_period(name):
    match = _HISTORIC_NAME.match(name)
    if not match:
        return None, None
    try:
        return tuple(datetime.strptime(text, "%Y%m%d").date() for text in match.groups())
    except ValueError:
        return None, None


def current_report():
    """Return the nightly report's archive, or ``None`` when it has not been written."""
    folder, name = archive_folder(), report_file_name()
    if not os.path.isfile(os.path.join(folder, name)):
        return None
    return _describe(folder, name)


def list_historic_logs():
    """Return the historic logs (``*.arcx.csv``) in the archive folder, names in descending order."""
    folder = archive_folder()
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    historic = [
        name
        for name in names
        if name.endswith(HISTORIC_SUFFIX) and not name.startswith(".") and os.path.isfile(os.path.join(folder, name))
    ]
    return [_describe(folder, name) for name in sorted(historic, reverse=True)]


class ArchiveStream:
    """The decrypted content of one archive, as an iterator of ``bytes`` for a streamed response.

    Opening reads the header and decrypts the first message, so an unreadable archive raises before
    any byte is sent. A failure later raises from the iterator, which aborts the response. The file
    is closed when the iteration ends or ``close()`` is called, as WSGI servers do.
    """

    def __init__(self, folder, name, key):
        self.file = _describe(folder, name)
        self._source = open(os.path.join(folder, name), "rb")
        try:
            self._messages = iter(DecryptingReader(self._source, key))
            self._first = next(self._messages)
        except BaseException:
            self._source.close()
            raise

    def __iter__(self):
        try:
            yield self._first
            self._first = None
            yield from self._messages
        finally:
            self.close()

    def close(self):
        self._source.close()


def open_archive(name):
    """Open the archive called ``name`` for download: the nightly report or a listed historic log.

    ``name`` is a bare file name. Raises ``ArchiveNotFound`` for any other name (paths included)
    and an ``ArchiveError`` subclass when the archive cannot be decrypted with the application key.
    """
    folder = archive_folder()
    allowed = name == report_file_name() or name.endswith(HISTORIC_SUFFIX)
    if not allowed or os.path.basename(name) != name or name.startswith(".") or "\\" in name:
        raise ArchiveNotFound(name)
    if not os.path.isfile(os.path.join(folder, name)):
        raise ArchiveNotFound(name)
    try:
        return ArchiveStream(folder, name, archive_key())
    except FileNotFoundError:
        # Deleted between the check above and the opening.
        raise ArchiveNotFound(name) from None
