"""The admin portal for charity staff, on the service host."""

from flask_login import current_user

from arc.hosts import HostBlueprint

bp = HostBlueprint(
    "admin",
    __name__,
    template_folder="templates",
    static_folder="../static",
    static_url_path="/static",
)


@bp.context_processor
def portal_context():
    return {"portal_name": "Rose Vouchers admin", "portal": "admin", "current_user": current_user}


from arc.admin import views  # noqa: E402,F401
from arc.admin import data, deliveries, passwords, payments, vouchers  # noqa: E402,F401
from arc.admin import centres, markets, sponsors, traders, workers  # noqa: E402,F401
