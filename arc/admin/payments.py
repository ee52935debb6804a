"""Admin pages for payment requests: the open list, one request, paying it, and a trader's payment history."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from arc.admin import bp
from arc.admin.forms import ConfirmForm
from arc.extensions import db
from arc.markets.models import Trader
from arc.payments import operations

# Pages past this are empty anyway; the bound keeps the OFFSET a number the database accepts.
MAX_PAGE = 1_000_000


class OutstandingPayments:
    """True when unpaid payment requests are waiting; the query runs only if a template tests it.

    Error pages never test it, so the 503 page for a database failure runs no query of its own.
    """

    def __init__(self):
        self._value = None

    def __bool__(self):
        if self._value is None:
            self._value = current_user.is_authenticated and operations.has_outstanding_requests()
        return self._value


@bp.context_processor
def payment_context():
    """Give every admin page ``outstanding_payments``, which highlights the side-menu link."""
    return {"outstanding_payments": OutstandingPayments()}


@bp.route("/payments")
@login_required
def payment_list():
    return render_template(
        "admin/payments/index.html",
        title="Payment Requests",
        requests=operations.open_requests(),
        window_days=operations.REQUEST_WINDOW_DAYS,
    )


@bp.route("/payments/payment-request/<uuid>")
@login_required
def payment_request_show(uuid):
    token = operations.find_request(uuid)
    if token is None:
        return render_template("admin/payments/show.html", title="Payment Request", detail=None), 404
    return render_template(
        "admin/payments/show.html",
        title="Payment Request",
        detail=operations.request_detail(token),
        form=ConfirmForm(),
    )


@bp.route("/payments/payment-request/<uuid>", methods=["POST", "PUT"])
@login_required
def payment_request_pay(uuid):
    # CSRFProtect has checked the form's token before this view runs.
    token = operations.find_request(uuid) or abort(404)
    try:
        paid = operations.pay_request(token, current_user)
        db.session.commit()
    except operations.RequestAlreadyPaid:
        db.session.rollback()
        flash("This payment request was already paid, so nothing was changed.", "info")
        return redirect(url_for("admin.payment_request_show", uuid=uuid))
    except operations.RequestNotPayable as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("admin.payment_request_show", uuid=uuid))
    message = f"Vouchers Paid! {paid.paid_count:,} voucher{'s' if paid.paid_count != 1 else ''} marked as paid"
    if paid.already_reimbursed_count:
        message += f" ({paid.already_reimbursed_count:,} more had been paid before)"
    flash(f"{message}, and the request from {operations.requester_name(token)} is closed.", "success")
    return redirect(url_for("admin.payment_list"))


@bp.route("/payments/trader-payment-history/<int:trader_id>")
@login_required
def trader_payment_history(trader_id):
    trader = db.session.get(Trader, trader_id)
    if trader is None or trader.deleted_at is not None:
        abort(404)
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    return render_template(
        "admin/payments/history.html",
        title="Payment History",
        trader=trader,
        history=operations.trader_payment_history(trader.id, page),
    )
