"""Bearer-token authentication for the trader API."""

from functools import wraps

from flask import g, jsonify, request

from arc.auth import tokens


def _raw_bearer_token():
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def authenticate_request():
    """Return the trader-app user of this request's bearer token, or None; looked up once per request."""
    if "api_user" not in g:
        g.api_access_token, g.api_user = tokens.load_access_token(_raw_bearer_token())
    return g.api_user


def rate_limit_key():
    """Count requests per user when the request carries a live token, otherwise per client address."""
    user = authenticate_request()
    return f"user:{user.id}" if user is not None else f"address:{request.remote_addr}"


BEARER_SCHEME = "bearerAuth"


def token_required(view):
    """Reject the request with the trader app's 401 body unless it carries a live access token.

    The route is documented as needing the bearer token in the OpenAPI document.
    """
    from arc.api import bp

    @wraps(view)
    def wrapper(*args, **kwargs):
        if authenticate_request() is None:
            return jsonify(error="Unauthenticated."), 401
        return view(*args, **kwargs)

    return bp.doc(security=[{BEARER_SCHEME: []}])(wrapper)
