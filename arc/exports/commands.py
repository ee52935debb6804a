"""The ``flask arc mvl`` commands: the Master Voucher Log report, the historic export, and archive tools."""

import logging
import os
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from arc.exports import archives, mvl
from arc.exports.secretstream import ArchiveCorrupted, ArchiveTruncated, ArchiveUnreadable

logger = logging.getLogger(__name__)

mvl_cli = AppGroup("mvl", help="Master Voucher Log: the nightly report, the historic export and its archives.")

# Exit codes of `export` for bad options, and of `cat`, as the PHP service's commands used them.
EXIT_BAD_FROM = 1
EXIT_BAD_TO = 2
EXIT_BAD_CHUNK_SIZE = 3
EXIT_NOT_FOUND = 1
EXIT_UNREADABLE = 2
EXIT_TRUNCATED = 3
EXIT_CORRUPTED = 4


class CommandFailed(click.ClickException):
    """A command error printed as "Error: <message>", with the exit code given."""

    def __init__(self, message, exit_code=1):
        super().__init__(message)
        self.exit_code = exit_code


@mvl_cli.command("report")
@click.option("--force", is_flag=True, help="Write the report without asking first (cron uses this).")
@click.option("--no-zip", "no_zip", is_flag=True, help="Write separate CSV files into a folder; needs --plain.")
@click.option("--plain", is_flag=True, help="Do not encrypt; write to ARC_MVL_PLAIN_DIR instead of ARC_MVL_DIR.")
def report_command(force, no_zip, plain):
    """Write the nightly Master Voucher Log, replacing the previous one only once it is complete."""
    if no_zip and not plain:
        raise click.UsageError("--no-zip needs --plain: the encrypted report is always one zip archive.")
    path = mvl.report_path(zipped=not no_zip, encrypted=not plain)
    if not force and not click.confirm(f"Write the Master Voucher Log to {path}, replacing any previous one?"):
        click.echo("Nothing was written.")
        return
    try:
        mvl.write_report(zipped=not no_zip, encrypted=not plain)
    except (mvl.ReportSettingError, OSError, SQLAlchemyError) as error:
        logger.exception("Writing the Master Voucher Log to %s failed", path)
        raise CommandFailed(
            f"Writing the Master Voucher Log failed: {error}. The previous report at {path}, if any, is unchanged."
        ) from None


def _parse_day(value, option, exit_code):
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise CommandFailed(f"{option} must be a date written as dd/mm/yyyy, not {value!r}.", exit_code) from None


@mvl_cli.command("export")
@click.option("--from", "from_text", metavar="DD/MM/YYYY", help="First day of the export. Default: 01/01/1970.")
@click.option(
    "--to", "to_text", metavar="DD/MM/YYYY", help="Last day of the export. Default: the day before ARC_MVL_CUTOFF_DATE."
)
@click.option(
    "--chunk-size", "chunk_text", metavar="N", default=str(mvl.DEFAULT_CHUNK_SIZE), show_default=True,
    help="Maximum number of vouchers in one file.",
)
def export_command(from_text, to_text, chunk_text):
    """Export reimbursed vouchers into encrypted historic logs, one set of files per financial year.

    Selects vouchers whose current state is reimbursed and which were last updated between the two
    days, inclusive. Files go to ARC_MVL_DIR, where the store portal lists them.
    """
    start = _parse_day(from_text, "--from", EXIT_BAD_FROM) if from_text else mvl.EXPORT_EPOCH
    try:
        end = _parse_day(to_text, "--to", EXIT_BAD_TO) if to_text else mvl.default_export_end()
    except mvl.ReportSettingError as error:
        raise CommandFailed(str(error)) from None
    try:
        chunk_size = int(chunk_text)
    except ValueError:
        chunk_size = 0
    if chunk_size < 1:
        raise CommandFailed(
            f"--chunk-size must be a whole number of at least 1, not {chunk_text!r}.", EXIT_BAD_CHUNK_SIZE
        )
    if start > end:
        raise CommandFailed(f"--from ({start:%d/%m/%Y}) is after --to ({end:%d/%m/%Y}).")

    click.echo(f"Starting voucher export from {start:%Y/%m/%d} to {end:%Y/%m/%d} in chunks of {chunk_size}.")
    try:
        files = mvl.export_historic(start, end, chunk_size)
    except (OSError, SQLAlchemyError) as error:
        logger.exception("The historic export from %s to %s failed", start, end)
        raise CommandFailed(f"The export failed: {error}. Files not yet renamed into place were deleted.") from None
    for exported in files:
        click.echo(f"{exported.path}: {exported.rows} vouchers")
    if not files:
        click.echo("No reimbursed vouchers in that period; no file was written.")


@mvl_cli.command("encrypt")
@click.argument("file", type=click.Path(dir_okay=False))
def encrypt_command(file):
    """Encrypt FILE with the archive format and the application key into FILE.enc."""
    if not os.path.isfile(file):
        raise CommandFailed(f"File not found: {file}", EXIT_NOT_FOUND)
    try:
        archives.encrypt_file(file, file + ".enc", archives.archive_key())
    except OSError as error:
        raise CommandFailed(f"Encrypting {file} failed: {error}") from None


@mvl_cli.command("cat")
@click.argument("file", type=click.Path(dir_okay=False))
def cat_command(file):
    """Decrypt the archive FILE and write its content to standard output."""
    if not os.path.isfile(file):
        raise CommandFailed(f"File not found: {file}", EXIT_NOT_FOUND)
    with click.open_file("-", "wb") as output:
        try:
            archives.decrypt_file(file, output, archives.archive_key())
        except ArchiveUnreadable as error:
            raise CommandFailed(f"{file} is not a readable archive. {error}", EXIT_UNREADABLE) from None
        except ArchiveTruncated as error:
            raise CommandFailed(f"{file} ended prematurely. {error}", EXIT_TRUNCATED) from None
        except ArchiveCorrupted as error:
            raise CommandFailed(f"Decrypting {file} failed. {error}", EXIT_CORRUPTED) from None
        finally:
            output.flush()
