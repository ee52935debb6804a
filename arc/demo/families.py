"""Demo families: their carers, children and registrations, and the bundles they collected."""

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from arc.demo import data
from arc.demo.history import Move
from arc.registrations.models import LEAVING_REASONS, Bundle, Carer, Child, Family, Registration
from arc.vouchers import states
from arc.vouchers.models import Delivery

# Vouchers reach a centre this long before a family collects them, and are printed this long before that.
DELIVERY_LEAD_TIME = timedelta(days=10)
PRINT_LEAD_TIME = timedelta(days=14)
DELIVERY_TIME_OF_DAY = time(10, 0)


def add_registrations(demo):
    """Add the 43 demo registrations, with the bundles, deliveries and vouchers of their collections."""
    add_home_centre_families(demo)
    for position in range(1, 9):
        add_random_family(demo, demo.centre(position))
    add_family_that_left(demo)
    for _ in range(3):
        add_random_family(demo, demo.centre(14))
    add_family(demo, demo.centre(15), demo.ago(weeks=6), _random_carer_names(demo), _scottish_children(demo))
    add_social_prescribing_households(demo)
    add_family_with_prepared_bundle(demo)
    add_test_families(demo)
    add_bundle_demo_families(demo)
    add_active_user_families(demo)


def add_home_centre_families(demo):
    """Add two families at the home centre of each of the first three named centre workers."""
    for _name, email, *_rest in data.CENTRE_USERS:
        home = demo.centre_user(email).home_centre
        for _ in range(2):
            add_random_family(demo, home)


def add_family_that_left(demo):
    """Add a family that joined months ago and left two months ago, moving out of the centre's area."""
    joined = demo.ago(months=demo.rng.randint(4, 9))
    registration = add_random_family(demo, _random_standard_centre(demo), joined=joined)
    family = registration.family
    family.leaving_on = demo.ago(months=2)
    family.leaving_reason = LEAVING_REASONS[0]
    family.leave_amount = 1


def add_social_prescribing_households(demo):
    """Add two households at each Social Prescribing centre: an adult participant and three children."""
    for position in (10, 10, 11, 11):
        members = [Child(dob=data.HOUSEHOLD_ADULT_DOB, born=True, is_pri_carer=True)]
        members += [_child(demo, profile, None, is_pri_carer=False) for profile in data.SCOTTISH_CHILDREN]
        add_family(
            demo,
            demo.centre(position),
            demo.ago(weeks=demo.rng.randint(1, 20)),
            _random_carer_names(demo),
            members,
            eligibility=(None, None),
            eligible_from=demo.now,
        )


def add_family_with_prepared_bundle(demo):
    """Add a family at a random centre, and one at centre 13 whose current bundle is still empty."""
    add_random_family(demo, _random_standard_centre(demo))
    registration = add_random_family(demo, demo.centre(13))
    # The entitlement is the number of vouchers in the bundle, as in ``add_bundle``.
    demo.add(Bundle(entitlement=0, registration_id=registration.id, created_at=demo.now))


def add_test_families(demo):
    """Add the six named test families, each at its own centre with its history of collections."""
    for family in data.TEST_FAMILIES:
        centre = demo.centre(family["centre"])
        children = [_child(demo, profile, verified) for profile, verified in family["children"]]
        joined = datetime.combine(family["joined"], time())
        registration = add_family(
            demo,
            centre,
            joined,
            list(family["carers"]),
            children,
            eligibility=(data.HEALTHY_START_RECEIVING, "no"),
            eligible_from=joined,
        )
        for collected_on in family["collections"]:
            collected_at = datetime.combine(collected_on, time())
            add_bundle(demo, registration, collected_at - DELIVERY_LEAD_TIME, collected_at)


def add_bundle_demo_families(demo):
    """Add "Bobby Bundle", who collected a bundle 14 days ago, and "Wendy Waiting", whose bundle waits for her."""
    collected_at = demo.start_of_day(demo.ago(days=14))
    bobby = _add_bundle_demo_family(demo, demo.centre(22), "Bobby Bundle", joined=demo.ago(weeks=6))
    add_bundle(demo, bobby, collected_at - DELIVERY_LEAD_TIME, collected_at)

    wendy = _add_bundle_demo_family(demo, demo.centre(23), "Wendy Waiting", joined=demo.ago(weeks=1))
    add_bundle(demo, wendy, demo.now, collected_at=None)


def _add_bundle_demo_family(demo, centre, first_carer, joined):
    carers = _random_carer_names(demo)
    carers[0] = first_carer
    child = _child_at_age(demo, relativedelta(months=demo.rng.randint(14, 32)), verified=None)
    return add_family(demo, centre, joined, carers, [child])


def add_active_user_families(demo):
    """Add the families that show when a family counts as active, named after their case."""
    centre = demo.centre(24)
    for first_carer, weeks in data.ACTIVE_USER_FAMILIES_WITHOUT_PICKUP:
        registration = add_random_family(demo, centre, joined=demo.ago(weeks=weeks))
        registration.family.carers[0].name = first_carer
    for first_carer, weeks in data.ACTIVE_USER_FAMILIES_WITH_PICKUP:
        registration = add_random_family(demo, centre, joined=demo.ago(weeks=12))
        registration.family.carers[0].name = first_carer
        collected_at = demo.start_of_day(demo.ago(weeks=weeks))
        add_bundle(demo, registration, collected_at - DELIVERY_LEAD_TIME, collected_at)


def add_random_family(demo, centre, joined=None):
    """Add a family with one to three carers, up to four children of random ages and random eligibility."""
    rng = demo.rng
    joined = joined or demo.ago(days=rng.randint(7, 180))
    children = [_random_child(demo) for _ in range(rng.randint(0, 4))]
    eligibility = (rng.choice(data.HEALTHY_START_STATUSES), rng.choice(data.NO_RECOURSE_ANSWERS))
    eligible_from = joined if eligibility[0] == data.HEALTHY_START_RECEIVING else None
    return add_family(demo, centre, joined, _random_carer_names(demo), children, eligibility, eligible_from)


def add_family(demo, centre, joined, carer_names, children, eligibility=None, eligible_from=None):
    """Add a family registered at ``centre`` on ``joined`` and return its registration.

    The first carer is the main carer and the only one with an ethnicity and a language.
    ``eligibility`` is (Healthy Start status, no-recourse-to-public-funds value). None draws both.
    """
    rng = demo.rng
    family = demo.add(
        Family(
            initial_centre_id=centre.id,
            centre_sequence=demo.next_centre_sequence(centre),
            created_at=joined,
            updated_at=joined,
        )
    )
    for index, name in enumerate(carer_names):
        carer = Carer(name=name, family_id=family.id, created_at=joined, updated_at=joined)
        if index == 0:
            carer.ethnicity = rng.choice(data.ETHNICITY_CODES + (None,))
            carer.language = rng.choice(data.LANGUAGES + (None,))
        demo.session.add(carer)
    for child in children:
        child.family_id = family.id
        child.created_at = child.updated_at = joined
        demo.session.add(child)

    if eligibility is None:
        eligibility = (rng.choice(data.HEALTHY_START_STATUSES), rng.choice(data.NO_RECOURSE_ANSWERS))
    hsbs, nrpf = eligibility
    registration = Registration(
        family_id=family.id,
        centre_id=centre.id,
        eligibility_hsbs=hsbs,
        eligibility_nrpf=nrpf,
        consented_on=joined,
        eligible_from=eligible_from,
        created_at=joined,
        updated_at=joined,
    )
    return demo.add(registration)


def add_bundle(demo, registration, delivered_at, collected_at):
    """Add a bundle of three new vouchers, delivered to the family's centre at ``delivered_at``.

    When ``collected_at`` is set, the main carer collected the bundle at that centre then.
    """
    centre = registration.centre
    sponsor = demo.sponsor_of(centre)
    codes = demo.codes.random_block(sponsor.shortcode, data.VOUCHERS_PER_BUNDLE)
    # A delivery made today may not have reached its usual time of day yet.
    delivered_at = min(datetime.combine(delivered_at.date(), DELIVERY_TIME_OF_DAY), demo.now)
    prepared_at = min(delivered_at + timedelta(days=1), demo.now)
    delivery = demo.add(
        Delivery(
            centre_id=centre.id,
            range=f"{codes[0]}-{codes[-1]}",
            dispatched_at=delivered_at,
            created_at=delivered_at,
            updated_at=delivered_at,
        )
    )

    bundle = Bundle(
        # NOTE: entitlement is the bundle's voucher count until the entitlement rules module exists.
        entitlement=len(codes),
        registration_id=registration.id,
        created_at=prepared_at,
        updated_at=collected_at or prepared_at,
    )
    if collected_at:
        bundle.collecting_carer_id = registration.family.carers[0].id
        bundle.disbursing_centre_id = centre.id
        bundle.disbursing_user_id = _disbursing_user(demo, centre).id
        bundle.disbursed_at = collected_at
    demo.add(bundle)

    dispatch = Move("dispatch", states.Actor.of(demo.admin), delivered_at)
    for code in codes:
        demo.vouchers.add(
            code,
            sponsor.id,
            delivered_at - PRINT_LEAD_TIME,
            moves=[dispatch],
            delivery_id=delivery.id,
            bundle_id=bundle.id,
        )
    return bundle


def _disbursing_user(demo, centre):
    """Return a worker whose home centre is ``centre``, or else ARC FM User, who may act at every Standard centre."""
    for user in demo.centre_users:
        if user.centre_id == centre.id and user.deleted_at is None:
            return user
    return demo.centre_user("fmuser@example.org")


def _random_standard_centre(demo):
    return demo.rng.choice([centre for centre in demo.centres if centre.sponsor.programme == 0])


def _random_carer_names(demo):
    surname = demo.rng.choice(data.SURNAMES)
    return [demo.person_name(surname) for _ in range(demo.rng.randint(1, 3))]


def _random_child(demo):
    """Return a child up to 12 years old, or one time in ten a pregnancy due within eight months."""
    rng = demo.rng
    if rng.random() < 0.1:
        age = relativedelta(months=-rng.randint(1, 8))
    else:
        age = relativedelta(months=rng.randint(0, 12 * 12))
    return _child_at_age(demo, age, verified=rng.choice((None, True, False)))


def _scottish_children(demo):
    return [_child(demo, profile, None) for profile in data.SCOTTISH_CHILDREN]


def _child(demo, profile, verified, is_pri_carer=None):
    years, months = data.AGE_PROFILES[profile]
    return _child_at_age(demo, relativedelta(years=years, months=months), verified, is_pri_carer)


def _child_at_age(demo, age, verified, is_pri_carer=None):
    """Return a child born ``age`` before the start of this month; a negative age is a pregnancy."""
    this_month = date(demo.now.year, demo.now.month, 1)
    dob = datetime.combine(this_month - age, time())
    return Child(dob=dob, born=dob <= demo.now, verified=verified, deferred=False, is_pri_carer=is_pri_carer)
