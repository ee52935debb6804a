"""Admin pages for markets: list, add and edit."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from arc.admin import bp
from arc.admin.people_forms import ListPageArgs, MarketForm, grouped_choices
from arc.admin.record_pages import load_or_404, paginate, save_changes
from arc.markets import listings, operations
from arc.markets.models import Market
from arc.markets.operations import MarketError
from arc.sponsors.queries import active_sponsors


def _market_form(**data):
    form = MarketForm(**data)
    form.sponsor.choices = grouped_choices([(None, active_sponsors())])
    return form


@bp.route("/markets")
@login_required
def markets_index():
    args = ListPageArgs(request.args)
    if not args.validate():
        return redirect(url_for("admin.markets_index"))
    page = paginate(listings.market_listing(), args.page.data)
    traders = listings.traders_by_market([market.id for market, _ in page.items])
    return render_template("admin/markets/index.html", title="Markets", page=page, traders=traders)


@bp.route("/markets/create")
@bp.route("/markets", methods=["POST"], endpoint="markets_store")
@login_required
def markets_create():
    form = _market_form()
    if form.validate_on_submit():
        saved, market = save_changes(form, "The market", lambda: operations.create_market(
            form.name.data, form.sponsor.data, form.payment_message.data, current_user
        ), MarketError)
        if saved:
            flash(f"Market {market.name} was created.", "success")
            return redirect(url_for("admin.markets_index"))
    return render_template("admin/markets/form.html", title="Add Market", form=form, market=None)


@bp.route("/markets/<int:market_id>/edit")
@bp.route("/markets/<int:market_id>", methods=["POST", "PUT"], endpoint="markets_update")
@login_required
def markets_edit(market_id):
    market = load_or_404(Market, market_id, include_deleted=False)
    form = _market_form(
        data={"name": market.name, "sponsor": market.sponsor_id, "payment_message": market.payment_message}
    )
    if form.validate_on_submit():
        saved, _ = save_changes(form, "The market", lambda: operations.update_market(
            market, form.name.data, form.sponsor.data, form.payment_message.data, current_user
        ), MarketError)
        if saved:
            flash(f"Market {form.name.data} was updated.", "success")
            return redirect(url_for("admin.markets_index"))
    return render_template("admin/markets/form.html", title="Edit Market", form=form, market=market)
