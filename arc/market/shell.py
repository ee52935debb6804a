"""The trader app's offline files: their version, and the service worker script that caches them.

The version is a digest of every file the app is made of and of the API address, so any change to
them gives the service worker different bytes. Browsers then install the new worker, which fetches
a fresh copy of the files into a new cache and takes over from the old one.
"""

import hashlib
import json
import os

from flask import current_app, url_for

from arc.market import bp

WORKER_SOURCE = "sw.js"
TEMPLATE = os.path.join("market", "index.html")
# The page address that every screen shares. The service worker returns this page for every navigation.
SHELL_URL = "/"


def static_names():
    """Return the app's static files, relative to the static folder with ``/`` separators, sorted.

    The worker's own source is left out: it is served at ``/sw.js`` and never cached by itself.
    """
    root = bp.static_folder
    names = []
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in files:
            relative = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            if relative != WORKER_SOURCE and not name.startswith("."):
                names.append(relative)
    return sorted(names)


def _api_base():
    return "//" + current_app.config["ARC_SERVICE_DOMAIN"] + "/api"


def shell_version():
    """Return a short digest of the template, the static files (the worker included) and the API address."""
    digest = hashlib.sha256(_api_base().encode())
    template_path = os.path.join(bp.root_path, bp.template_folder, TEMPLATE)
    for label, path in [("template", template_path)] + [
        (name, os.path.join(bp.static_folder, name)) for name in static_names() + [WORKER_SOURCE]
    ]:
        digest.update(label.encode() + b"\0")
        with open(path, "rb") as source:
            digest.update(source.read())
    return digest.hexdigest()[:16]


def shell_files():
    """Return the URLs that the service worker stores for offline use: the page, manifest and static files."""
    statics = [url_for("market.static", filename=name) for name in static_names()]
    return [SHELL_URL, url_for("market.manifest"), *statics]


def service_worker_script():
    """Return the service worker: its version and file list as constants, then the worker's source."""
    with open(os.path.join(bp.static_folder, WORKER_SOURCE), encoding="utf-8") as source:
        body = source.read()
    header = (
        f"const VERSION = {json.dumps(shell_version())};\n"
        f"const SHELL_URL = {json.dumps(SHELL_URL)};\n"
        f"const SHELL_FILES = {json.dumps(shell_files())};\n"
    )
    return header + body
