"""The trader REST API, on the service host under ``/api``."""

from flask import request

from arc.api.bearer import rate_limit_key
from arc.columns import MAX_ID
from arc.extensions import limiter
from arc.hosts import HostApiBlueprint, HostBlueprint

REQUESTS_PER_MINUTE = 60
# URL converter for row ids: a number too large for the id column is a 404, not a database error.
ID = f"int(max={MAX_ID})"

bp = HostApiBlueprint("api", __name__, description="The trader app's REST API.")
# One budget per user across every route of the API, not one per route. CORS preflights are not
# counted: browsers send one before most calls, and a refused one looks to the app like no signal.
limiter.shared_limit(
    f"{REQUESTS_PER_MINUTE} per minute",
    scope="trader-api",
    key_func=rate_limit_key,
    exempt_when=lambda: request.method == "OPTIONS",
)(bp)
version_bp = HostBlueprint("version", __name__)
docs_bp = HostBlueprint("api_docs", __name__)
oauth_bp = HostBlueprint("oauth", __name__)

from arc.api import auth, docs, history_email, logs, oauth, passwords, traders, version, vouchers  # noqa: E402,F401  (routes register themselves on import)
