"""WSGI entry point for mod_wsgi and ``flask --app wsgi``."""

from arc import create_app

application = app = create_app()
