"""Response headers and redirect bodies on every host, and the handling of expired form tokens."""

import logging
from urllib.parse import urlsplit

from flask import flash, redirect, request
from flask_wtf.csrf import CSRFError

from arc.auth.portal import safe_next_url
from arc.method_override import ORIGINAL_METHOD

logger = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

SESSION_EXPIRED = "Your session expired, so nothing was saved. Please try again."


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def handle_csrf_error(error):
    """Send the user back to the page they came from, saying why, instead of a bare 400."""
    logger.info("rejected a form with a missing or expired CSRF token on %s: %s", request.path, error.description)
    flash(SESSION_EXPIRED, "error")
    posted = request.method == "POST" or request.environ.get(ORIGINAL_METHOD) == "POST"
    return redirect(form_page() if posted else "/")


def form_page():
    """Return the address of the page the form was on: the same-site Referer, else the form's action."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.scheme not in ("http", "https"):
        return request.path
    return safe_next_url(referrer.path + (f"?{referrer.query}" if referrer.query else ""), request.path)


def empty_redirect_body(response):
    """Send redirects without a body: clients follow the Location header and never show it."""
    if response.status_code in (301, 302, 303, 307, 308):
        response.set_data(b"")
    return response


def register_security(app):
    app.after_request(add_security_headers)
    app.after_request(empty_redirect_body)
    app.register_error_handler(CSRFError, handle_csrf_error)
