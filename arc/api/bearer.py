"""Bearer-token authentication for the trader API."""

from functools import wraps

from flask import g, jsonify, request

from arc.auth import tokens


def _raw_bearer_token():
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def token_required(view):
    """Reject the request with the trader app's 401 body unless it carries a live access token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        access, user = tokens.load_access_token(_raw_bearer_token())
        if user is None:
            return jsonify(error="Unauthenticated."), 401
        g.api_user = user
        g.api_access_token = access
        return view(*args, **kwargs)

    return wrapper
