"""The trader REST API, on the service host under ``/api``."""

from arc.hosts import HostApiBlueprint, HostBlueprint

bp = HostApiBlueprint("api", __name__, description="The trader app's REST API.")
version_bp = HostBlueprint("version", __name__)
docs_bp = HostBlueprint("api_docs", __name__)

from arc.api import auth, docs, history_email, passwords, traders, version  # noqa: E402,F401  (routes register themselves on import)
