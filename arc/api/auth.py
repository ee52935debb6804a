"""Logging in and out of the trader app, with the response shapes the installed clients read."""

import logging

from flask import Response, g, jsonify

from arc.api import bp
from arc.api.bearer import token_required
from arc.api.schemas import LoginDocumentSchema, LoginSchema, OAuthErrorSchema, RefreshSchema, RefreshWrapperSchema, TokenSchema
from arc.auth import tokens
from arc.auth.logins import LoginError, authenticate_trader_user
from arc.extensions import db

logger = logging.getLogger(__name__)

WRONG_CREDENTIALS = "The user credentials were incorrect."
MISSING_PARAMETER = (
    "The request is missing a required parameter, includes an invalid parameter value, "
    "includes a parameter more than once, or is otherwise malformed."
)
LOGIN_ERRORS = {
    "invalid_credentials": (401, {"error": "invalid_credentials", "message": WRONG_CREDENTIALS}),
    "invalid_grant": (
        400,
        {"error": "invalid_grant", "error_description": WRONG_CREDENTIALS, "message": WRONG_CREDENTIALS},
    ),
    "invalid_request": (
        400,
        {
            "error": "invalid_request",
            "error_description": MISSING_PARAMETER,
            "hint": "Check the `username` and `password` parameters",
            "message": MISSING_PARAMETER,
        },
    ),
}


def _token_body(pair):
    return {"access_token": pair.access_token, "expires_in": pair.expires_in, "refresh_token": pair.refresh_token}


@bp.route("/login", methods=["POST"])
@bp.arguments(LoginSchema, location="json_or_form")
@bp.doc(requestBody={"content": {"application/json": {"schema": LoginDocumentSchema}}, "required": True})
@bp.response(200, TokenSchema)
@bp.alt_response(400, schema=OAuthErrorSchema, description="A field is missing or the password is wrong.")
@bp.alt_response(401, schema=OAuthErrorSchema, description="No user with an enabled trader has that e-mail.")
def login(credentials):
    """Log in with e-mail and password and receive an access and a refresh token."""
    try:
        user = authenticate_trader_user(credentials["username"], credentials["password"])
    except LoginError as error:
        logger.info("trader app login rejected: %s", error.code)
        status, body = LOGIN_ERRORS[error.code]
        return jsonify(body), status
    pair = tokens.issue_tokens(user)
    db.session.commit()
    logger.info("user %s logged in to the trader app", user.id)
    return _token_body(pair)


@bp.route("/login/refresh", methods=["POST"])
@bp.arguments(RefreshSchema, location="json_or_form")
@bp.response(200, RefreshWrapperSchema)
def refresh(body):
    """Exchange a refresh token for a new pair. The status is always 200, and a failure has an empty ``original``."""
    pair = tokens.refresh_tokens(body["refresh_token"])
    if pair is None:
        db.session.rollback()
        return {"headers": {}, "original": {}, "exception": {}}
    db.session.commit()
    return {"headers": {}, "original": _token_body(pair), "exception": None}


@bp.route("/logout", methods=["POST"])
@bp.response(204)
@token_required
def logout():
    """Revoke the access token of this request and its refresh tokens."""
    tokens.revoke_access_token(g.api_access_token)
    db.session.commit()
    logger.info("user %s logged out of the trader app", g.api_user.id)
    return Response(status=204)
