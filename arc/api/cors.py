"""Cross-origin access to the trader API, which the trader app calls from the market host."""

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
