"""Pages of the trader app: one app shell for every screen, its service worker and its manifest."""

from flask import current_app, render_template, send_from_directory

from arc.market import bp
from arc.market.shell import service_worker_script, shell_version

# Screens of the app. Each path returns the same shell and the app's router picks the screen, so a
# reload or a link from an e-mail (such as the password-reset link) opens the right one.
SCREEN_PATHS = (
    "/",
    "/login",
    "/lost-password",
    "/change-password",
    "/traders",
    "/scan",
    "/payment",
    "/history",
)
# Paths of the previous trader app, still on traders' home screens and in old e-mails.
LEGACY_PATHS = ("/request", "/user", "/account")


def index():
    api_base = "//" + current_app.config["ARC_SERVICE_DOMAIN"] + "/api"
    return render_template("market/index.html", api_base=api_base, version=shell_version())


for _path in SCREEN_PATHS + LEGACY_PATHS:
    bp.add_url_rule(_path, "index", index)


@bp.route("/sw.js")
def service_worker():
    """Serve the service worker from the root, so that its scope covers every screen."""
    response = current_app.response_class(service_worker_script(), mimetype="text/javascript")
    # Browsers look for a new worker on each visit; no-cache makes them ask this server every time.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    response = send_from_directory(bp.static_folder, "manifest.webmanifest", mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response
