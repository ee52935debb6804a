"""The caller's traders, their vouchers and their payment history."""

from flask import abort, g, url_for

from arc import clock
from arc.api import ID, bp
from arc.api.bearer import token_required
from arc.api.etag import etagged
from arc.api.schemas import (
    HistoryDaySchema,
    HistoryQuerySchema,
    TraderSchema,
    TraderVoucherSchema,
    UserTraderSchema,
    VoucherListQuerySchema,
)
from arc.columns import is_row_id
from arc.extensions import db
from arc.markets.models import Trader
from arc.markets.queries import trader_vouchers, traders_with_market
from arc.payments.history import payment_history


def load_own_trader(trader_id):
    """Return the trader named in the path, or abort: 404 if unknown, 403 if not one of the caller's."""
    trader = db.session.get(Trader, trader_id)
    if trader is None or trader.deleted_at is not None:
        abort(404, description=f"No query results for model [App\\Trader] {trader_id}")
    if not g.api_user.has_enabled_trader(trader):
        abort(403, description="This action is unauthorized.")
    return trader


class UserTrader:
    """A trader as the caller's list shows it: the trader's fields, the link row and feature switches."""

    def __init__(self, user, trader):
        self._trader = trader
        self.pivot = {"user_id": user.id, "trader_id": trader.id}
        sponsor = trader.market.sponsor if trader.market else None
        if sponsor is not None and not sponsor.can_tap:
            self.featureOverride = {"pageAccess": {"tap": False}}

    def __getattr__(self, name):
        return getattr(self._trader, name)


@bp.route("/traders")
@bp.response(200, UserTraderSchema(many=True))
@token_required
def list_traders():
    """List the caller's enabled traders with their markets and areas."""
    user = g.api_user
    traders = traders_with_market(trader.id for trader in user.enabled_traders)
    return [UserTrader(user, trader) for trader in traders]


@bp.route(f"/traders/<{ID}:trader_id>")
@bp.response(200, TraderSchema)
@token_required
def show_trader(trader_id):
    """Show one of the caller's traders with its market."""
    return load_own_trader(trader_id)


@bp.route(f"/traders/<{ID}:trader_id>/vouchers")
@etagged
@bp.arguments(VoucherListQuerySchema, location="query")
@bp.response(200, TraderVoucherSchema(many=True))
@token_required
def list_trader_vouchers(query, trader_id):
    """List a trader's vouchers, newest change first, optionally only `unconfirmed` or `unpaid` ones."""
    trader = load_own_trader(trader_id)
    return trader_vouchers(trader.id, query["status"], clock.today())


def _page_number(text):
    """Return the page asked for; anything but a plain positive number (ASCII digits) means page 1."""
    return int(text) if is_row_id(text) and int(text) >= 1 else 1


def _links_header(trader_id, page, last_page):
    def link(number):
        if number is None:
            return "<>"
        return "<" + url_for("api.trader_voucher_history", trader_id=trader_id, page=number, _external=True) + ">"

    entries = [
        (link(page), "current"),
        (link(1), "first"),
        (link(min(page - 1, last_page)) if page > 1 else "<>", "prev"),
        (link(page + 1) if page < last_page else "<>", "next"),
        (link(last_page), "last"),
    ]
    return ", ".join(f'{url}; rel="{name}"' for url, name in entries)


@bp.route(f"/traders/<{ID}:trader_id>/voucher-history")
@etagged
@bp.arguments(HistoryQuerySchema, location="query")
@bp.response(200, HistoryDaySchema(many=True))
@token_required
def trader_voucher_history(query, trader_id):
    """List the last 90 days of payment requests, grouped by day, 15 days a page, with a `Links` header."""
    trader = load_own_trader(trader_id)
    history = payment_history(trader.id, _page_number(query["page"]), clock.today())
    return history.days, {"Links": _links_header(trader.id, history.page, history.last_page)}
