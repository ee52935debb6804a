"""The store portal for children's-centre workers, on the store host."""

from flask_login import current_user

from arc.hosts import HostBlueprint

bp = HostBlueprint(
    "store",
    __name__,
    template_folder="templates",
    static_folder="../static",
    static_url_path="/static",
)


@bp.context_processor
def portal_context():
    return {"portal_name": "Rose Vouchers for children's centres", "portal": "store", "current_user": current_user}


from arc.store import views  # noqa: E402,F401
from arc.store import exports, history, printouts, vouchers  # noqa: E402,F401  (voucher manager, printouts, downloads)
