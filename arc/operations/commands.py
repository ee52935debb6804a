"""Operator commands: ``flask --app wsgi arc add-area|add-centre|archive-vouchers|duplicate-codes|create-admin``.

Each command prints nothing when it succeeds, except what a dry run or a listing is for, and exits
non-zero with an ``Error:`` line when it fails. Commands that change data take ``--dry-run``, which
checks everything, reports what would change and rolls back.
"""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from arc.centres.models import PRINT_PREFERENCES
from arc.centres.operations import CentreError
from arc.extensions import db
from arc.operations import admins, archiving, areas, current_operator
from arc.operations.duplicate_codes import find_duplicate_codes
from arc.sponsors.models import PROGRAMMES
from arc.sponsors.operations import SponsorError

# Exit codes of add-area and add-centre for a name or prefix in use, a missing area and a bad print
# preference, as the previous service's addSponsor and addCentre commands used them. Other failures exit 1.
EXIT_AREA_EXISTS = 2
EXIT_AREA_NOT_FOUND = 2
EXIT_CENTRE_EXISTS = 3
EXIT_BAD_PRINT_PREFERENCE = 4

DRY_RUN_HELP = "Check the input and print what would change, then roll back and save nothing."


class CommandFailed(click.ClickException):
    """An ``Error: <message>`` line on standard error, and the given exit code."""

    def __init__(self, message, exit_code=1):
        super().__init__(message)
        self.exit_code = exit_code


def finish(dry_run, summary):
    """Commit, or for a dry run roll back and print ``summary``."""
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run, nothing saved: {summary}")
    else:
        db.session.commit()


def fail(message, exit_code=1):
    db.session.rollback()
    raise CommandFailed(message, exit_code)


@click.command("add-area")
@with_appcontext
@click.argument("name")
@click.argument("shortcode")
@click.option(
    "--programme",
    type=click.Choice([str(number) for number in PROGRAMMES]),
    default="0",
    show_default=True,
    help="0 for Standard, 1 for Social Prescribing.",
)
@click.option("--can-tap", is_flag=True, help="Let the area's traders use the trader app's tap page.")
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
def add_area_command(name, shortcode, programme, can_tap, dry_run):
    """Add an area (sponsor) NAME whose voucher codes start with SHORTCODE.

    Exits 2 when an area already has that name or voucher prefix.
    """
    try:
        area = areas.add_area(name, shortcode, int(programme), can_tap, current_operator())
    except areas.AreaExists as error:
        fail(str(error), EXIT_AREA_EXISTS)
    except (areas.InvalidName, SponsorError) as error:
        fail(str(error))
    tap = "may" if area.can_tap else "may not"
    finish(
        dry_run,
        f"would add area {area.name!r} with voucher prefix {area.shortcode}, programme "
        f"{area.programme_name}; its traders {tap} use the tap page.",
    )


@click.command("add-centre")
@with_appcontext
@click.argument("name")
@click.argument("prefix")
@click.argument("shortcode")
@click.option(
    "--print-pref",
    metavar="|".join(PRINT_PREFERENCES),
    default=PRINT_PREFERENCES[0],
    show_default=True,
    help="How the centre prints registration forms: one sheet per collection, or one per family.",
)
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
def add_centre_command(name, prefix, shortcode, print_pref, dry_run):
    """Add a children's centre NAME with RVID PREFIX to the area whose voucher prefix is SHORTCODE.

    Exits 2 when no area has that voucher prefix, 3 when a centre already has that name or RVID
    prefix, and 4 for an unknown print preference.
    """
    try:
        centre = areas.add_centre(name, prefix, shortcode, print_pref, current_operator())
    except areas.AreaNotFound as error:
        fail(str(error), EXIT_AREA_NOT_FOUND)
    except areas.CentreExists as error:
        fail(str(error), EXIT_CENTRE_EXISTS)
    except areas.InvalidPrintPreference as error:
        fail(str(error), EXIT_BAD_PRINT_PREFERENCE)
    except (areas.InvalidName, CentreError) as error:
        fail(str(error))
    finish(
        dry_run,
        f"would add centre {centre.name!r} with RVID prefix {centre.prefix} to area {centre.sponsor.name!r}, "
        f"printing by {centre.print_pref}.",
    )


@click.command("archive-vouchers")
@with_appcontext
@click.option(
    "--before",
    metavar="YYYY-MM-DD",
    help="Cut-off date: archive finished vouchers last changed before it. Default: ARC_ARCHIVE_CUTOFF_DATE.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, archiving.MAX_BATCH_SIZE),
    default=archiving.DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Vouchers moved in each transaction.",
)
@click.option("--dry-run", is_flag=True, help="Count the vouchers and history rows that would move, and move nothing.")
def archive_vouchers_command(before, batch_size, dry_run):
    """Move finished vouchers, with their history, into the archive tables.

    Finished means reimbursed, retired, voided or expired. Each batch is copied and deleted in one
    transaction; an interrupted run can simply be run again. Run it at a quiet time: the vouchers
    of the batch being moved are locked.
    """
    try:
        cutoff = archiving.parse_cutoff(before or current_app.config["ARC_ARCHIVE_CUTOFF_DATE"])
        archiving.check_cutoff(cutoff)
    except archiving.ArchiveError as error:
        fail(str(error))

    if dry_run:
        count = archiving.count_archivable(cutoff)
        db.session.rollback()
        click.echo(
            f"Dry run, nothing moved: {count.vouchers} vouchers and {count.history_rows} history rows "
            f"last changed before {cutoff:%Y-%m-%d} would be archived."
        )
        return

    after_id = 0
    while True:
        try:
            batch = archiving.archive_next_batch(cutoff, after_id, batch_size)
        except archiving.ArchiveError as error:
            fail(str(error))
        if batch is None:
            break
        db.session.commit()
        after_id = batch.last_voucher_id


@click.command("duplicate-codes")
@with_appcontext
def duplicate_codes_command():
    """List voucher codes held by more than one voucher, live or archived; exit 1 when there are any.

    Codes are compared in upper case with whitespace removed, as the service matches them.
    """
    duplicates = find_duplicate_codes()
    db.session.rollback()
    if not duplicates:
        return
    for duplicate in duplicates:
        click.echo(f"{duplicate.code}: {len(duplicate.holders)} vouchers")
        for holder in duplicate.holders:
            click.echo(f"  {holder.describe()}")
    raise CommandFailed(
        f"{len(duplicates)} voucher code(s) are used by more than one voucher. Keep the code on one voucher "
        "and re-code or delete the others, then run this command again."
    )


def read_password_from_stdin():
    """Return the first line of standard input without its line ending."""
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@click.command("create-admin")
@with_appcontext
@click.argument("name")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.option("--dry-run", is_flag=True, help=DRY_RUN_HELP)
def create_admin_command(name, email, password_stdin, dry_run):
    """Create an admin-portal user NAME with EMAIL, asking for the password twice.

    Refuses an e-mail address that an admin user already has.
    """
    if password_stdin:
        password = read_password_from_stdin()
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password")
    try:
        admin = admins.create_admin(name, email, password, current_operator())
    except admins.AdminUserError as error:
        fail(str(error))
    if dry_run:
        finish(dry_run, f"would create admin user {admin.name!r} <{admin.email}>.")
        return
    try:
        db.session.commit()
    except IntegrityError:
        fail(f"An admin user with the e-mail address {email} was created at the same time; nothing was saved.")


# Added to the ``flask --app wsgi arc`` group by arc/cli.py.
OPERATOR_COMMANDS = (
    add_area_command,
    add_centre_command,
    archive_vouchers_command,
    duplicate_codes_command,
    create_admin_command,
)
