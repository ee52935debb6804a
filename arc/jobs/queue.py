"""Running background work: on RQ workers when Redis is configured, otherwise inline.

Views and commands enqueue through ``enqueue`` after they have committed, so that a worker always
finds the rows the job refers to. A job is a module-level function decorated with ``job``: it takes
ids, loads its objects and commits its own work, in an application context of its own when it runs
on a worker.
"""

import functools
import logging

from flask import current_app, has_app_context
from redis import Redis
from rq import Queue

from arc.extensions import db

logger = logging.getLogger(__name__)

QUEUE_NAME = "arc"
# Longer than the largest transition submission or e-mail needs; a job past it is stopped and failed.
JOB_TIMEOUT_SECONDS = 600

_worker_app = None


def set_worker_app(app):
    """Record the application that jobs on this worker process run in."""
    global _worker_app
    _worker_app = app


def job(function):
    """Run the decorated job function inside an application context, logging start, end and failure."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if _worker_app is not None:
            # On a worker each job gets a fresh context, and so a database session of its own.
            with _worker_app.app_context():
                return _run(function, args, kwargs)
        if has_app_context():
            return _run(function, args, kwargs)
        raise RuntimeError("No application for this job: start workers with `flask --app wsgi arc worker`.")

    return wrapper


def _run(function, args, kwargs):
    name = function.__qualname__
    logger.info("job %s%r started", name, args)
    try:
        result = function(*args, **kwargs)
    except Exception:
        db.session.rollback()
        logger.exception("job %s%r failed", name, args)
        raise
    logger.info("job %s%r finished", name, args)
    return result


def redis_connection():
    return Redis.from_url(current_app.config["REDIS_URL"])


def get_queue():
    return Queue(QUEUE_NAME, connection=redis_connection(), default_timeout=JOB_TIMEOUT_SECONDS)


def enqueue(function, *args):
    """Run ``function(*args)`` on a worker, or at once in this process when no Redis is configured.

    Inline runs re-raise nothing: a failed job is logged and recorded by the job itself, as on a worker.
    Returns the RQ job id, or None for an inline run.
    """
    if not current_app.config.get("REDIS_URL"):
        try:
            function(*args)
        except Exception:  # noqa: BLE001 - the job has logged it; the request that enqueued it carries on
            pass
        return None
    queued = get_queue().enqueue_call(function, args=args, timeout=JOB_TIMEOUT_SECONDS, result_ttl=3600)
    logger.info("queued job %s for %s", queued.id, function.__qualname__)
    return queued.id
