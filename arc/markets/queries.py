"""Read queries about traders and the vouchers they hold."""

from datetime import date

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from arc.extensions import db
from arc.vouchers.models import Voucher

# The trader app's list filters, as the `status` query parameter names them.
STATUS_FILTERS = {"unconfirmed": "recorded", "unpaid": "payment_pending"}
LISTING_MONTHS = 6


def listing_cut_off(today):
    """Return the first day of the month six months before ``today``: older vouchers are not listed."""
    return date(today.year, today.month, 1) - relativedelta(months=LISTING_MONTHS)


def trader_vouchers(trader_id, status, today):
    """Return (code, updated_at) of a trader's vouchers, newest change first.

    With no status every voucher of the trader is listed. `unconfirmed` and `unpaid` list recorded
    and payment-pending vouchers changed since the cut-off; any other status lists nothing.
    """
    query = (
        db.session.query(Voucher.code, Voucher.updated_at)
        .filter(Voucher.trader_id == trader_id, Voucher.deleted_at.is_(None))
        .order_by(Voucher.updated_at.desc(), Voucher.id.desc())
    )
    if status:
        state = STATUS_FILTERS.get(status)
        if state is None:
            return []
        query = query.filter(Voucher.currentstate == state, Voucher.updated_at >= listing_cut_off(today))
    return query.all()


def traders_with_market(trader_ids):
    """Return traders by id with their market and the market's area loaded, in id order."""
    from arc.markets.models import Market, Trader

    return (
        db.session.query(Trader)
        .options(sa.orm.joinedload(Trader.market).joinedload(Market.sponsor))
        .filter(Trader.id.in_(list(trader_ids)))
        .order_by(Trader.id)
        .all()
    )
