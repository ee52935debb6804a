"""The demo data set, as loaded by ``flask arc demo-data --large``: the facts testers and developers rely on.

All tests share one load (the ``demo`` fixture). Centre and trader numbers are positions in creation
order, which are the ids on a freshly created database.
"""

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from arc.centres.models import Centre, centre_centre_user
from arc.markets.models import Market, Trader
from arc.payments.models import StateToken
from arc.registrations.models import Bundle, Carer, Child, Family, Registration
from arc.sponsors.models import Evaluation, Sponsor
from arc.users.models import AdminUser, CentreUser, User
from arc.users.passwords import verify_password
from arc.vouchers.models import Delivery, Voucher, VoucherState

SPONSORS = [
    # name, shortcode (None: any upper-case letters), programme, can_tap, evaluation rows
    ("Real Virtual Project", "RVNT", 0, True, 6),
    ("Barsetshire", None, 0, True, 6),
    ("Borsetshire", None, 0, True, 5),
    ("Midsomer", None, 0, True, 1),
    ("Wessex", None, 0, True, 0),
    ("Southwark", None, 0, True, 8),
    ("No Tap Project", None, 0, False, 6),
    ("Scottish Rules Project", None, 0, True, 12),
    ("Social Prescribing Area", "SPA", 1, True, 9),
    ("Tower Hamlet Social Prescribing", "THA", 1, True, 9),
    ("Lambeth Social Prescribing", "LSP", 1, True, 9),
]

TRADER_NAMES = [
    "Fred's Fruit and Veg",
    "Larry's Local Larder",
    "The Happy Fruit Company",
    "Red's Tomato Trader",
    "Mr Bear's Apples and Pears",
    "Sally's Fruit Stall",
    "Jane's Farm Produce",
]

ADMIN_TRANSITIONS = {"dispatch", "payout"}
TRADER_TRANSITIONS = {"collect", "confirm"}


@pytest.fixture(scope="module")
def db(demo):
    """The database session of the shared load (this module never uses the per-test ``db``)."""
    return demo.db


def all_of(db, statement):
    return db.session.scalars(statement).all()


def one(db, model, **filters):
    return db.session.scalars(sa.select(model).filter_by(**filters)).one()


def centres(db):
    return all_of(db, sa.select(Centre).order_by(Centre.id))


def traders(db):
    return all_of(db, sa.select(Trader).order_by(Trader.id))


def voucher(db, code):
    return one(db, Voucher, code=code)


def history(db, voucher_id):
    return all_of(db, sa.select(VoucherState).where(VoucherState.voucher_id == voucher_id).order_by(VoucherState.id))


def months_old(dob):
    """Return whole months from the first of ``dob``'s month to the first of this month."""
    today = date.today()
    return (today.year - dob.year) * 12 + today.month - dob.month


def test_command_succeeds_with_summary_line(demo):
    assert demo.result.exit_code == 0, demo.result.output
    lines = demo.result.output.splitlines()
    assert len(lines) == 1
    assert "11 sponsors" in lines[0]
    assert "24 centres" in lines[0]
    assert "11633 vouchers" in lines[0]


def test_table_counts(db):
    def count(model):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    assert count(Sponsor) == 11
    assert count(Centre) == 24
    assert count(CentreUser) == 15
    assert count(User) == 6
    assert count(AdminUser) == 1
    assert count(Market) == 6
    assert count(Trader) == 7
    assert count(Registration) == 43
    assert count(Family) == 43
    assert count(Voucher) == 633 + 11_000


def test_sponsors_as_documented(db):
    sponsors = all_of(db, sa.select(Sponsor).order_by(Sponsor.id))

    assert [sponsor.name for sponsor in sponsors] == [row[0] for row in SPONSORS]
    for sponsor, (name, shortcode, programme, can_tap, evaluations) in zip(sponsors, SPONSORS):
        if shortcode:
            assert sponsor.shortcode == shortcode, name
        assert sponsor.programme == programme, name
        assert sponsor.can_tap is can_tap, name
        assert len(sponsor.evaluations) == evaluations, name


def test_shortcodes_unique_capital_letters(db):
    shortcodes = all_of(db, sa.select(Sponsor.shortcode))

    assert len(set(shortcodes)) == 11
    for shortcode in shortcodes:
        assert re.fullmatch(r"[A-Z]+", shortcode), shortcode


def test_centre_prefixes_unique_five_letters(db):
    prefixes = [centre.prefix for centre in centres(db)]

    assert len(set(prefixes)) == 24
    for prefix in prefixes:
        assert re.fullmatch(r"[A-Z]{5}", prefix), prefix


def test_named_centres_and_their_areas(db):
    listed = centres(db)

    assert (listed[8].name, listed[8].sponsor.shortcode) == ("Prescribing Centre", "SPA")
    assert (listed[9].name, listed[9].sponsor.shortcode) == ("Tower Hamlet SP", "THA")
    assert (listed[10].name, listed[10].sponsor.shortcode) == ("Lambeth SP", "LSP")
    assert (listed[23].name, listed[23].sponsor.name) == ("Active User Test", "Real Virtual Project")
    assert listed[6].sponsor.name == "Southwark"
    assert listed[7].sponsor.name == "Scottish Rules Project"
    assert listed[1].print_pref == "collection"
    assert listed[2].print_pref == "individual"


@pytest.mark.parametrize(
    "shortcode, carer_deduction, household_member, household_exists",
    [("SPA", -7, 7, 10), ("THA", -2, 2, 6), ("LSP", -2, 2, 8)],
)
def test_social_prescribing_values(db, shortcode, carer_deduction, household_member, household_exists):
    sponsor = one(db, Sponsor, shortcode=shortcode)
    values = {row.name: row.value for row in sponsor.evaluations if row.purpose == "credits"}

    assert values["DeductFromCarer"] == carer_deduction
    assert values["HouseholdMember"] == household_member
    assert values["HouseholdExists"] == household_exists
    assert values["ChildIsUnderOne"] is None


@pytest.mark.parametrize(
    "sponsor_name, rule, purpose, value",
    [
        ("Real Virtual Project", "FamilyHasNoEligibleChildren", "disqualifiers", 0),
        ("Real Virtual Project", "FamilyHasUnverifiedChildren", "notices", 0),
        ("Borsetshire", "ChildIsPrimarySchoolAge", "credits", 3),
        ("Borsetshire", "ChildIsPrimarySchoolAge", "disqualifiers", None),
        ("Midsomer", "FamilyHasUnverifiedChildren", "notices", 0),
        ("Southwark", "ChildIsBetweenOneAndPrimarySchoolAge", "credits", 4),
        ("Southwark", "ChildIsPrimarySchoolAge", "credits", 4),
        ("Scottish Rules Project", "ScottishChildCanDefer", "notices", 0),
        ("Scottish Rules Project", "ChildIsBetweenOneAndPrimarySchoolAge", "credits", None),
        ("Scottish Rules Project", "FamilyHasUnverifiedChildren", "notices", 0),
    ],
)
def test_area_rules(db, sponsor_name, rule, purpose, value):
    sponsor = one(db, Sponsor, name=sponsor_name)
    row = one(db, Evaluation, sponsor_id=sponsor.id, name=rule, purpose=purpose)

    assert row.value == value
    assert row.entity in ("App\\Child", "App\\Family")


@pytest.mark.parametrize(
    "model, email, password",
    [
        (CentreUser, "ccuser@example.org", "store_pass"),
        (CentreUser, "fmuser@example.org", "store_pass"),
        (CentreUser, "fmuser2@example.org", "store_pass"),
        (CentreUser, "spuser@example.org", "store_pass"),
        (CentreUser, "scuser@example.org", "store_pass"),
        (CentreUser, "swuser@example.org", "store_pass"),
        (CentreUser, "thuser@example.org", "store_pass"),
        (CentreUser, "lambethuser@example.org", "store_pass"),
        (CentreUser, "ccdownloader@example.org", "store_pass"),
        (User, "rolf@example.org", "market_pass"),
        (User, "tilly@example.org", "market_pass"),
        (User, "ken@example.org", "market_pass"),
        (User, "greta@example.org", "market_pass"),
        (User, "brian@example.org", "market_pass"),
        (AdminUser, "admin@example.org", "admin_pass"),
    ],
)
def test_documented_login(db, model, email, password):
    user = one(db, model, email=email)

    assert verify_password(password, user.password)
    assert not verify_password("wrong-password", user.password)
    assert user.deleted_at is None


def test_admin_is_rhys_chocolate(db):
    assert one(db, AdminUser, email="admin@example.org").name == "Rhys Chocolate"


def test_generated_logins_use_secret(db):
    generated = all_of(db, sa.select(CentreUser).where(CentreUser.email.like("%@example.com")))
    technical = one(db, User, name="demoseeder")

    assert len(generated) == 6
    for user in generated + [technical]:
        assert verify_password("secret", user.password), user.email


@pytest.mark.parametrize(
    "email, role, downloader, home, others",
    [
        ("ccuser@example.org", "centre_user", False, 1, {12, 13, 15}),
        ("fmuser@example.org", "foodmatters_user", True, 1, set()),
        ("fmuser2@example.org", "foodmatters_user", True, 2, set()),
        ("spuser@example.org", "centre_user", False, 9, set()),
        ("scuser@example.org", "centre_user", False, 8, set()),
        ("swuser@example.org", "centre_user", False, 7, set()),
        ("thuser@example.org", "centre_user", False, 10, set()),
        ("lambethuser@example.org", "centre_user", False, 11, set()),
        ("ccdownloader@example.org", "centre_user", True, 24, set()),
    ],
)
def test_named_centre_worker(db, email, role, downloader, home, others):
    positions = {centre.id: position for position, centre in enumerate(centres(db), start=1)}
    user = one(db, CentreUser, email=email)
    links = db.session.execute(
        sa.select(centre_centre_user.c.centre_id, centre_centre_user.c.homeCentre).where(
            centre_centre_user.c.centre_user_id == user.id
        )
    ).all()

    assert user.role == role
    assert user.downloader is downloader
    assert {positions[centre_id] for centre_id, is_home in links if is_home} == {home}
    assert {positions[centre_id] for centre_id, is_home in links if not is_home} == others


def test_southwark_worker_on_southwark_centre(db):
    user = one(db, CentreUser, email="swuser@example.org")

    assert user.home_centre.sponsor.name == "Southwark"


def test_generated_centre_workers(db):
    generated = all_of(db, sa.select(CentreUser).where(CentreUser.email.like("%@example.com")))
    disabled = [user for user in generated if user.deleted_at is not None]
    active = [user for user in generated if user.deleted_at is None]

    assert len(disabled) == 2
    assert len(active) == 4
    for user in disabled:
        assert user.centres == []
    for user in active:
        assert user.home_centre is not None
        assert user.role == "centre_user"


def test_trader_app_user_links(db):
    names = {user.email: [trader.name for trader in user.traders] for user in all_of(db, sa.select(User))}

    assert names["rolf@example.org"] == ["Fred's Fruit and Veg"]
    assert names["tilly@example.org"] == ["Jane's Farm Produce"]
    assert names["greta@example.org"] == TRADER_NAMES
    assert names["brian@example.org"] == ["Larry's Local Larder"]
    assert 1 <= len(names["ken@example.org"]) <= 3
    assert set(names["ken@example.org"]) <= set(TRADER_NAMES)
    assert names[one(db, User, name="demoseeder").email] == []


def test_tilly_trades_where_tap_is_off(db):
    tilly = one(db, User, email="tilly@example.org")
    rolf = one(db, User, email="rolf@example.org")

    assert tilly.traders[0].market.name == "No Tap Farm"
    assert tilly.traders[0].market.sponsor.can_tap is False
    assert rolf.traders[0].market.sponsor.can_tap is True


def test_markets_and_traders(db):
    markets = all_of(db, sa.select(Market).order_by(Market.id))

    assert [market.name for market in markets] == [
        "Beechwood Hall",
        "Sea Breeze Cape",
        "Fruit Wagon",
        "Brick Oven Bakery",
        "Cedar Terrace",
        "No Tap Farm",
    ]
    assert [trader.name for trader in traders(db)] == TRADER_NAMES
    assert [trader.market.name for trader in traders(db)] == [
        "Beechwood Hall",
        "Sea Breeze Cape",
        "Sea Breeze Cape",
        "Brick Oven Bakery",
        "Cedar Terrace",
        "Cedar Terrace",
        "No Tap Farm",
    ]
    for market in markets:
        assert 0 < len(market.payment_message) <= 160
        assert market.sponsor_id is not None
    for trader in traders(db):
        assert trader.disabled_at is None
        assert trader.pic_url is None


def test_old_rvnt_vouchers(db):
    codes = [f"RVNT{number}" for number in range(12345560, 12345600)]
    vouchers = {v.code: v for v in all_of(db, sa.select(Voucher).where(Voucher.code.in_(codes)))}
    special = {"RVNT12345561"} | {f"RVNT{n}" for n in range(12345570, 12345576)}

    assert len(vouchers) == 40
    for code, v in vouchers.items():
        assert v.created_at == datetime(2019, 8, 26), code
        assert v.sponsor.shortcode == "RVNT"
        if code not in special:
            assert v.currentstate == "printed", code
            assert v.trader_id is None
    assert vouchers["RVNT12345561"].currentstate == "recorded"
    assert vouchers["RVNT12345561"].trader.name == "Fred's Fruit and Veg"


@pytest.mark.parametrize(
    "numbers, state, token_uuid, paid",
    [
        (range(12345570, 12345574), "payment_pending", "auuidforpendingvouchers", False),
        (range(12345574, 12345576), "reimbursed", "auuidforpaidvouchers", True),
    ],
)
def test_trader_3_payment_requests(db, numbers, state, token_uuid, paid):
    token = one(db, StateToken, uuid=token_uuid)
    admin = one(db, AdminUser, email="admin@example.org")
    greta = one(db, User, email="greta@example.org")

    assert token.user_id == greta.id
    assert token.admin_user_id == (admin.id if paid else None)
    assert sorted(row.voucher.code for row in token.voucher_states) == [f"RVNT{n}" for n in numbers]
    for number in numbers:
        v = voucher(db, f"RVNT{number}")
        assert v.currentstate == state
        assert v.trader.name == "The Happy Fruit Company"
        confirm = [row for row in history(db, v.id) if row.transition == "confirm"]
        assert [row.state_token_id for row in confirm] == [token.id]


def test_first_delivery_to_centre_1(db):
    codes = [f"RVNT{number:04d}" for number in range(100)]
    vouchers = all_of(db, sa.select(Voucher).where(Voucher.code.in_(codes)))
    deliveries = {v.delivery_id for v in vouchers}

    assert len(vouchers) == 100
    assert {v.currentstate for v in vouchers} == {"dispatched"}
    assert len(deliveries) == 1
    delivery = db.session.get(Delivery, deliveries.pop())
    assert delivery.range == "RVNT0000-RVNT0099"
    assert delivery.centre_id == centres(db)[0].id
    assert delivery.dispatched_at.date() == (datetime.now() - relativedelta(months=1)).date()


def test_numbered_deliveries(db):
    pattern = re.compile(r"(?P<shortcode>[A-Z]+)01(?P<k>[0-4])000 - (?P=shortcode)01(?P=k)050")
    deliveries = [d for d in all_of(db, sa.select(Delivery)) if pattern.fullmatch(d.range)]

    assert len(deliveries) == 5
    assert len({d.centre_id for d in deliveries}) == 5
    assert sorted(pattern.fullmatch(d.range).group(2) for d in deliveries) == ["0", "1", "2", "3", "4"]
    for delivery in deliveries:
        shortcode, k = pattern.fullmatch(delivery.range).groups()
        assert shortcode == delivery.centre.sponsor.shortcode
        assert sorted(v.code for v in delivery.vouchers) == [f"{shortcode}01{k}{n:03d}" for n in range(51)]
        for v in delivery.vouchers:
            assert v.sponsor_id == delivery.centre.sponsor_id
            assert v.currentstate == "dispatched"
        assert delivery.dispatched_at <= datetime.now()
        assert delivery.dispatched_at >= datetime.now() - relativedelta(months=12, days=1)


def test_trader_1_payment_pending_vouchers(db):
    fred = one(db, Trader, name="Fred's Fruit and Veg")
    pending = all_of(
        db, sa.select(Voucher).where(Voucher.trader_id == fred.id, Voucher.currentstate == "payment_pending")
    )
    four_months_ago = (datetime.now() - relativedelta(months=4)).date()

    assert len(pending) == 50
    dispatch_days = []
    for v in pending:
        rows = history(db, v.id)
        assert v.created_at.date() == four_months_ago
        assert [row.transition for row in rows] == ["dispatch", "collect", "confirm"]
        assert rows[1].created_at - rows[0].created_at == timedelta(seconds=10)
        assert rows[2].created_at - rows[1].created_at == timedelta(seconds=10)
        assert rows[2].state_token_id is not None
        assert v.delivery.centre.sponsor_id == v.sponsor_id
        dispatch_days.append(rows[0].created_at)
    dispatch_days.sort()
    assert {later - earlier for earlier, later in zip(dispatch_days, dispatch_days[1:])} == {timedelta(days=1)}


def test_large_set_for_trader_2(db):
    larry = one(db, Trader, name="Larry's Local Larder")
    states = Counter(all_of(db, sa.select(Voucher.currentstate).where(Voucher.trader_id == larry.id)))

    assert states == {"recorded": 1000, "payment_pending": 5000, "reimbursed": 5000}


def test_every_code_is_sponsor_shortcode_and_digits(db):
    rows = db.session.execute(sa.select(Voucher.code, Sponsor.shortcode).join(Sponsor)).all()
    codes = [code for code, _shortcode in rows]

    assert len(codes) == len(set(codes))
    for code, shortcode in rows:
        assert re.fullmatch(re.escape(shortcode) + r"[0-9]{4,8}", code), code


def test_history_rows_match_current_states(db):
    admin = one(db, AdminUser, email="admin@example.org")
    user_ids = set(all_of(db, sa.select(User.id)))
    rows_by_voucher = defaultdict(list)
    for row in db.session.execute(sa.select(VoucherState).order_by(VoucherState.id)).scalars():
        rows_by_voucher[row.voucher_id].append(row)
    vouchers = db.session.execute(sa.select(Voucher.id, Voucher.code, Voucher.currentstate)).all()

    for voucher_id, code, currentstate in vouchers:
        rows = rows_by_voucher.get(voucher_id, [])
        if currentstate == "printed":
            assert rows == [], code
            continue
        assert rows[-1].to_state == currentstate, code
        assert rows[0].from_state == "printed", code
        for earlier, later in zip(rows, rows[1:]):
            assert later.from_state == earlier.to_state, code
    for rows in rows_by_voucher.values():
        for row in rows:
            assert row.source == ""
            if row.transition in ADMIN_TRANSITIONS:
                assert (row.user_id, row.user_type) == (admin.id, "AdminUser")
            else:
                assert row.transition in TRADER_TRANSITIONS
                assert row.user_type == "User"
                assert row.user_id in user_ids
            assert (row.state_token_id is not None) == (row.transition == "confirm")


def test_delivered_vouchers_dispatched_in_their_delivery(db):
    rows = db.session.execute(
        sa.select(VoucherState.created_at, Delivery.dispatched_at)
        .join(Voucher, Voucher.id == VoucherState.voucher_id)
        .join(Delivery, Delivery.id == Voucher.delivery_id)
        .where(VoucherState.transition == "dispatch")
    ).all()
    undelivered_dispatches = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(VoucherState)
        .join(Voucher, Voucher.id == VoucherState.voucher_id)
        .where(VoucherState.transition == "dispatch", Voucher.delivery_id.is_(None))
    )

    assert len(rows) > 0
    assert undelivered_dispatches == 0
    for dispatched, delivery_date in rows:
        assert dispatched == delivery_date


@pytest.mark.parametrize(
    "carers, sponsor_name, ages, verified, collections",
    [
        (["1MAY20a-VC2-CH1-HI-042019", "MAY20b-VC2-CH1-HI-042019"], "Wessex", [30], [None], 3),
        (["2MAY20-VC1-CH2-HI-122018"], "Barsetshire", [30, 84, 156], [False, False, False], 13),
        (
            ["3MAY20-VC1-CH6-HAS-112019"],
            "Real Virtual Project",
            [5, 11, 30, 84, 30, 84],
            [True, True, True, True, False, False],
            8,
        ),
        (["4MAY20-VC1-CH1P-HA-012020"], "Wessex", [30, -3], [None, None], 2),
        (["5MAY20-VC1-CH3-HA-112015"], "Borsetshire", [5, 30, 84], [False, False, False], 10),
        (["6MAY-VC1-CH2-HI-032020"], "Midsomer", [5, 30], [False, True], 2),
    ],
)
def test_named_test_family(db, carers, sponsor_name, ages, verified, collections):
    family = one(db, Carer, name=carers[0]).family
    registration = family.registrations[0]
    bundles = registration.bundles

    assert [carer.name for carer in family.carers] == carers
    assert registration.centre.sponsor.name == sponsor_name
    assert [months_old(child.dob) for child in family.children] == ages
    assert [child.verified for child in family.children] == verified
    assert [child.born for child in family.children] == [age >= 0 for age in ages]
    assert len(bundles) == collections
    for bundle in bundles:
        assert bundle.disbursed_at is not None
        assert bundle.collecting_carer_id == family.carers[0].id
        assert bundle.disbursing_centre_id == registration.centre_id
        assert registration.centre in bundle.disbursing_user.centres or bundle.disbursing_user.role == "foodmatters_user"
        assert bundle.entitlement == 3
        assert len(bundle.vouchers) == 3
        codes = sorted(v.code for v in bundle.vouchers)
        delivery = bundle.vouchers[0].delivery
        assert delivery.range == f"{codes[0]}-{codes[-1]}"
        assert delivery.centre_id == registration.centre_id
        assert delivery.dispatched_at < bundle.disbursed_at
        for v in bundle.vouchers:
            assert v.currentstate == "dispatched"
            assert v.sponsor_id == registration.centre.sponsor_id
            assert v.delivery_id == delivery.id


def test_bobby_bundle_collected_14_days_ago(db):
    bobby = one(db, Carer, name="Bobby Bundle")
    (bundle,) = bobby.family.registrations[0].bundles
    (child,) = bobby.family.children

    assert bundle.disbursed_at.date() == date.today() - timedelta(days=14)
    assert bundle.collecting_carer_id == bobby.id
    assert len(bundle.vouchers) == 3
    assert bundle.vouchers[0].delivery.dispatched_at < bundle.disbursed_at
    assert 14 <= months_old(child.dob) <= 32


def test_wendy_waiting_bundle_not_collected(db):
    wendy = one(db, Carer, name="Wendy Waiting")
    (bundle,) = wendy.family.registrations[0].bundles

    assert bundle.disbursed_at is None
    assert bundle.collecting_carer_id is None
    assert len(bundle.vouchers) == 3
    assert {v.currentstate for v in bundle.vouchers} == {"dispatched"}


@pytest.mark.parametrize(
    "name, weeks_since_pickup",
    [
        ("inactive-no-pickup", None),
        ("active-no-pickup-3-week", None),
        ("active-no-pickup-2-week", None),
        ("active-no-pickup-1-week", None),
        ("active-pickup-1-week-A", 1),
        ("active-pickup-1-week-B", 1),
        ("active-pickup-1-week-C", 1),
        ("active-pickup-2-week", 2),
        ("active-pickup-3-week", 3),
        ("inactive-pickup-5-week", 5),
    ],
)
def test_active_user_family(db, name, weeks_since_pickup):
    carer = one(db, Carer, name=name)
    registration = carer.family.registrations[0]

    assert carer.family.carers[0].id == carer.id
    assert registration.centre.name == "Active User Test"
    if weeks_since_pickup is None:
        assert registration.bundles == []
    else:
        (bundle,) = registration.bundles
        assert bundle.disbursed_at.date() == date.today() - timedelta(weeks=weeks_since_pickup)
        assert len(bundle.vouchers) == 3
        assert registration.centre in bundle.disbursing_user.centres


def test_home_centre_families(db):
    listed = centres(db)
    per_centre = Counter(all_of(db, sa.select(Registration.centre_id)))

    # Two families per home centre of the first three workers (1, 1, 2), plus one per centre 1-8.
    assert per_centre[listed[0].id] >= 5
    assert per_centre[listed[1].id] >= 3
    for centre in listed[2:8]:
        assert per_centre[centre.id] >= 1
    assert per_centre[listed[13].id] >= 3


def test_family_that_left(db):
    (family,) = all_of(db, sa.select(Family).where(Family.leaving_on.is_not(None)))

    assert family.leaving_reason == "moving out of centre area"
    assert family.leave_amount == 1
    assert family.leaving_on > family.registrations[0].created_at


def test_scottish_family_children(db):
    scottish_centre = centres(db)[14]
    (registration,) = all_of(db, sa.select(Registration).where(Registration.centre_id == scottish_centre.id))

    assert [months_old(child.dob) for child in registration.family.children] == [62, 51, 57]


def test_social_prescribing_households(db):
    listed = centres(db)
    for position, expected in ((10, 2), (11, 2)):
        registrations = all_of(db, sa.select(Registration).where(Registration.centre_id == listed[position - 1].id))
        assert len(registrations) == expected
        for registration in registrations:
            members = registration.family.children
            assert registration.eligibility_hsbs is None
            assert registration.eligibility_nrpf is None
            assert registration.eligible_from is not None
            assert len(members) == 4
            assert members[0].dob == datetime(1983, 1, 1)
            assert [member.is_pri_carer for member in members] == [True, False, False, False]


def test_prepared_empty_bundle_at_centre_13(db):
    centre_13 = centres(db)[12]
    bundles = all_of(
        db, sa.select(Bundle).join(Registration).where(Registration.centre_id == centre_13.id)
    )

    assert len(bundles) == 1
    assert bundles[0].disbursed_at is None
    assert bundles[0].vouchers == []


def test_bundle_entitlement_is_voucher_count(db):
    for bundle in all_of(db, sa.select(Bundle)):
        assert bundle.entitlement == len(bundle.vouchers), bundle.id


def test_only_main_carer_has_ethnicity_and_language(db):
    valid_codes = {
        "AAFG", "ABAN", "ACHN", "AIND", "APKN", "AOTH", "BAFR", "BCRB", "BMOR", "BSOM", "BOTH", "MLAM",
        "MWAS", "MWBA", "MWBC", "MOTH", "OARA", "OSYR", "OTUR", "OOTH", "WBRI", "WOTH", "NOBT",
    }
    for family in all_of(db, sa.select(Family)):
        main, *others = family.carers
        assert main.ethnicity is None or main.ethnicity in valid_codes
        for carer in others:
            assert carer.ethnicity is None
            assert carer.language is None
