"""Load the demo data set into an empty database: areas, centres, logins, markets, families, vouchers.

The functions here add rows and flush. The caller commits once, or rolls back on error.
"""

import sqlalchemy as sa

from arc import clock
from arc.centres.models import PRINT_PREFERENCES, Centre, centre_centre_user
from arc.demo import data, families, vouchers
from arc.demo.context import DemoContext, password_hash
from arc.extensions import db
from arc.markets.models import Market, Trader
from arc.payments.models import StateToken
from arc.registrations.models import Bundle, Carer, Child, Family, Registration
from arc.sponsors.models import Evaluation, Sponsor
from arc.users.models import AdminUser, CentreUser, User
from arc.vouchers.models import Delivery, Voucher, VoucherState

# Seed of the random generator when the operator gives none.
DEFAULT_SEED = 2019

# Tables that must be empty before loading: the demo rows would clash with anything already there.
GUARDED_TABLES = (Sponsor, Centre, Voucher, User, AdminUser, CentreUser, Market, Trader)


class DemoDataRejected(Exception):
    """Loading the demo data is not allowed here: a production service, or a database that is not empty."""


def check_environment(app_env):
    """Raise ``DemoDataRejected`` when ``app_env`` is production."""
    if app_env == "production":
        raise DemoDataRejected(
            "Demo data is never loaded in production (APP_ENV is production). Use a development or staging service."
        )


def check_database_empty():
    """Raise ``DemoDataRejected`` naming the tables that already hold rows, if any do."""
    occupied = [
        f"{model.__tablename__} ({count})"
        for model in GUARDED_TABLES
        if (count := db.session.scalar(sa.select(sa.func.count()).select_from(model))) > 0
    ]
    if occupied:
        raise DemoDataRejected(
            "The database is not empty: "
            + ", ".join(occupied)
            + " already hold rows. Load demo data only into a newly migrated, empty database."
        )


def load_demo_data(rng, large=False, now=None):
    """Add the whole demo data set, flush, and return the row counts from ``count_demo_rows``.

    ``rng`` (a ``random.Random``) makes every random choice, so the same seed gives the same data.
    ``large`` adds 11,000 vouchers for trader 2. ``now`` is the moment that relative dates count
    back from, the local time by default. Raises ``DemoDataRejected`` if the database is not empty.
    """
    check_database_empty()
    demo = DemoContext(rng=rng, now=now or clock.now(), session=db.session)

    add_sponsors(demo)
    add_centres(demo)
    fixed_codes = vouchers.reserve_fixed_codes(demo)
    numbered_deliveries = vouchers.plan_numbered_deliveries(demo)
    add_centre_users(demo)
    add_markets_and_traders(demo)
    add_market_users(demo)
    add_admin_user(demo)

    families.add_registrations(demo)
    vouchers.add_vouchers(demo, fixed_codes, numbered_deliveries)
    if large:
        vouchers.add_large_set(demo, fixed_codes.large)

    demo.vouchers.flush()
    db.session.flush()
    return count_demo_rows()


def count_demo_rows():
    """Return the number of rows in each table the demo data fills, by table name."""
    models = (
        Sponsor, Evaluation, Centre, CentreUser, User, AdminUser, Market, Trader, Family, Carer, Child,
        Registration, Bundle, Delivery, Voucher, VoucherState, StateToken,
    )
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in models
    }


def add_sponsors(demo):
    for name, shortcode, programme, can_tap, rules in data.SPONSORS:
        sponsor = demo.add(Sponsor(name=name, shortcode=shortcode, programme=programme, can_tap=can_tap))
        demo.sponsors.append(sponsor)
        for rule_name, entity, purpose, value in rules:
            demo.session.add(
                Evaluation(sponsor_id=sponsor.id, name=rule_name, entity=entity, purpose=purpose, value=value)
            )
    demo.session.flush()


def add_centres(demo):
    rng = demo.rng
    standard_sponsors = [sponsor for sponsor in demo.sponsors if sponsor.programme == 0]
    street_names = iter(rng.sample(data.STREET_NAMES, len(data.CENTRES)))
    used_prefixes = set()
    for name, sponsor_position, print_pref in data.CENTRES:
        sponsor = demo.sponsor(sponsor_position) if sponsor_position else rng.choice(standard_sponsors)
        centre = Centre(
            name=name or next(street_names),
            prefix=_unique_prefix(rng, used_prefixes),
            sponsor_id=sponsor.id,
            print_pref=print_pref or rng.choice(PRINT_PREFERENCES),
        )
        demo.centres.append(demo.add(centre))


def _unique_prefix(rng, used_prefixes):
    while True:
        prefix = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(5))
        if prefix not in used_prefixes:
            used_prefixes.add(prefix)
            return prefix


def add_centre_users(demo):
    rng = demo.rng
    for row in data.CENTRE_USERS:
        _add_centre_user(demo, *row, password=data.STORE_PASSWORD)

    emails = set()
    for _ in range(data.GENERATED_CENTRE_USERS):
        name, email = _generated_person(demo, emails, "example.com")
        centre_position = rng.randint(1, len(demo.centres))
        _add_centre_user(demo, name, email, "centre_user", False, centre_position, (), password=data.GENERATED_PASSWORD)
    for _ in range(data.DISABLED_CENTRE_USERS):
        name, email = _generated_person(demo, emails, "example.com")
        user = _add_centre_user(demo, name, email, "centre_user", False, None, (), password=data.GENERATED_PASSWORD)
        user.deleted_at = demo.now

    for row in data.CENTRE_USERS_AFTER_GENERATED:
        _add_centre_user(demo, *row, password=data.STORE_PASSWORD)
    demo.session.flush()


def _add_centre_user(demo, name, email, role, downloader, home_position, other_positions, password):
    home = demo.centre(home_position) if home_position else None
    user = demo.add(
        CentreUser(
            name=name,
            email=email,
            password=password_hash(password),
            role=role,
            downloader=downloader,
            centre_id=home.id if home else None,
        )
    )
    links = [(home, True)] if home else []
    links += [(demo.centre(position), False) for position in other_positions]
    for centre, is_home in links:
        demo.session.execute(
            centre_centre_user.insert().values(centre_user_id=user.id, centre_id=centre.id, homeCentre=is_home)
        )
    demo.centre_users.append(user)
    return user


def _generated_person(demo, taken_emails, domain):
    """Return a generated name and an e-mail address made from it that no earlier call returned."""
    while True:
        first_name, surname = demo.rng.choice(data.FIRST_NAMES), demo.rng.choice(data.SURNAMES)
        email = f"{first_name}.{surname}@{domain}".lower().replace("'", "")
        if email not in taken_emails:
            taken_emails.add(email)
            return f"{first_name} {surname}", email


def add_markets_and_traders(demo):
    rng = demo.rng
    tapping_sponsors = [sponsor for sponsor in demo.sponsors if sponsor.programme == 0 and sponsor.can_tap]
    for name, location, sponsor_position, payment_message in data.MARKETS:
        sponsor = demo.sponsor(sponsor_position) if sponsor_position else rng.choice(tapping_sponsors)
        market = Market(
            name=name,
            location=location or _random_postcode(rng),
            sponsor_id=sponsor.id,
            payment_message=payment_message,
        )
        demo.markets.append(demo.add(market))

    for name, market_position in data.TRADERS:
        demo.traders.append(demo.add(Trader(name=name, market_id=demo.markets[market_position - 1].id)))


def _random_postcode(rng):
    area = rng.choice(data.POSTCODE_AREAS)
    unit = "".join(rng.choice(data.POSTCODE_UNIT_LETTERS) for _ in range(2))
    return f"{area}{rng.randint(1, 20)} {rng.randint(1, 9)}{unit}"


def add_market_users(demo):
    """Add the technical user "demoseeder" (no trader), then the named trader-app users."""
    _name, email = _generated_person(demo, set(), "example.net")
    technical = User(name=data.TECHNICAL_USER_NAME, email=email, password=password_hash(data.GENERATED_PASSWORD))
    demo.market_users.append(demo.add(technical))

    for name, email, trader_positions in data.MARKET_USERS:
        if trader_positions == "all":
            traders = list(demo.traders)
        elif trader_positions is None:
            count = demo.rng.randint(1, 3)
            traders = sorted(demo.rng.sample(demo.traders, count), key=lambda trader: trader.id)
        else:
            traders = [demo.trader(position) for position in trader_positions]
        user = User(name=name, email=email, password=password_hash(data.MARKET_PASSWORD))
        user.traders = traders
        demo.market_users.append(demo.add(user))


def add_admin_user(demo):
    name, email = data.ADMIN_USER
    demo.admin = demo.add(AdminUser(name=name, email=email, password=password_hash(data.ADMIN_PASSWORD)))
