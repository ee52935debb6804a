"""Job-status rows: how a client polls a queued job it submitted, in both queue and inline modes."""

import json

from arc import clock
from arc.extensions import db
from arc.jobs.models import JobStatus

QUEUED = "queued"
EXECUTING = "executing"
FINISHED = "finished"
FAILED = "failed"
RETRYING = "retrying"


def create_job_status(job_type, user_id, data):
    """Add a queued job-status row recording who submitted it and with what; flushes."""
    status = JobStatus(type=job_type, status=QUEUED, input=json.dumps({"user_id": user_id, "data": data}))
    db.session.add(status)
    db.session.flush()
    return status


def job_input(status):
    return json.loads(status.input or "{}")


def submitted_by(status, user_id):
    """Return whether the user with ``user_id`` submitted the job (only they may see its result)."""
    return job_input(status).get("user_id") == user_id


def mark_started(status):
    status.status = EXECUTING
    status.attempts = (status.attempts or 0) + 1
    status.started_at = clock.now()


def mark_ended(status, outcome, result):
    """Record that a job finished or failed, with the JSON result its submitter is shown."""
    status.status = outcome
    status.output = json.dumps({"result": result})
    status.finished_at = clock.now()


def job_result(status):
    """Return the stored result of an ended job, or None (still running, or a row from the old service)."""
    try:
        return json.loads(status.output or "{}").get("result")
    except (ValueError, AttributeError):
        return None
