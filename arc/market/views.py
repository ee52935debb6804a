"""Pages of the trader app."""

from flask import current_app, render_template

from arc.market import bp


@bp.route("/")
def index():
    api_base = "//" + current_app.config["ARC_SERVICE_DOMAIN"] + "/api"
    return render_template("market/index.html", api_base=api_base)
