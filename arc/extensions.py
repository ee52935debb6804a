"""Flask extensions, created unbound here and bound to the application in the factory."""

from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# Constraint names follow one convention so that migrations can refer to them on every engine.
NAMING_CONVENTION = {
    "ix": "%(table_name)s_%(column_0_N_name)s_index",
    "uq": "%(table_name)s_%(column_0_N_name)s_unique",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_name)s_foreign",
    "pk": "%(table_name)s_pkey",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
cors = CORS()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class ServiceApi(Api):
    """flask-smorest's Api without its app-wide error handlers and unbound documentation routes.

    The service serves several hosts, so errors are mapped per host in ``arc.errors`` and the
    OpenAPI document is served by ``arc.api`` on the service host.
    """

    def _register_doc_blueprint(self):
        pass

    def _register_error_handlers(self):
        pass


rest_api = ServiceApi()
