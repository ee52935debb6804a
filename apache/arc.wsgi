"""Entry point of the service for Apache mod_wsgi.

The application reads its settings from environment variables, which Apache does not pass to
Python. The first request therefore loads the server's environment file (its path comes from the
``ARC_ENV_FILE`` that arc-site.conf sets for each request) and then builds the application.
"""

import os
import sys
import threading

RELEASE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if RELEASE not in sys.path:
    sys.path.insert(0, RELEASE)

from arc.operations.envfile import load_environment_file  # noqa: E402

DEFAULT_ENVIRONMENT_FILE = "/var/www/arc/arc.env"

_lock = threading.Lock()
_application = None


def _load(environ):
    global _application
    with _lock:
        if _application is None:
            path = environ.get("ARC_ENV_FILE") or os.environ.get("ARC_ENV_FILE") or DEFAULT_ENVIRONMENT_FILE
            load_environment_file(path)
            from arc import create_app

            _application = create_app()
    return _application


def application(environ, start_response):
    return (_application or _load(environ))(environ, start_response)
