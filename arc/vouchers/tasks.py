"""Background jobs about vouchers."""

import logging
from datetime import date

from flask import current_app

from arc.extensions import db
from arc.jobs import statuses
from arc.jobs.models import JobStatus
from arc.jobs.queue import enqueue, job
from arc.markets.models import Trader
from arc.users.models import User
from arc.vouchers.transitions import process_submission

logger = logging.getLogger(__name__)

TRANSITION_JOB_TYPE = "App\\Jobs\\ProcessTransitionJob"
TRY_AGAIN = {"error": "Sorry, we couldn't process those voucher codes just now. Please try again."}


def first_delivery_date():
    return date.fromisoformat(current_app.config["ARC_FIRST_DELIVERY_DATE"])


def run_submission(user, trader, transition, codes):
    """Process a submission, commit it, then queue its e-mails; return the app's reply."""
    outcome = process_submission(user, trader, transition, codes, first_delivery_date())
    db.session.commit()
    logger.info(
        "user %s applied %s for trader %s: %s", user.id, transition, trader.id,
        {bucket: len(getattr(outcome, bucket)) for bucket in ("success_add", "success_reject", "invalid")},
    )
    if outcome.state_token is not None:
        from arc.payments.emails import send_payment_request_email

        enqueue(send_payment_request_email, outcome.state_token.id)
    if outcome.recorded_by_other_trader:
        from arc.vouchers.duplicates import report_duplicate_vouchers

        enqueue(report_duplicate_vouchers, trader.id, user.id, outcome.recorded_by_other_trader)
    return outcome.reply()


@job
def process_transition_job(job_status_id):
    """Run a queued submission once, storing the app's reply, or a try-again reply if it fails."""
    status = db.session.get(JobStatus, job_status_id)
    if status is None or status.status != statuses.QUEUED:
        logger.warning("job status %s is missing or has already run; skipping", job_status_id)
        return
    statuses.mark_started(status)
    db.session.commit()

    submission = statuses.job_input(status)
    try:
        user = db.session.get(User, submission["user_id"])
        trader = db.session.get(Trader, submission["data"]["trader_id"])
        if user is None or trader is None or not user.has_enabled_trader(trader):
            result, outcome = TRY_AGAIN, statuses.FAILED
        else:
            data = submission["data"]
            result, outcome = run_submission(user, trader, data["transition"], data["vouchers"]), statuses.FINISHED
    except Exception:
        db.session.rollback()
        status = db.session.get(JobStatus, job_status_id)
        statuses.mark_ended(status, statuses.FAILED, TRY_AGAIN)
        db.session.commit()
        raise
    statuses.mark_ended(status, outcome, result)
    db.session.commit()
