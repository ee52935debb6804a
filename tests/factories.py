"""Small functions that add test data to the session and flush. Each returns what it made."""

import functools
import itertools

from arc import clock
from arc.centres.models import Centre, centre_centre_user
from arc.extensions import db
from arc.markets.models import Market, Trader
from arc.sponsors.models import Sponsor
from arc.users import passwords
from arc.users.models import AdminUser, CentreUser, User
from arc.vouchers.models import Voucher

PASSWORD = "test-password"
_sequence = itertools.count(1)


@functools.lru_cache(maxsize=None)
def password_hash(plain=PASSWORD):
    return passwords.hash_password(plain)


def _add(instance):
    db.session.add(instance)
    db.session.flush()
    return instance


def _letters(number):
    """Return a distinct upper-case word for a number (A, B, ..., Z, BA, BB, ...)."""
    word = ""
    while True:
        number, remainder = divmod(number, 26)
        word = chr(ord("A") + remainder) + word
        if number == 0:
            return word


def make_sponsor(shortcode=None, **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Area {n}")
    fields.setdefault("can_tap", True)
    return _add(Sponsor(shortcode=shortcode or "T" + _letters(n), **fields))


def make_centre(sponsor=None, **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Centre {n}")
    fields.setdefault("prefix", ("C" + _letters(n))[:5])
    return _add(Centre(sponsor_id=(sponsor or make_sponsor()).id, **fields))


def make_admin_user(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Admin {n}")
    fields.setdefault("email", f"admin{n}@example.org")
    return _add(AdminUser(password=password_hash(), **fields))


def make_centre_user(centre=None, role="centre_user", **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Worker {n}")
    fields.setdefault("email", f"worker{n}@example.org")
    user = _add(CentreUser(password=password_hash(), role=role, **fields))
    centre = centre or make_centre()
    db.session.execute(
        centre_centre_user.insert().values(centre_user_id=user.id, centre_id=centre.id, homeCentre=True)
    )
    return user


def make_market(sponsor=None, **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Market {n}")
    fields.setdefault("location", "Town square")
    return _add(Market(sponsor_id=(sponsor or make_sponsor()).id, **fields))


def make_trader(market=None, **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Trader {n}")
    return _add(Trader(market_id=(market or make_market()).id, **fields))


def make_trader_user(traders=(), **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Trader user {n}")
    fields.setdefault("email", f"trader{n}@example.org")
    user = User(password=password_hash(), **fields)
    user.traders = list(traders)
    return _add(user)


def make_voucher(code=None, sponsor=None, currentstate="printed", **fields):
    sponsor = sponsor or make_sponsor()
    fields.setdefault("created_at", clock.now())
    return _add(
        Voucher(code=code or f"{sponsor.shortcode}{next(_sequence):05d}", sponsor_id=sponsor.id,
                currentstate=currentstate, **fields)
    )
