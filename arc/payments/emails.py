"""E-mails about payments: a payment request to the charity, and payment records to a trader-app user.

Both are background jobs; views and other jobs enqueue them after committing.
"""

import logging
from datetime import date

from flask import current_app
from sqlalchemy.orm import selectinload

from arc import mail
from arc.extensions import db
from arc.jobs.queue import job
from arc.markets.models import Trader
from arc.payments.csv import (
    format_date,
    pended_dates,
    records_csv,
    state_token_payment_records,
    trader_payment_records,
)
from arc.payments.models import StateToken
from arc.sponsors.models import SOCIAL_PRESCRIBING_PROGRAMME, STANDARD_PROGRAMME
from arc.users.models import User
from arc.vouchers.models import Voucher, VoucherState

logger = logging.getLogger(__name__)

PAYMENT_REQUEST_SUBJECT = "Rose Voucher Payment Request"
PAYMENT_RECORDS_SUBJECT = "Rose Voucher Payment Records"
PAYMENT_REQUEST_FILENAME = "rose-voucher-payment-request.csv"
PAYMENT_RECORDS_FILENAME = "rose-voucher-history.csv"
NO_MARKET = "no associated market"
PROGRAMME_TITLES = {
    STANDARD_PROGRAMME: "Standard vouchers",
    SOCIAL_PRESCRIBING_PROGRAMME: "Social prescription vouchers",
}


def _programme_of(voucher):
    """Return the programme a voucher counts under: social prescription for programme 1, else standard."""
    if voucher.sponsor.programme == SOCIAL_PRESCRIBING_PROGRAMME:
        return SOCIAL_PRESCRIBING_PROGRAMME
    return STANDARD_PROGRAMME


def programme_counts(vouchers):
    """Return how many of ``vouchers`` are standard and how many social prescription vouchers."""
    counts = {"standard": 0, "social_prescription": 0}
    for voucher in vouchers:
        if _programme_of(voucher) == SOCIAL_PRESCRIBING_PROGRAMME:
            counts["social_prescription"] += 1
        else:
            counts["standard"] += 1
    return counts


def counts_by_area(vouchers):
    """Return {programme: {area (sponsor) name: number of vouchers}}, areas in name order.

    Both programmes are always present: 0 (standard) and 1 (social prescription).
    """
    areas = {STANDARD_PROGRAMME: {}, SOCIAL_PRESCRIBING_PROGRAMME: {}}
    for voucher in vouchers:
        names = areas[_programme_of(voucher)]
        names[voucher.sponsor.name] = names.get(voucher.sponsor.name, 0) + 1
    return {programme: dict(sorted(names.items())) for programme, names in areas.items()}


def market_name(trader):
    """Return the name of the trader's market, or "no associated market"."""
    return trader.market.name if trader is not None and trader.market is not None else NO_MARKET


def _payment_request_vouchers(state_token_id):
    confirmed_ids = db.session.query(VoucherState.voucher_id).filter(
        VoucherState.state_token_id == state_token_id, VoucherState.to_state == "payment_pending"
    )
    return (
        db.session.query(Voucher)
        .filter(Voucher.id.in_(confirmed_ids))
        .options(selectinload(Voucher.sponsor), selectinload(Voucher.trader).selectinload(Trader.market))
        .order_by(Voucher.id)
        .all()
    )


@job
def send_payment_request_email(state_token_id):
    """E-mail the charity that a trader has requested payment, with the vouchers as a CSV attachment.

    The request is the state token ``state_token_id`` and the vouchers its ``confirm`` history rows
    moved to ``payment_pending``. Sends nothing for an unknown token or one without such rows.
    """
    token = db.session.get(StateToken, state_token_id)
    vouchers = _payment_request_vouchers(state_token_id) if token is not None else []
    if not vouchers:
        logger.warning("payment request e-mail not sent: state token %s has no confirmed vouchers", state_token_id)
        return

    trader = vouchers[0].trader
    if any(voucher.trader_id != vouchers[0].trader_id for voucher in vouchers):
        logger.warning(
            "payment request %s contains vouchers of several traders; the e-mail names trader %s",
            state_token_id,
            vouchers[0].trader_id,
        )
    user = db.session.get(User, token.user_id) if token.user_id is not None else None
    areas = counts_by_area(vouchers)
    context = {
        "user_name": user.name if user is not None else "A trader-app user",
        "total": len(vouchers),
        "trader_name": trader.name if trader is not None else "an unknown trader",
        "market_name": market_name(trader),
        "counts": programme_counts(vouchers),
        "area_tables": [(PROGRAMME_TITLES[programme], names) for programme, names in areas.items() if names],
        "admin_url": mail.site_url(current_app.config["ARC_SERVICE_DOMAIN"], "/"),
    }
    attachment = mail.Attachment(
        PAYMENT_REQUEST_FILENAME, records_csv(state_token_payment_records(state_token_id)), "text/csv"
    )
    config = current_app.config
    message = mail.compose(
        config["MAIL_TO_ADMIN_ADDRESS"],
        config["MAIL_TO_ADMIN_NAME"],
        PAYMENT_REQUEST_SUBJECT,
        "payment_request",
        context,
        [attachment],
    )
    mail.send(message)
    logger.info("payment request %s e-mailed to the charity (%s vouchers)", state_token_id, len(vouchers))


@job
def send_payment_records_email(user_id, trader_id, day=None):
    """E-mail a trader-app user their trader's payment records as a CSV attachment.

    ``day`` is an ISO date (``YYYY-MM-DD``) to send only the vouchers sent for payment that day, or
    None for every record. When there are no records, the e-mail states that and has no attachment.
    """
    user = db.session.get(User, user_id)
    trader = db.session.get(Trader, trader_id)
    if user is None or trader is None:
        logger.warning("payment records e-mail not sent: user %s or trader %s does not exist", user_id, trader_id)
        return

    requested_day = date.fromisoformat(day) if day else None
    records = trader_payment_records(trader_id, requested_day)
    if requested_day is not None:
        first_day = last_day = requested_day
    else:
        first_day, last_day = pended_dates(records)
    context = {
        "trader_name": trader.name,
        "total": len(records),
        "requested_day": format_date(requested_day) if requested_day else None,
        "first_date": format_date(first_day) if first_day else None,
        "last_date": format_date(last_day) if last_day and last_day != first_day else None,
    }
    attachments = [mail.Attachment(PAYMENT_RECORDS_FILENAME, records_csv(records), "text/csv")] if records else []
    message = mail.compose(user.email, user.name, PAYMENT_RECORDS_SUBJECT, "payment_records", context, attachments)
    mail.send(message)
    logger.info("payment records of trader %s e-mailed to user %s (%s vouchers)", trader_id, user_id, len(records))
