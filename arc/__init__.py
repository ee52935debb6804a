"""The ARC Voucher Service: one Flask application serving the admin, store and market hosts."""

import logging
import os

from flask import Flask

from arc.config import load_config
from arc.extensions import csrf, db, limiter, login_manager, migrate, rest_api
from arc.hosts import RowIdConverter
from arc.method_override import MethodOverride
from arc.mail import warn_if_mail_unconfigured

MIGRATIONS_DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def create_app(test_config=None):
    """Create the application, with settings from the environment updated by ``test_config``."""
    app = Flask(__name__, host_matching=True, static_folder=None)
    app.wsgi_app = MethodOverride(app.wsgi_app)
    app.url_map.converters["int"] = RowIdConverter
    app.config.update(load_config())
    app.config.update(
        API_TITLE="ARC Voucher Service trader API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
    )
    if test_config:
        app.config.update(test_config)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    warn_if_mail_unconfigured(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    rest_api.init_app(app)

    from arc import models  # noqa: F401  (registers every table on the metadata)
    from arc.database import configure_sqlite

    with app.app_context():
        configure_sqlite(db.engine)

    register_blueprints(app)

    from arc.api.cors import init_cors

    init_cors(app)

    from arc.auth.sessions import register_user_loader
    from arc.cli import arc_cli
    from arc.errors import register_error_handlers
    from arc.security import register_security

    register_user_loader(login_manager)
    register_error_handlers(app)
    register_security(app)
    app.cli.add_command(arc_cli)
    return app


def register_blueprints(app):
    """Bind each blueprint to its host: admin and API on the service host, then store, then market."""
    from arc.admin import bp as admin_bp
    from arc.api import bp as api_bp
    from arc.api import docs_bp, oauth_bp, version_bp
    from arc.api.bearer import BEARER_SCHEME
    from arc.api.schemas import ModelDateTime
    from arc.market import bp as market_bp
    from arc.store import bp as store_bp

    service_host = app.config["ARC_SERVICE_DOMAIN"]
    app.register_blueprint(version_bp, host=service_host)
    app.register_blueprint(admin_bp, host=service_host)
    rest_api.spec.components.security_scheme(BEARER_SCHEME, {"type": "http", "scheme": "bearer"})
    rest_api.register_field(ModelDateTime, "string", None)
    rest_api.register_blueprint(api_bp, host=service_host, url_prefix="/api")
    app.register_blueprint(docs_bp, host=service_host, url_prefix="/api")
    app.register_blueprint(oauth_bp, host=service_host)
    csrf.exempt(api_bp)
    app.register_blueprint(store_bp, host=app.config["ARC_STORE_DOMAIN"])
    app.register_blueprint(market_bp, host=app.config["ARC_MARKET_DOMAIN"])
