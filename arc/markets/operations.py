"""Changes charity staff make to markets, traders and the trader-app users linked to them.

App users are matched by e-mail address: a known address links the existing user (renaming it if
the name differs), an unknown one creates a user with a random password, who must reset it in the
app before logging in. A user left with no trader is anonymised and soft-deleted. Disabling a
trader revokes its users' API tokens at once. Write functions flush, and the caller commits.
"""

import logging
import secrets
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from arc import clock
from arc.auth.tokens import revoke_user_tokens
from arc.extensions import db
from arc.markets.models import Market, Trader, trader_user
from arc.sponsors.models import Sponsor
from arc.users import passwords
from arc.users.models import User

logger = logging.getLogger(__name__)

PAYMENT_MESSAGE_MAX = 160
TRADER_NAME_MAX = 160
USER_NAME_MAX = 160


class MarketError(Exception):
    """A change to a market or trader that the rules reject; ``field`` names the form field at fault."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AppUserEntry:
    """A trader-app user as the trader form lists it."""

    name: str
    email: str


@dataclass
class TraderChange:
    """The effects of saving a trader on app users, for the confirmation message."""

    trader: Trader
    created_users: list = field(default_factory=list)
    retired_users: list = field(default_factory=list)
    revoked_user_ids: list = field(default_factory=list)


def _live_sponsor(sponsor_id):
    sponsor = db.session.get(Sponsor, sponsor_id) if sponsor_id is not None else None
    if sponsor is None or sponsor.deleted_at is not None:
        raise MarketError(f"Area {sponsor_id} was not found. Choose an area from the list.", "sponsor")
    return sponsor


def market_name_taken(name, sponsor_id, except_market_id=None):
    """Return whether the area has a market of this name, deleted markets included, ignoring case."""
    query = sa.select(Market.id).where(
        Market.sponsor_id == sponsor_id, sa.func.lower(Market.name) == name.strip().lower()
    )
    if except_market_id is not None:
        query = query.where(Market.id != except_market_id)
    return db.session.execute(query.limit(1)).first() is not None


def _check_market(name, sponsor, payment_message, except_market_id=None):
    if market_name_taken(name, sponsor.id, except_market_id):
        raise MarketError(f"{sponsor.name} already has a market called {name}.", "name")
    if not payment_message or len(payment_message) > PAYMENT_MESSAGE_MAX:
        raise MarketError(
            f"The voucher return message must be 1 to {PAYMENT_MESSAGE_MAX} characters.", "payment_message"
        )


def create_market(name, sponsor_id, payment_message, actor):
    """Create a market in an area; its location is the area's name, as the trader app shows it."""
    sponsor = _live_sponsor(sponsor_id)
    _check_market(name, sponsor, payment_message)
    market = Market(name=name, sponsor_id=sponsor.id, location=sponsor.name, payment_message=payment_message)
    db.session.add(market)
    db.session.flush()
    logger.info("market %s created by admin %s", market.id, actor.id)
    return market


def update_market(market, name, sponsor_id, payment_message, actor):
    """Change a market's name, area (and so its location) and voucher return message."""
    sponsor = _live_sponsor(sponsor_id)
    _check_market(name, sponsor, payment_message, except_market_id=market.id)
    market.name = name
    market.sponsor = sponsor
    market.location = sponsor.name
    market.payment_message = payment_message
    db.session.flush()
    logger.info("market %s updated by admin %s", market.id, actor.id)


def trader_name_taken(name, market_id, except_trader_id=None):
    """Return whether the market has a trader of this name, deleted traders included, ignoring case."""
    query = sa.select(Trader.id).where(
        Trader.market_id == market_id, sa.func.lower(Trader.name) == name.strip().lower()
    )
    if except_trader_id is not None:
        query = query.where(Trader.id != except_trader_id)
    return db.session.execute(query.limit(1)).first() is not None


def _check_trader(name, market_id, users, except_trader_id=None):
    market = db.session.get(Market, market_id) if market_id is not None else None
    if market is None or market.deleted_at is not None:
        raise MarketError(f"Market {market_id} was not found. Choose a market from the list.", "market")
    if len(name) > TRADER_NAME_MAX:
        raise MarketError(f"The stall name must be at most {TRADER_NAME_MAX} characters.", "name")
    if trader_name_taken(name, market.id, except_trader_id):
        raise MarketError(f"{market.name} already has a trader called {name}.", "name")
    emails = set()
    for entry in users:
        if not entry.name or not entry.email:
            raise MarketError("Each app user needs both a name and an e-mail address.", "users")
        if len(entry.name) > USER_NAME_MAX:
            raise MarketError(f"App user names must be at most {USER_NAME_MAX} characters.", "users")
        email = entry.email.strip().lower()
        if email in emails:
            raise MarketError(f"{entry.email} is listed twice.", "users")
        emails.add(email)
    return market


def _match_or_create_user(entry, created):
    """Return the app user with the entry's e-mail, renamed to the entry's name, creating it if needed.

    New users, and a soft-deleted user holding the address (restored, because the e-mail column is
    unique across deleted users too), get a random password and are appended to ``created``.
    """
    email = entry.email.strip()
    user = db.session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.lower()).order_by(User.deleted_at.is_not(None))
    ).first()
    if user is not None and user.deleted_at is None:
        user.name = entry.name
        return user
    if user is None:
        user = User(email=email)
        db.session.add(user)
    user.name = entry.name
    user.deleted_at = None
    # A random password that is never shown: the user sets their own through the app's password reset.
    user.password = passwords.hash_password(secrets.token_urlsafe(32))
    created.append(user)
    return user


def _retire_orphans(user_ids, change):
    """Anonymise and soft-delete each of these users that no longer belongs to any trader."""
    if not user_ids:
        return
    db.session.flush()
    still_linked = set(
        db.session.scalars(
            sa.select(trader_user.c.user_id)
            .join(Trader, Trader.id == trader_user.c.trader_id)
            .where(trader_user.c.user_id.in_(list(user_ids)), Trader.deleted_at.is_(None))
        )
    )
    orphans = [
        user for user in db.session.scalars(sa.select(User).where(User.id.in_(list(user_ids))))
        if user.id not in still_linked and user.deleted_at is None
    ]
    now = clock.now()
    for user in orphans:
        change.retired_users.append(user.name)
        user.email = f"{uuid.uuid4()}@localhost"
        user.deleted_at = now
    if orphans:
        revoke_user_tokens([user.id for user in orphans])
        logger.info("app users %s left without a trader were deleted", [user.id for user in orphans])


def create_trader(name, market_id, users, actor):
    """Create a trader at a market with its app users. Returns a TraderChange."""
    market = _check_trader(name, market_id, users)
    change = TraderChange(trader=Trader(name=name, market=market))
    db.session.add(change.trader)
    change.trader.users = [_match_or_create_user(entry, change.created_users) for entry in users]
    db.session.flush()
    logger.info("trader %s created by admin %s with app users %s", change.trader.id, actor.id,
                [user.id for user in change.trader.users])
    return change


def update_trader(trader, name, market_id, disabled, users, actor):
    """Change a trader's market, name, disabled state and app users. Returns a TraderChange.

    Disabling revokes the API tokens of every user the trader had or now has, so the app logs them
    out at once. Users taken off the trader who then have no trader at all are anonymised and
    soft-deleted.
    """
    market = _check_trader(name, market_id, users, except_trader_id=trader.id)
    change = TraderChange(trader=trader)
    original_ids = {user.id for user in trader.users}
    trader.name = name
    trader.market = market
    trader.users = [_match_or_create_user(entry, change.created_users) for entry in users]
    db.session.flush()
    newly_disabled = disabled and trader.disabled_at is None
    if disabled != (trader.disabled_at is not None):
        trader.disabled_at = clock.now() if disabled else None
    if newly_disabled:
        change.revoked_user_ids = sorted(original_ids | {user.id for user in trader.users})
        revoke_user_tokens(change.revoked_user_ids)
    _retire_orphans(original_ids - {user.id for user in trader.users}, change)
    db.session.flush()
    logger.info("trader %s updated by admin %s (disabled: %s, app users %s)", trader.id, actor.id,
                trader.disabled_at is not None, [user.id for user in trader.users])
    return change


def set_trader_disabled(trader, disabled, actor):
    """Disable a trader, revoking its users' API tokens at once, or enable it again."""
    if disabled and trader.disabled_at is None:
        trader.disabled_at = clock.now()
        revoke_user_tokens([user.id for user in trader.users])
    elif not disabled:
        trader.disabled_at = None
    db.session.flush()
    logger.info("trader %s %s by admin %s", trader.id, "disabled" if disabled else "enabled", actor.id)
