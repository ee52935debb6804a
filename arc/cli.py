"""The ``flask arc`` command group for operators."""

import click
from flask.cli import AppGroup

arc_cli = AppGroup("arc", help="ARC Voucher Service commands.")


@arc_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty instead of waiting for more jobs.")
def worker_command(burst):
    """Run a background job worker on the RQ queue (needs REDIS_URL)."""
    from flask import current_app
    from rq import SimpleWorker

    from arc.jobs.queue import get_queue, set_worker_app

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set, so jobs run inline and no worker is needed.")
    app = current_app._get_current_object()
    set_worker_app(app)
    queue = get_queue()
    # One process, no fork per job: the database connection pool is never shared across a fork.
    SimpleWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=False)


@arc_cli.command("demo-data")
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed of the random generator: the same seed loads the same data. Default: 2019.",
)
@click.option("--large", is_flag=True, help="Also add 11,000 vouchers for trader 2, Larry's Local Larder.")
@click.option("--dry-run", is_flag=True, help="Build the data and print the counts, then roll back and keep nothing.")
def demo_data_command(seed, large, dry_run):
    """Load the demo data set into an empty, migrated database. Never runs in production."""
    import random

    from flask import current_app

    from arc.demo import loader
    from arc.extensions import db

    rng = random.Random(loader.DEFAULT_SEED if seed is None else seed)
    try:
        loader.check_environment(current_app.config["APP_ENV"])
        counts = loader.load_demo_data(rng, large=large)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except loader.DemoDataRejected as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except Exception:
        db.session.rollback()
        raise
    summary = ", ".join(f"{count} {table}" for table, count in counts.items())
    click.echo(("Dry run, nothing kept: " if dry_run else "Loaded demo data: ") + summary + ".")


@arc_cli.command("send-duplicate-reports")
@click.option("--dry-run", is_flag=True, help="List the traders whose reports are due, and send nothing.")
def send_duplicate_reports_command(dry_run):
    """E-mail the charity the duplicate-voucher reports whose hour has passed (cron runs this hourly)."""
    from arc.vouchers import duplicates

    if dry_run:
        for trader_id, count in duplicates.pending_counts().items():
            click.echo(f"trader {trader_id}: {count} pending report(s) due")
        return
    failed = duplicates.send_due_reports()
    if failed:
        raise click.ClickException(
            "Sending the duplicate-voucher e-mail failed for trader(s) "
            + ", ".join(str(trader_id) for trader_id in failed)
            + ". Their reports stay pending; check the mail settings (MAIL_HOST) and run the command again."
        )


from arc.exports.commands import mvl_cli  # noqa: E402  (kept next to its registration)

arc_cli.add_command(mvl_cli)

from arc.operations.commands import OPERATOR_COMMANDS  # noqa: E402  (kept next to its registration)

for _command in OPERATOR_COMMANDS:
    arc_cli.add_command(_command)
