"""Lost and reset password for trader-app users, with the response bodies the installed apps read.

Every 422 of these routes has the framework's validation body (``message`` and ``errors``) and the
top-level fields that the app screens display: the lost-password screen shows ``email`` (a string),
and the change-password screen shows ``password[0]``.
"""

import logging
from collections.abc import Mapping
from functools import wraps

from flask import jsonify
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate, validates_schema
from werkzeug.exceptions import UnprocessableEntity

from arc.api import bp
from arc.extensions import db
from arc.jobs.queue import enqueue
from arc.users import password_resets
from arc.users.models import User

logger = logging.getLogger(__name__)

LINK_SENT = "If we know that email, you'll get a reset link shortly!"
THROTTLED = "Please wait before retrying."
INVALID_TOKEN = "This password reset token is invalid."
PASSWORD_CHANGED = "Your password has been reset!"
MIN_PASSWORD_LENGTH = 8
PASSWORD_MISMATCH = "The password confirmation does not match."
PASSWORD_TOO_SHORT = f"The password must be at least {MIN_PASSWORD_LENGTH} characters."
INVALID_EMAIL = "The email must be a valid email address."

# Fields that keep their spaces: every other string is trimmed, as the previous service did.
UNTRIMMED_FIELDS = ("password", "password_confirmation")


def _field_messages(name, label=None):
    label = label or name.replace("_", " ")
    return {
        "required": f"The {label} field is required.",
        "null": f"The {label} field is required.",
        "invalid": f"The {label} must be a string.",
    }


class FormInputSchema(Schema):
    """A request body read as the previous service read it: strings trimmed, empty strings as null."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": "The request body must be a JSON object or a form."}

    @pre_load
    def trim_strings(self, data, **kwargs):
        if not isinstance(data, Mapping):
            return data
        cleaned = {}
        for name, value in data.items():
            if name not in self.fields:
                continue
            if isinstance(value, str):
                if name not in UNTRIMMED_FIELDS:
                    value = value.strip()
                if value == "":
                    value = None
            cleaned[name] = value
        return cleaned


def _email_field():
    return fields.String(
        required=True,
        validate=validate.Email(error=INVALID_EMAIL),
        error_messages=_field_messages("email"),
        metadata={"description": "The user's e-mail address."},
    )


class LostPasswordSchema(FormInputSchema):
    email = _email_field()


class PasswordResetSchema(FormInputSchema):
    token = fields.String(
        required=True,
        error_messages=_field_messages("token"),
        metadata={"description": "The token from the reset link."},
    )
    email = _email_field()
    password = fields.String(
        required=True,
        load_only=True,
        error_messages=_field_messages("password"),
        metadata={"description": f"The new password, at least {MIN_PASSWORD_LENGTH} characters."},
    )
    password_confirmation = fields.String(
        load_default=None,
        allow_none=True,
        load_only=True,
        error_messages=_field_messages("password_confirmation"),
    )

    @validates_schema(skip_on_field_errors=False)
    def check_password(self, data, **kwargs):
        password = data.get("password")
        if password is None:
            return
        problems = []
        if password != data.get("password_confirmation"):
            problems.append(PASSWORD_MISMATCH)
        if len(password) < MIN_PASSWORD_LENGTH:
            problems.append(PASSWORD_TOO_SHORT)
        if problems:
            raise ValidationError(problems, field_name="password")


class StatusSchema(Schema):
    status = fields.String(required=True)


class PasswordErrorSchema(Schema):
    message = fields.String(metadata={"description": "The first problem, and how many more there are."})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), metadata={"description": "Problems by field."}
    )
    email = fields.String(metadata={"description": "The problem with the e-mail address or the reset."})
    password = fields.List(fields.String(), metadata={"description": "The problems that the app shows."})


def _all_messages(errors):
    return [message for messages in errors.values() for message in messages]


def validation_body(errors):
    """Return the framework's validation body for ``errors`` ({field: [message, ...]}).

    ``message`` is the first message, followed by "(and N more errors)" when there are more.
    """
    messages = _all_messages(errors)
    summary = messages[0]
    more = len(messages) - 1
    if more:
        summary += f" (and {more} more error{'s' if more > 1 else ''})"
    return {"message": summary, "errors": errors}


def validation_error(errors):
    """Return a 422 response with the framework's validation body."""
    return jsonify(validation_body(errors)), 422


def lost_password_error(errors):
    body = validation_body(errors)
    body["email"] = (errors.get("email") or _all_messages(errors))[0]
    return jsonify(body), 422


def reset_error(errors):
    body = validation_body(errors)
    if "email" in errors:
        body["email"] = errors["email"][0]
    body["password"] = errors.get("password") or _all_messages(errors)[:1]
    return jsonify(body), 422


def _messages_by_field(error, field_order):
    """Return {field: [message, ...]} from the 422 that ``bp.arguments`` raises, in ``field_order``."""
    by_location = (getattr(error, "data", None) or {}).get("messages") or {}
    found = {}
    for location_messages in by_location.values():
        for name, messages in location_messages.items():
            found.setdefault(name, []).extend(messages if isinstance(messages, list) else [str(messages)])
    ordered = {name: found.pop(name) for name in field_order if name in found}
    ordered.update(found)
    return ordered


def reply_to_invalid_input(make_response, field_order=()):
    """Reply to invalid input of a ``bp.arguments`` view with ``make_response({field: [message, ...]})``.

    Place it between ``bp.route`` and ``bp.arguments``.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except UnprocessableEntity as error:
                return make_response(_messages_by_field(error, field_order))

        return wrapper

    return decorator


@bp.route("/user/lost_password", methods=["POST"])
@reply_to_invalid_input(lost_password_error)
@bp.arguments(LostPasswordSchema, location="json_or_form")
@bp.response(200, StatusSchema)
@bp.alt_response(422, schema=PasswordErrorSchema, description="Invalid e-mail address, or asked again within 60 s.")
def lost_password(body):
    """Ask for a password-reset link by e-mail. Known and unknown addresses get the same response."""
    user = password_resets.find_user(User, body["email"])
    if user is not None:
        if password_resets.recently_requested(user.email):
            return lost_password_error({"email": [THROTTLED]})
        enqueue(password_resets.send_trader_app_reset_link, user.id)
        logger.info("password reset link requested for user %s", user.id)
    return {"status": LINK_SENT}


@bp.route("/user/lost_password/reset", methods=["POST"])
@reply_to_invalid_input(reset_error, field_order=("token", "email", "password", "password_confirmation"))
@bp.arguments(PasswordResetSchema, location="json_or_form")
@bp.response(200, StatusSchema)
@bp.alt_response(422, schema=PasswordErrorSchema, description="Invalid input, unknown e-mail address or bad token.")
def reset_password(body):
    """Set a new password with the token from the reset e-mail. The user is not logged in."""
    user = password_resets.find_user(User, body["email"])
    if user is None:
        return reset_error({"email": [LINK_SENT]})
    try:
        password_resets.reset_password(user, body["token"], body["password"])
    except password_resets.InvalidResetToken:
        db.session.rollback()
        logger.info("password reset for user %s rejected: invalid or expired token", user.id)
        return reset_error({"email": [INVALID_TOKEN]})
    db.session.commit()
    logger.info("user %s reset their password", user.id)
    return {"status": PASSWORD_CHANGED}
