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
