"""One error shape per surface: JSON on the trader API, an HTML page on the portals."""

import logging

from flask import jsonify, redirect, render_template, request
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, MethodNotAllowed, ServiceUnavailable

from arc.database import is_deadlock
from arc.extensions import db

logger = logging.getLogger(__name__)

API_BLUEPRINTS = {"api", "api_docs"}


def is_api_request():
    return request.blueprint in API_BLUEPRINTS or request.path.startswith("/api/")


def handle_http_exception(error):
    if isinstance(error, MethodNotAllowed):
        # On every host, an address opened with the wrong method (a bookmarked form action, a
        # typed logout address) leads to the site's front page, which the installed clients expect.
        return redirect("/")
    if is_api_request():
        # The trader app shows this text for a rate-limited request.
        description = "Too Many Attempts." if error.code == 429 else error.description
        body = {"message": description}
        messages = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
        if messages:
            body["errors"] = messages.get("json") or messages.get("form") or messages.get("query") or messages
        response = jsonify(body)
        response.status_code = error.code
        return response
    return render_template("error.html", error=error), error.code


def rollback_session():
    """End the failed transaction, so that rendering the error page can read the database again."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        logger.exception("rolling back after an error failed")


def handle_database_unavailable(error):
    rollback_session()
    if is_deadlock(error):
        logger.error("deadlock left unresolved while serving %s: %s", request.path, error)
        return handle_http_exception(
            ServiceUnavailable("Other changes to the same records were being saved at the same moment, so nothing "
                               "was saved. Please try again.")
        )
    logger.error("database unavailable while serving %s: %s", request.path, error)
    return handle_http_exception(
        ServiceUnavailable("The database is not available just now. Please try again in a few minutes.")
    )


def handle_unexpected_error(error):
    logger.exception("unhandled error while serving %s", request.path)
    rollback_session()
    if is_api_request():
        return jsonify(message="Server Error"), 500
    return render_template("error.html", error=InternalServerError()), 500


def handle_recursion_error(error):
    """Return 400 for a request body nested too deeply to parse, because that is bad input; other recursion is a server error."""
    if request.content_length:
        logger.info("rejected a request body nested too deeply on %s", request.path)
        return handle_http_exception(BadRequest("The request body is nested too deeply to read."))
    return handle_unexpected_error(error)


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(RecursionError, handle_recursion_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    if not app.debug and not app.testing:
        app.register_error_handler(Exception, handle_unexpected_error)
