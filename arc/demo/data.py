"""Fixed tables of the demo data set: areas and their rules, centres, logins, markets, families.

Positions in these tables count from 1 and are the ids the rows get in a newly created database, so
centre 1 is the first entry of ``CENTRES``. The loader refers to rows by position, never by id.
A ``None`` where a choice is needed is drawn from the loader's random generator.
"""

from datetime import date, datetime

# Entity names as the live evaluations table stores them, with a single backslash.
CHILD = "App\\Child"
FAMILY = "App\\Family"

CREDITS = "credits"
NOTICES = "notices"
DISQUALIFIERS = "disqualifiers"

# Rule sets: (rule name, entity, purpose, value). A value of None switches the rule off for the area.
VERIFY_CHILDREN = (("FamilyHasUnverifiedChildren", FAMILY, NOTICES, 0),)

ALLOW_PRIMARY_SCHOOLERS = (
    ("ChildIsAlmostSecondarySchoolAge", CHILD, NOTICES, 0),
    ("ChildIsPrimarySchoolAge", CHILD, CREDITS, 3),
    ("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, None),
    ("ChildIsSecondarySchoolAge", CHILD, DISQUALIFIERS, 0),
)

QUALIFY_PRIMARY_SCHOOLERS = ALLOW_PRIMARY_SCHOOLERS + (("FamilyHasNoEligibleChildren", FAMILY, DISQUALIFIERS, 0),)

SOUTHWARK = (
    ("FamilyIsPregnant", FAMILY, CREDITS, 4),
    ("ChildIsAlmostSecondarySchoolAge", CHILD, NOTICES, 0),
    ("ChildIsPrimarySchoolAge", CHILD, CREDITS, 4),
    ("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, None),
    ("ChildIsSecondarySchoolAge", CHILD, DISQUALIFIERS, 0),
    ("FamilyHasNoEligibleChildren", FAMILY, DISQUALIFIERS, 0),
    ("ChildIsBetweenOneAndPrimarySchoolAge", CHILD, CREDITS, 4),
)

SCOTTISH = (
    ("FamilyIsPregnant", FAMILY, CREDITS, 4),
    ("ScottishChildIsBetweenOneAndPrimarySchoolAge", CHILD, CREDITS, 4),
    ("ChildIsBetweenOneAndPrimarySchoolAge", CHILD, CREDITS, None),
    ("ScottishChildIsPrimarySchoolAge", CHILD, CREDITS, 4),
    ("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, None),
    ("ScottishFamilyHasNoEligibleChildren", FAMILY, DISQUALIFIERS, 0),
    ("FamilyHasNoEligibleChildren", FAMILY, DISQUALIFIERS, None),
    ("ScottishChildIsAlmostPrimarySchoolAge", CHILD, NOTICES, 0),
    ("ChildIsAlmostPrimarySchoolAge", CHILD, NOTICES, None),
    ("ScottishChildCanDefer", CHILD, NOTICES, 0),
    ("ChildIsSecondarySchoolAge", CHILD, DISQUALIFIERS, 0),
)


def social_prescribing(carer_deduction, household_member, household_exists):
    """Return the Social Prescribing rule set with an area's three household values."""
    return (
        ("FamilyIsPregnant", FAMILY, CREDITS, None),
        ("ChildIsBetweenOneAndPrimarySchoolAge", CHILD, CREDITS, None),
        ("ChildIsUnderOne", CHILD, CREDITS, None),
        ("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, None),
        ("DeductFromCarer", FAMILY, CREDITS, carer_deduction),
        ("HouseholdMember", CHILD, CREDITS, household_member),
        ("HouseholdExists", FAMILY, CREDITS, household_exists),
        ("ChildIsAlmostPrimarySchoolAge", CHILD, NOTICES, None),
        ("ChildIsAlmostOne", CHILD, NOTICES, None),
    )


# Areas: name, shortcode, programme (0 Standard, 1 Social Prescribing), can_tap, rule set.
# The previous service drew random shortcodes for areas 2 to 8. Fixed ones keep voucher codes reproducible.
SPONSORS = (
    ("Real Virtual Project", "RVNT", 0, True, QUALIFY_PRIMARY_SCHOOLERS + VERIFY_CHILDREN),
    ("Barsetshire", "BARS", 0, True, QUALIFY_PRIMARY_SCHOOLERS + VERIFY_CHILDREN),
    ("Borsetshire", "BORS", 0, True, ALLOW_PRIMARY_SCHOOLERS + VERIFY_CHILDREN),
    ("Midsomer", "MIDS", 0, True, VERIFY_CHILDREN),
    ("Wessex", "WESX", 0, True, ()),
    ("Southwark", "SWRK", 0, True, SOUTHWARK + VERIFY_CHILDREN),
    ("No Tap Project", "NTAP", 0, False, QUALIFY_PRIMARY_SCHOOLERS + VERIFY_CHILDREN),
    ("Scottish Rules Project", "SCOT", 0, True, SCOTTISH + VERIFY_CHILDREN),
    ("Social Prescribing Area", "SPA", 1, True, social_prescribing(-7, 7, 10)),
    ("Tower Hamlet Social Prescribing", "THA", 1, True, social_prescribing(-2, 2, 6)),
    ("Lambeth Social Prescribing", "LSP", 1, True, social_prescribing(-2, 2, 8)),
)

# Centres: name (None: a street name), area position (None: a random Standard area), print preference
# (None: random). Centres 16 to 21 belong to the six named test families, in family order.
CENTRES = (
    (None, 1, None),
    (None, None, "collection"),
    (None, None, "individual"),
    (None, None, None),
    (None, 3, None),
    (None, 4, None),
    (None, 6, None),
    (None, 8, None),
    ("Prescribing Centre", 9, None),
    ("Tower Hamlet SP", 10, None),
    ("Lambeth SP", 11, None),
    (None, 1, None),
    (None, 1, None),
    (None, None, None),
    (None, 8, None),
    (None, 5, None),
    (None, 2, None),
    (None, 1, None),
    (None, 5, None),
    (None, 3, None),
    (None, 4, None),
    (None, None, None),
    (None, None, None),
    ("Active User Test", 1, None),
)

STORE_PASSWORD = "store_pass"
MARKET_PASSWORD = "market_pass"
ADMIN_PASSWORD = "admin_pass"
# Password of the logins with generated names and addresses.
GENERATED_PASSWORD = "secret"

# Named centre workers: name, e-mail, role, downloader, home centre, other centres (centre positions).
CENTRE_USERS = (
    ("ARC CC User", "ccuser@example.org", "centre_user", False, 1, (12, 13, 15)),
    ("ARC FM User", "fmuser@example.org", "foodmatters_user", True, 1, ()),
    ("ARC fmuser2", "fmuser2@example.org", "foodmatters_user", True, 2, ()),
)
# Four workers with generated names at random centres, then two disabled ones with no centre.
GENERATED_CENTRE_USERS = 4
DISABLED_CENTRE_USERS = 2
CENTRE_USERS_AFTER_GENERATED = (
    ("Prescribing User", "spuser@example.org", "centre_user", False, 9, ()),
    ("Scottish User", "scuser@example.org", "centre_user", False, 8, ()),
    ("Southwark User", "swuser@example.org", "centre_user", False, 7, ()),
    ("Tower Hamlet SP User", "thuser@example.org", "centre_user", False, 10, ()),
    ("Lambeth SP User", "lambethuser@example.org", "centre_user", False, 11, ()),
    ("ARC CCDownloader", "ccdownloader@example.org", "centre_user", True, 24, ()),
)

# Trader-app users after the technical user "demoseeder": name, e-mail, trader positions.
# None stands for one to three random traders, "all" for every trader.
TECHNICAL_USER_NAME = "demoseeder"
MARKET_USERS = (
    ("Rolf Billabong", "rolf@example.org", (1,)),
    ("Matilda Billabong", "tilly@example.org", (7,)),
    ("Kenneth Furbanks", "ken@example.org", None),
    ("Greta Furbanks", "greta@example.org", "all"),
    ("Brian Bloom", "brian@example.org", (2,)),
)

ADMIN_USER = ("Rhys Chocolate", "admin@example.org")

# Markets: name, location (None: a random postcode), area position (None: a random area), payment message.
MARKETS = (
    ("Beechwood Hall", "Sylvania", 1, "Please return your vouchers to the ARC office at the end of each market day."),
    (
        "Sea Breeze Cape",
        "Secret Island",
        2,
        "Please write today's date on the back of each voucher and hand them to the market manager.",
    ),
    ("Fruit Wagon", None, None, "Please drop your vouchers off at the ARC office during opening hours."),
    ("Brick Oven Bakery", "Cloverleaf Corners", None, "Please post your vouchers to the ARC office each week."),
    (
        "Cedar Terrace",
        None,
        None,
        "Please write your stall name on the back of each voucher and return them to the market manager.",
    ),
    ("No Tap Farm", "Happy Farm", 7, "Please post your vouchers to the ARC office each week."),
)

# Traders: name, market position.
TRADERS = (
    ("Fred's Fruit and Veg", 1),
    ("Larry's Local Larder", 2),
    ("The Happy Fruit Company", 2),
    ("Red's Tomato Trader", 4),
    ("Mr Bear's Apples and Pears", 5),
    ("Sally's Fruit Stall", 5),
    ("Jane's Farm Produce", 6),
)

# Child age profiles, each relative to the day the data is loaded:
# (years, months) of age, or a negative month count for a pregnancy due that many months ahead.
UNBORN = "unborn"
UNDER_ONE = "under one"
ALMOST_ONE = "almost one"
TODDLER = "between one and primary school"
PRIMARY_SCHOOL = "primary school"
SECONDARY_SCHOOL = "secondary school"
SCOTTISH_AT_SCHOOL = "Scottish, at school"
SCOTTISH_CAN_DEFER = "Scottish, able to defer"
SCOTTISH_CANNOT_DEFER = "Scottish, too old to defer"

AGE_PROFILES = {
    UNBORN: (0, -3),
    UNDER_ONE: (0, 5),
    ALMOST_ONE: (0, 11),
    TODDLER: (2, 6),
    PRIMARY_SCHOOL: (7, 0),
    SECONDARY_SCHOOL: (13, 0),
    # A Scottish child of 5 is at school all year. At 4 years and 1 to 6 months a child may defer.
    SCOTTISH_AT_SCHOOL: (5, 2),
    SCOTTISH_CAN_DEFER: (4, 3),
    SCOTTISH_CANNOT_DEFER: (4, 9),
}

SCOTTISH_CHILDREN = (SCOTTISH_AT_SCHOOL, SCOTTISH_CAN_DEFER, SCOTTISH_CANNOT_DEFER)

# The adult household member recorded as a child row in each Social Prescribing household.
HOUSEHOLD_ADULT_DOB = datetime(1983, 1, 1)

# The six named test families. Carer names are test scenario codes: VC<n> is the number of voucher
# collectors and CH<n> the number of children who earn vouchers under the area's rules (P: and a
# pregnancy). Children are (age profile, verified flag).
TEST_FAMILIES = (
    {
        "carers": ("1MAY20a-VC2-CH1-HI-042019", "MAY20b-VC2-CH1-HI-042019"),
        "centre": 16,
        "children": ((TODDLER, None),),
        "joined": date(2019, 4, 9),
        "collections": (date(2019, 4, 9), date(2019, 4, 23), date(2019, 5, 3)),
    },
    {
        # Two children qualify in this area (the toddler and the primary schooler); the third is at
        # secondary school and is disqualified.
        "carers": ("2MAY20-VC1-CH2-HI-122018",),
        "centre": 17,
        "children": ((TODDLER, False), (PRIMARY_SCHOOL, False), (SECONDARY_SCHOOL, False)),
        "joined": date(2018, 12, 14),
        "collections": (
            date(2018, 12, 14),
            date(2019, 1, 11),
            date(2019, 2, 8),
            date(2019, 3, 8),
            date(2019, 4, 5),
            date(2019, 5, 3),
            date(2019, 5, 31),
            date(2019, 6, 28),
            date(2019, 7, 26),
            date(2019, 8, 23),
            date(2019, 9, 20),
            date(2019, 10, 18),
            date(2019, 11, 18),
        ),
    },
    {
        "carers": ("3MAY20-VC1-CH6-HAS-112019",),
        "centre": 18,
        "children": (
            (UNDER_ONE, True),
            (ALMOST_ONE, True),
            (TODDLER, True),
            (PRIMARY_SCHOOL, True),
            (TODDLER, False),
            (PRIMARY_SCHOOL, False),
        ),
        "joined": date(2019, 11, 22),
        "collections": (
            date(2019, 11, 29),
            date(2019, 12, 20),
            date(2020, 1, 17),
            date(2020, 2, 14),
            date(2020, 3, 13),
            date(2020, 4, 3),
            date(2020, 4, 24),
            date(2020, 5, 12),
        ),
    },
    {
        "carers": ("4MAY20-VC1-CH1P-HA-012020",),
        "centre": 19,
        "children": ((TODDLER, None), (UNBORN, None)),
        "joined": date(2020, 1, 30),
        "collections": (date(2020, 1, 30), date(2020, 5, 15)),
    },
    {
        "carers": ("5MAY20-VC1-CH3-HA-112015",),
        "centre": 20,
        "children": ((UNDER_ONE, False), (TODDLER, False), (PRIMARY_SCHOOL, False)),
        "joined": date(2019, 11, 12),
        "collections": (
            date(2019, 11, 12),
            date(2019, 12, 3),
            date(2019, 12, 24),
            date(2020, 1, 14),
            date(2020, 2, 4),
            date(2020, 2, 25),
            date(2020, 3, 17),
            date(2020, 4, 7),
            date(2020, 4, 28),
            date(2020, 5, 22),
        ),
    },
    {
        "carers": ("6MAY-VC1-CH2-HI-032020",),
        "centre": 21,
        "children": ((UNDER_ONE, False), (TODDLER, True)),
        "joined": date(2020, 4, 1),
        "collections": (date(2020, 4, 1), date(2020, 5, 1)),
    },
)

# Families at the "Active User Test" centre, named after the case each one exercises: the weeks since
# the family joined (no pickup) or since its only collection (pickup).
ACTIVE_USER_FAMILIES_WITHOUT_PICKUP = (
    ("inactive-no-pickup", 12),
    ("active-no-pickup-3-week", 3),
    ("active-no-pickup-2-week", 2),
    ("active-no-pickup-1-week", 1),
)
ACTIVE_USER_FAMILIES_WITH_PICKUP = (
    ("active-pickup-1-week-A", 1),
    ("active-pickup-1-week-B", 1),
    ("active-pickup-1-week-C", 1),
    ("active-pickup-2-week", 2),
    ("active-pickup-3-week", 3),
    ("inactive-pickup-5-week", 5),
)

# Vouchers every bundle in the demo data holds.
VOUCHERS_PER_BUNDLE = 3

# Voucher codes that testers rely on.
FIRST_DELIVERY_SHORTCODE = "RVNT"
OLD_VOUCHER_NUMBERS = range(12345560, 12345600)  # RVNT12345560 to RVNT12345599
OLD_VOUCHERS_CREATED_AT = datetime(2019, 8, 26)
RECORDED_OLD_VOUCHER = 12345561
PENDING_OLD_VOUCHERS = range(12345570, 12345574)
REIMBURSED_OLD_VOUCHERS = range(12345574, 12345576)
PENDING_TOKEN = "auuidforpendingvouchers"
PAID_TOKEN = "auuidforpaidvouchers"
FIRST_DELIVERY_NUMBERS = range(0, 100)  # RVNT0000 to RVNT0099
FIRST_DELIVERY_DIGITS = 4

# Five deliveries of 51 vouchers: for k = 0 to 4, <shortcode>01k000 to <shortcode>01k050.
NUMBERED_DELIVERIES = 5
NUMBERED_DELIVERY_SIZE = 51
NUMBERED_DELIVERY_DIGITS = 6

RANDOM_PRINTED_VOUCHERS = 50
PENDING_VOUCHERS_FOR_TRADER_1 = 50

# The large set for trader 2: vouchers per final state, coded <trader 2's area shortcode><8 digits>.
LARGE_RECORDED = 1000
LARGE_PENDING = 5000
LARGE_REIMBURSED = 5000
LARGE_FIRST_NUMBER = 50_000_000
LARGE_DIGITS = 8

# Names for generated people and places.
FIRST_NAMES = (
    "Abigail", "Aisha", "Alfie", "Amelia", "Archie", "Arthur", "Ava", "Callum", "Charlotte", "Chloe",
    "Daniel", "Eilidh", "Eleanor", "Ellie", "Emily", "Ethan", "Evie", "Finlay", "Freya", "George",
    "Grace", "Hannah", "Harry", "Isla", "Jack", "Jacob", "Jessica", "Joshua", "Katie", "Leo",
    "Lily", "Logan", "Lucy", "Megan", "Mohammed", "Noah", "Olivia", "Oscar", "Poppy", "Priya",
    "Rhiannon", "Rory", "Ruby", "Samuel", "Sophie", "Thomas", "Tomasz", "Zainab",
)

SURNAMES = (
    "Ahmed", "Begum", "Bennett", "Brown", "Campbell", "Clarke", "Davies", "Edwards", "Evans", "Fraser",
    "Green", "Hall", "Harris", "Hughes", "Jackson", "James", "Johnson", "Jones", "Kaur", "Khan",
    "Kowalski", "Lewis", "MacDonald", "Martin", "Mensah", "Morgan", "Murphy", "O'Brien", "Okafor", "Patel",
    "Roberts", "Robinson", "Scott", "Singh", "Smith", "Taylor", "Thomas", "Thompson", "Walker", "White",
    "Williams", "Wilson", "Wood", "Wright", "Young",
)

STREET_NAMES = (
    "Acacia Avenue", "Albion Road", "Alma Terrace", "Ashgrove Lane", "Beech Grove", "Bell Street",
    "Bridge Street", "Brook Lane", "Castle Road", "Chapel Row", "Church Lane", "Coronation Street",
    "Crown Court", "Elm Close", "Fore Street", "Garden Walk", "George Street", "Granby Row",
    "Hazel Crescent", "High Street", "Holly Mews", "Kingsway", "Larch Drive", "Market Place",
    "Mill Lane", "Nelson Road", "Orchard Way", "Park Avenue", "Priory Road", "Queen's Parade",
    "Railway Terrace", "Rectory Lane", "Rose Hill", "Station Road", "Sycamore Close", "The Green",
    "Victoria Street", "Water Lane", "Willow Walk", "Windmill Hill",
)

# Postcode areas for generated market locations.
POSTCODE_AREAS = ("B", "BS", "CF", "E", "G", "L", "LS", "M", "N", "NE", "NW", "S", "SE", "SW", "W")
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

LANGUAGES = ("english", "english", "english", "polish", "bengali", "urdu", "somali", "arabic")

# Ethnicity codes of the main carer. NOBT is the code for "not answered".
ETHNICITY_CODES = (
    "AAFG", "ABAN", "ACHN", "AIND", "APKN", "AOTH", "BAFR", "BCRB", "BMOR", "BSOM", "BOTH", "MLAM",
    "MWAS", "MWBA", "MWBC", "MOTH", "OARA", "OSYR", "OTUR", "OOTH", "WBRI", "WOTH", "NOBT",
)

HEALTHY_START_STATUSES = (
    "healthy-start-applying",
    "healthy-start-receiving",
    "healthy-start-receiving-not-eligible-or-rejected",
)
HEALTHY_START_RECEIVING = "healthy-start-receiving"
NO_RECOURSE_ANSWERS = ("yes", "no")
