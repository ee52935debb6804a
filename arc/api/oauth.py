"""The OAuth 2 token endpoint of the previous service, for callers that used it directly.

The trader app does not call it: it logs in through ``/api/login``. Unlike that route, the password
grant here does not require the user to have an enabled trader, as before.
"""

import hmac
import logging

from flask import current_app, jsonify, request

from arc.api import oauth_bp
from arc.auth import tokens
from arc.auth.logins import LoginError, check_trader_user_password
from arc.auth.models import OAuthClient
from arc.extensions import csrf, db
from arc.users import passwords

logger = logging.getLogger(__name__)

WRONG_CREDENTIALS = "The user credentials were incorrect."
CLIENT_FAILED = "Client authentication failed"
MISSING_PARAMETER = (
    "The request is missing a required parameter, includes an invalid parameter value, "
    "includes a parameter more than once, or is otherwise malformed."
)


def _error(status, error, description):
    return jsonify(error=error, error_description=description, message=description), status


def _client_is_valid(client_id, client_secret):
    """Return whether the id and secret name the configured password client."""
    config = current_app.config
    if not client_id or not client_secret or str(client_id) != str(config["PASSWORD_CLIENT"]):
        return False
    if config["PASSWORD_CLIENT_SECRET"]:
        return hmac.compare_digest(client_secret.encode(), config["PASSWORD_CLIENT_SECRET"].encode())
    client = db.session.get(OAuthClient, config["PASSWORD_CLIENT"])
    if client is None or client.revoked or not client.password_client or not client.secret:
        return False
    if client.secret.startswith("$2"):
        return passwords.verify_password(client_secret, client.secret)
    return hmac.compare_digest(client_secret.encode(), client.secret.encode())


def _token_reply(pair):
    return jsonify(
        token_type="Bearer",
        expires_in=pair.expires_in,
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
    )


@oauth_bp.route("/oauth/token", methods=["POST"])
@csrf.exempt
def issue_token():
    """Issue tokens for the `password` and `refresh_token` grants."""
    form = request.form
    if not _client_is_valid(form.get("client_id"), form.get("client_secret")):
        return _error(401, "invalid_client", CLIENT_FAILED)
    grant = form.get("grant_type")
    if grant == "password":
        try:
            user = check_trader_user_password(form.get("username"), form.get("password"))
        except LoginError as error:
            description = WRONG_CREDENTIALS if error.code == "invalid_grant" else MISSING_PARAMETER
            return _error(400, error.code, description)
        pair = tokens.issue_tokens(user)
    elif grant == "refresh_token":
        pair = tokens.refresh_tokens(form.get("refresh_token"))
        if pair is None:
            db.session.rollback()
            return _error(400, "invalid_grant", "The refresh token is invalid.")
    else:
        return _error(400, "unsupported_grant_type", "The authorization grant type is not supported.")
    db.session.commit()
    return _token_reply(pair)
