"""The service version, on the service host outside ``/api``."""

import os

from flask import current_app, jsonify

from arc.api import version_bp

DEFAULT_VERSION = "2.0.0"


def service_version():
    """Return the text of ``version.txt`` in the release folder, or the package version."""
    path = os.path.join(os.path.dirname(current_app.root_path), "version.txt")
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip() or DEFAULT_VERSION
    except FileNotFoundError:
        return DEFAULT_VERSION


@version_bp.route("/version")
def version():
    return jsonify({"Service/API": service_version()})
