"""The trader app (a progressive web app) on the market host."""

from arc.hosts import HostBlueprint

bp = HostBlueprint("market", __name__, template_folder="templates", static_folder="static", static_url_path="/static")

from arc.market import views  # noqa: E402,F401
