"""Submitting voucher codes: the legacy synchronous route, the queued route and its polling routes."""

from flask import Response, abort, g, request, url_for
from marshmallow import ValidationError

from arc.api import ID, bp
from arc.api.bearer import token_required
from arc.api.schemas import JobPollSchema, TransitionReplySchema, TransitionRequestSchema
from arc.columns import is_row_id
from arc.extensions import db
from arc.jobs import statuses
from arc.jobs.models import JobStatus
from arc.jobs.queue import enqueue
from arc.markets.models import Trader
from arc.vouchers.tasks import TRANSITION_JOB_TYPE, process_transition_job, run_submission
from arc.vouchers.transitions import TRADER_TRANSITIONS

POLL_AFTER_SECONDS = 2
FIELD_ORDER = ("trader_id", "transition", "vouchers")
TRANSITION_BODY = {"content": {"application/json": {"schema": TransitionRequestSchema}}, "required": True}


def _plain_text(message, status):
    # A Response object, so that flask-smorest passes it through instead of dumping it as JSON.
    return Response(message, status=status, mimetype="text/plain")


def _first_message(errors):
    """Return the first validation message in field order, as the trader app shows only one."""
    for name in FIELD_ORDER:
        if name not in errors:
            continue
        detail = errors[name]
        if isinstance(detail, dict):
            index = sorted(detail)[0]
            return f"The {name}.{index} must be a string."
        return detail[0]
    return next(iter(errors.values()))[0]


def load_submission():
    """Check the trader first (404 unknown, 403 not the caller's), then validate the body (400 plain text)."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    trader_id = body.get("trader_id")
    known_id = is_row_id(trader_id)
    trader = db.session.get(Trader, int(trader_id)) if known_id else None
    if trader is None or trader.deleted_at is not None:
        abort(404, description=f"No query results for model [App\\Trader] {trader_id if trader_id is not None else ''}".rstrip())
    if not g.api_user.has_enabled_trader(trader):
        abort(403, description="This action is unauthorized.")
    try:
        submission = TransitionRequestSchema().load(body)
    except ValidationError as error:
        return trader, None, _plain_text(_first_message(error.messages), 400)
    if not submission["transition"]:
        return trader, None, _plain_text("No transition", 400)
    if submission["transition"] not in TRADER_TRANSITIONS:
        return trader, None, _plain_text("The selected transition is invalid.", 400)
    if not submission["vouchers"]:
        return trader, None, _plain_text("No voucher data", 400)
    blank = next((index for index, code in enumerate(submission["vouchers"]) if not code.strip()), None)
    if blank is not None:
        return trader, None, _plain_text(f"The vouchers.{blank} field is required.", 400)
    return trader, submission, None


@bp.route("/vouchers", methods=["POST"])
@bp.doc(requestBody=TRANSITION_BODY)
@bp.response(200, TransitionReplySchema)
@bp.alt_response(400, description="Invalid submission; the body is the first message as plain text.")
@token_required
def submit_vouchers():
    """Apply `collect`, `reject` or `confirm` to the codes now and return the message to show."""
    trader, submission, error = load_submission()
    if error:
        return error
    return run_submission(g.api_user, trader, submission["transition"], submission["vouchers"])


def _poll_body(status, location):
    return {"location": location, "retry-after": POLL_AFTER_SECONDS, "id": status.id, "status": status.status}


@bp.route("/vouchers/transitions", methods=["POST"])
@bp.doc(requestBody=TRANSITION_BODY)
@bp.response(202, JobPollSchema)
@bp.alt_response(400, description="Invalid submission; the body is the first message as plain text.")
@token_required
def queue_vouchers():
    """Queue the codes for processing and return where to poll for the result."""
    trader, submission, error = load_submission()
    if error:
        return error
    data = {"trader_id": trader.id, "transition": submission["transition"], "vouchers": submission["vouchers"]}
    status = statuses.create_job_status(TRANSITION_JOB_TYPE, g.api_user.id, data)
    db.session.commit()
    enqueue(process_transition_job, status.id)
    db.session.refresh(status)
    return _poll_body(status, url_for("api.poll_job", job_status_id=status.id, _external=True))


def load_own_job(job_status_id):
    status = db.session.get(JobStatus, job_status_id)
    if status is None or not statuses.submitted_by(status, g.api_user.id):
        abort(404, description=f"No query results for model [App\\JobStatus] {job_status_id}")
    return status


@bp.route(f"/queue/<{ID}:job_status_id>")
@bp.response(200, JobPollSchema, description="Still running: poll `location` again after `retry-after` seconds.")
@bp.alt_response(202, schema=JobPollSchema, description="Ended: the result is at `location`.")
@token_required
def poll_job(job_status_id):
    """Report whether a queued submission has ended."""
    status = load_own_job(job_status_id)
    if status.status in (statuses.FINISHED, statuses.FAILED):
        location = url_for("api.transition_result", job_status_id=status.id, _external=True)
        # A failed job is reported as ended too, so the app stops polling and shows its try-again reply.
        return {"location": location, "id": status.id, "status": statuses.FINISHED}, 202, {"Location": location}
    return _poll_body(status, url_for("api.poll_job", job_status_id=status.id, _external=True))


@bp.route(f"/vouchers/transitions/<{ID}:job_status_id>")
@bp.response(200, TransitionReplySchema)
@bp.alt_response(404, description="No result yet (or none kept); the body is an empty object.")
@bp.alt_response(503, schema=TransitionReplySchema, description="The job failed and changed nothing: try again.")
@token_required
def transition_result(job_status_id):
    """Return the message for an ended queued submission."""
    status = load_own_job(job_status_id)
    result = statuses.job_result(status)
    if result is None:
        return {}, 404
    if status.status == statuses.FAILED:
        # A non-2xx status makes the trader app show that the request failed and should be tried later.
        return result, 503
    return result
