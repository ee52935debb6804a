"""E-mailing a trader's payment records to the user who requests them."""

import re
from collections.abc import Mapping
from datetime import datetime

from flask import g
from marshmallow import EXCLUDE, Schema, fields, pre_load

from arc.api import ID, bp
from arc.api.bearer import token_required
from arc.api.etag import etagged
from arc.api.passwords import reply_to_invalid_input, validation_error
from arc.api.traders import load_own_trader
from arc.jobs.queue import enqueue
from arc.payments.emails import send_payment_records_email

ALL_RECORDS_REPLY = "Thanks. If you don't receive an email with your voucher records, please try again later."
ONE_DAY_REPLY = (
    "Thanks, we've received your request for payment records from {day}. "
    "If you don't receive an email with your voucher records, please try again later."
)
APP_DATE_FORMAT = "%d-%m-%Y"
APP_DATE_PATTERN = re.compile(r"\d{2}-\d{2}-\d{4}")
INVALID_DATE = "The submission date must be a real date written DD-MM-YYYY, such as 18-06-2025."


class AppDate(fields.String):
    """A day written ``DD-MM-YYYY``, as the trader app shows dates; loads as a ``date``."""

    default_error_messages = {"invalid": INVALID_DATE, "invalid_date": INVALID_DATE}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not APP_DATE_PATTERN.fullmatch(text):
            raise self.make_error("invalid_date")
        try:
            return datetime.strptime(text, APP_DATE_FORMAT).date()
        except ValueError:
            raise self.make_error("invalid_date") from None


class HistoryEmailSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    submission_date = AppDate(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The day whose payment requests to send (a history group's `pended_on`); "
            "null or absent for every record.",
            "example": "18-06-2025",
        },
    )

    @pre_load
    def blank_means_all(self, data, **kwargs):
        """Read an empty or blank date as no date, so that every record is sent."""
        if isinstance(data, Mapping) and isinstance(data.get("submission_date"), str):
            data = {**data, "submission_date": data["submission_date"].strip() or None}
        return data


class MessageSchema(Schema):
    message = fields.String(required=True)


class ValidationErrorSchema(Schema):
    message = fields.String(metadata={"description": "The first problem, and how many more there are."})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), metadata={"description": "Problems by field."}
    )


@bp.route(f"/traders/<{ID}:trader_id>/voucher-history-email", methods=["POST"])
@etagged
@token_required
@reply_to_invalid_input(validation_error)
@bp.arguments(HistoryEmailSchema, location="json_or_form")
@bp.response(200, MessageSchema)
@bp.alt_response(422, schema=ValidationErrorSchema, description="The submission date is not a DD-MM-YYYY date.")
def email_voucher_history(body, trader_id):
    """E-mail the caller a CSV of the trader's payment records: all of them, or one day's."""
    trader = load_own_trader(trader_id)
    day = body["submission_date"]
    enqueue(send_payment_records_email, g.api_user.id, trader.id, day.isoformat() if day else None)
    if day is None:
        return {"message": ALL_RECORDS_REPLY}
    return {"message": ONE_DAY_REPLY.format(day=day.strftime(APP_DATE_FORMAT))}
