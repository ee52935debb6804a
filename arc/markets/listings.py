"""Read queries behind the admin portal's market and trader lists and the trader CSV."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from arc.extensions import db
from arc.markets.models import Market, Trader, trader_user
from arc.sponsors.models import Sponsor
from arc.users.models import User

TRADER_CSV_HEADER = ("Name", "Market", "Area", "Users", "Join Date", "Disabled")
CSV_DATE_FORMAT = "%d-%m-%Y"


def _lower_or_empty(column):
    return sa.func.lower(sa.func.coalesce(column, ""))


def market_listing():
    """Return a select of (Market, area name) for markets not deleted, by area name then market name."""
    return (
        sa.select(Market, Sponsor.name.label("area"))
        .outerjoin(Sponsor, Sponsor.id == Market.sponsor_id)
        .where(Market.deleted_at.is_(None))
        .order_by(_lower_or_empty(Sponsor.name), sa.func.lower(Market.name), Market.id)
    )


def traders_by_market(market_ids):
    """Return {market id: [its traders not deleted, by name]}; disabled traders are included."""
    traders = db.session.scalars(
        sa.select(Trader)
        .where(Trader.market_id.in_(list(market_ids)), Trader.deleted_at.is_(None))
        .order_by(sa.func.lower(Trader.name), Trader.id)
    )
    grouped = {}
    for trader in traders:
        grouped.setdefault(trader.market_id, []).append(trader)
    return grouped


def markets_by_area():
    """Return [(area name, [markets not deleted, by name])], areas by name; markets without one last."""
    groups = []
    for market, area in db.session.execute(market_listing()):
        area = area or "No area"
        if not groups or groups[-1][0] != area:
            groups.append((area, []))
        groups[-1][1].append(market)
    return groups


def trader_listing(search=None, include_disabled=True):
    """Return a select of (Trader, market name, area name) for traders not deleted.

    Ordered by area, market and trader name; a trader without a market sorts as if the names were
    empty. ``search`` keeps traders whose name contains it, ignoring case.
    """
    market = aliased(Market)
    area = aliased(Sponsor)
    statement = (
        sa.select(Trader, market.name.label("market"), area.name.label("area"))
        .outerjoin(market, market.id == Trader.market_id)
        .outerjoin(area, area.id == market.sponsor_id)
        .where(Trader.deleted_at.is_(None))
        .order_by(_lower_or_empty(area.name), _lower_or_empty(market.name), sa.func.lower(Trader.name), Trader.id)
    )
    if not include_disabled:
        statement = statement.where(Trader.disabled_at.is_(None))
    if search:
        statement = statement.where(sa.func.lower(Trader.name).contains(search.strip().lower(), autoescape=True))
    return statement


def user_names_by_trader(trader_ids=None):
    """Return {trader id: [names of its app users not deleted, sorted]}, for these traders or all."""
    query = (
        sa.select(trader_user.c.trader_id, User.name)
        .join(User, User.id == trader_user.c.user_id)
        .where(User.deleted_at.is_(None))
        .order_by(trader_user.c.trader_id, sa.func.lower(User.name), User.id)
    )
    if trader_ids is not None:
        query = query.where(trader_user.c.trader_id.in_(list(trader_ids)))
    names = {}
    for trader_id, name in db.session.execute(query):
        names.setdefault(trader_id, []).append(name)
    return names


def _csv_date(moment):
    return moment.strftime(CSV_DATE_FORMAT) if moment else ""


def trader_csv_rows(include_disabled=False):
    """Yield the CSV rows of the traders, in list order: enabled ones only unless ``include_disabled``.

    Empty cells are empty strings, so a trader without users or a market has blank cells there.
    """
    users = user_names_by_trader()
    for trader, market, area in db.session.execute(trader_listing(include_disabled=include_disabled)):
        yield (
            trader.name,
            market or "",
            area or "",
            ", ".join(users.get(trader.id, [])),
            _csv_date(trader.created_at),
            _csv_date(trader.disabled_at),
        )
