"""Admin pages for traders: list, add and edit (with their app users and disabled state), CSV."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from arc.admin import bp
from arc.admin.people_forms import ListPageArgs, TraderEditForm, TraderForm, grouped_choices
from arc.admin.record_pages import csv_download, load_or_404, paginate, save_changes
from arc.columns import is_row_id
from arc.extensions import db
from arc.markets import listings, operations
from arc.markets.models import Market, Trader
from arc.markets.operations import MarketError


def _with_market_choices(form):
    form.market.choices = grouped_choices(listings.markets_by_area())
    return form


def _saved_message(change, verb):
    """Return the confirmation message of a saved trader.

    It names the app users who must set a password and those who were deleted.
    """
    message = f"Trader {change.trader.name} was {verb}."
    if change.created_users:
        names = ", ".join(user.name for user in change.created_users)
        message += f" New app users ({names}) must reset their password in the trader app before logging in."
    if change.revoked_user_ids:
        message += (
            " Its app users were logged out of the trader app."
            " Users who also work for other traders can log in again."
        )
    if change.retired_users:
        message += f" App users left with no trader were deleted: {', '.join(change.retired_users)}."
    return message


def _preselected_market():
    """Return the id in ``?market=`` if it names a market, flashing why it was ignored otherwise."""
    raw = request.args.get("market")
    if raw is None:
        return None
    market = db.session.get(Market, int(raw)) if is_row_id(raw) and int(raw) > 0 else None
    if market is None or market.deleted_at is not None:
        flash(f"Market {raw} was not found, so no market is chosen.", "error")
        return None
    return market.id


@bp.route("/traders")
@login_required
def traders_index():
    args = ListPageArgs(request.args)
    if not args.validate():
        return redirect(url_for("admin.traders_index"))
    page = paginate(listings.trader_listing(search=args.search.data), args.page.data)
    users = listings.user_names_by_trader([trader.id for trader, _, _ in page.items])
    query = {"search": args.search.data} if args.search.data else {}
    return render_template("admin/traders/index.html", title="Traders", page=page, users=users, args=args, query=query)


@bp.route("/traders/create")
@bp.route("/traders", methods=["POST"], endpoint="traders_store")
@login_required
def traders_create():
    form = _with_market_choices(TraderForm())
    if request.method == "GET":
        form.market.data = _preselected_market()
    if form.validate_on_submit():
        saved, change = save_changes(form, "The trader", lambda: operations.create_trader(
            form.name.data, form.market.data, form.app_users(), current_user
        ), MarketError)
        if saved:
            flash(_saved_message(change, "created"), "success")
            return redirect(url_for("admin.traders_index"))
    form.add_blank_rows()
    return render_template("admin/traders/form.html", title="Add Trader", form=form, trader=None)


@bp.route("/traders/<int:trader_id>/edit")
@bp.route("/traders/<int:trader_id>", methods=["POST", "PUT"], endpoint="traders_update")
@login_required
def traders_edit(trader_id):
    trader = load_or_404(Trader, trader_id, include_deleted=False)
    form = _with_market_choices(TraderEditForm(data={
        "market": trader.market_id, "name": trader.name, "disabled": trader.disabled_at is not None,
        "users": [{"name": user.name, "email": user.email} for user in trader.users if user.deleted_at is None],
    }))
    if form.validate_on_submit():
        saved, change = save_changes(form, "The trader", lambda: operations.update_trader(
            trader, form.name.data, form.market.data, form.disabled.data, form.app_users(), current_user
        ), MarketError)
        if saved:
            flash(_saved_message(change, "updated"), "success")
            return redirect(url_for("admin.traders_index"))
    form.add_blank_rows()
    return render_template("admin/traders/form.html", title="Edit Trader", form=form, trader=trader)


@bp.route("/traders/download")
@login_required
def traders_download():
    if request.args.get("include") == "disabled":
        rows = listings.trader_csv_rows(include_disabled=True)
        return csv_download("all_traders.csv", listings.TRADER_CSV_HEADER, rows)
    return csv_download("active_traders.csv", listings.TRADER_CSV_HEADER, listings.trader_csv_rows())
