"""Cross-origin access to the trader API, which the trader app calls from the market host."""

from flask import current_app, request

from arc.extensions import cors


def allowed_origins(config):
    """Return the origins that may call ``/api``: any in development, only known hosts in production."""
    if config["APP_ENV"] not in ("production", "staging"):
        return "*"
    return ["https://" + config["ARC_MARKET_DOMAIN"], *config["ARC_CORS_ORIGINS"]]


def init_cors(app):
    cors.init_app(
        app,
        resources={r"/api/*": {"origins": allowed_origins(app.config)}},
        expose_headers=["Links", "ETag"],
        # Browsers may reuse a preflight response for ten minutes, which saves a request on a weak signal.
        max_age=600,
        supports_credentials=False,
    )
    app.before_request(answer_preflight)


def answer_preflight():
    """Return 204 with no body for a CORS preflight of the API, before routing.

    flask-cors then adds the Access-Control headers. Answering before routing means a preflight for
    a path the API does not have is answered the same way, and the real request then gets its 404.
    """
    if (
        request.method == "OPTIONS"
        and request.path.startswith("/api/")
        and "Access-Control-Request-Method" in request.headers
        and request.host == current_app.config["ARC_SERVICE_DOMAIN"]
    ):
        return current_app.response_class(status=204)
    return None
