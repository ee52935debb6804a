"""HTML forms standing for PUT, PATCH and DELETE.

Browsers send forms only with GET and POST, so a form that changes or removes something posts a
hidden ``_method`` field naming the method it stands for. This WSGI middleware reads that field
from a URL-encoded POST body before routing and makes the request that method, so one view serves
the real method and the form alike.
"""

import io
from urllib.parse import parse_qs

OVERRIDABLE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})
# Larger bodies are left as they are: no form of the service posts anything near this.
MAX_FORM_BYTES = 1024 * 1024
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def requested_method(body):
    """Return the method a form body's ``_method`` field names, upper-cased, or None when it names none."""
    values = parse_qs(body, max_num_fields=1000).get(b"_method")
    if not values:
        return None
    method = values[0].decode("latin-1").strip().upper()
    return method if method in OVERRIDABLE_METHODS else None


class MethodOverride:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("CONTENT_TYPE", "").startswith(FORM_CONTENT_TYPE):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if 0 < length <= MAX_FORM_BYTES:
                body = environ["wsgi.input"].read(length)
                environ["wsgi.input"] = io.BytesIO(body)
                environ["CONTENT_LENGTH"] = str(len(body))
                try:
                    method = requested_method(body)
                except ValueError:
                    # More fields than any form has: leave the request to the view, which rejects it.
                    method = None
                if method is not None:
                    environ["REQUEST_METHOD"] = method
        return self.wsgi_app(environ, start_response)
