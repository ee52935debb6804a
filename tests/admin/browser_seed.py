"""Commit the data of the admin portal's browser test to the database that DATABASE_URL names.

Run as ``python -m tests.admin.browser_seed`` in the environment of the service under test; prints
the ids, names and e-mail addresses it made as JSON. The data goes through the application's own
models. No vouchers are made: the test creates them through the admin portal.
"""

import json
import sys

from arc.extensions import db
from tests import factories

SHORTCODE = "RVFL"


def seed():
    """Add a member of staff, one area with a centre and a market, a trader and the trader's user."""
    admin = factories.make_admin_user(name="Ada Staff", email="ada.staff@example.org")
    sponsor = factories.make_sponsor(shortcode=SHORTCODE, name="Fenland")
    centre = factories.make_centre(sponsor=sponsor, name="Fenland Family Centre", prefix="FFC")
    market = factories.make_market(sponsor=sponsor, name="Fenland Thursday Market")
    trader = factories.make_trader(market=market, name="Fenland Fresh Veg")
    user = factories.make_trader_user(traders=[trader], name="Tom Trader", email="tom.trader@example.org")
    return {
        "password": factories.PASSWORD,
        "admin_id": admin.id,
        "admin_email": admin.email,
        "admin_name": admin.name,
        "sponsor_id": sponsor.id,
        "sponsor_name": sponsor.name,
        "shortcode": sponsor.shortcode,
        "centre_id": centre.id,
        "centre_name": centre.name,
        "market_name": market.name,
        "trader_id": trader.id,
        "trader_name": trader.name,
        "user_id": user.id,
        "user_name": user.name,
        "user_email": user.email,
    }


def main():
    from wsgi import app

    with app.app_context():
        data = seed()
        db.session.commit()
    json.dump(data, sys.stdout)


if __name__ == "__main__":
    main()
