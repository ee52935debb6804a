"""HTML forms standing for PUT, PATCH and DELETE.

Browsers send forms only with GET and POST, so a form that changes or removes something posts a
hidden ``_method`` field naming the method it stands for. This WSGI middleware reads that field
from a POSTed form body (URL-encoded or multipart) before routing and makes the request that
method, so one view serves the real method and the form alike. The body is put back for Flask.
"""

import io

from werkzeug.exceptions import HTTPException
from werkzeug.formparser import parse_form_data

OVERRIDABLE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Larger bodies are left as they are: the service's forms post a few kilobytes.
MAX_FORM_BYTES = 1024 * 1024
# The environ key that keeps the method a request arrived with, once it has been changed.
ORIGINAL_METHOD = "arc.original_method"


def requested_method(environ, body):
    """Return the method a form body's ``_method`` field names, upper-cased, or None when it names none."""
    mimetype, separator, parameters = environ.get("CONTENT_TYPE", "").partition(";")
    form_environ = {
        **environ,
        # Media types are case-insensitive, but the form parser matches them in lower case only.
        "CONTENT_TYPE": mimetype.strip().lower() + separator + parameters,
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
    }
    try:
        _stream, form, _files = parse_form_data(form_environ, max_form_parts=1000, silent=False)
    except (HTTPException, ValueError):
        # A body no form would send, such as a broken multipart body, so the view rejects it.
        return None
    method = (form.get("_method") or "").strip().upper()
    return method if method in OVERRIDABLE_METHODS else None


def is_form(environ):
    return environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower() in FORM_CONTENT_TYPES


class MethodOverride:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and is_form(environ):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            # Without a length (a chunked body, which browsers do not send for forms) the form is left alone.
            if 0 < length <= MAX_FORM_BYTES:
                body = environ["wsgi.input"].read(length)
                environ["wsgi.input"] = io.BytesIO(body)
                environ["CONTENT_LENGTH"] = str(len(body))
                method = requested_method(environ, body)
                if method is not None:
                    environ[ORIGINAL_METHOD] = "POST"
                    environ["REQUEST_METHOD"] = method
        return self.wsgi_app(environ, start_response)
