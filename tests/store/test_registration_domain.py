"""Registration domain functions called directly: family numbers, updates in place, leaving, search
helpers, days on the project and the weekly entitlement adapter."""

import threading
from datetime import date, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from arc.centres.models import Centre
from arc.entitlement import social_prescribing
from arc.extensions import db as _db
from arc.registrations import operations, queries
from arc.registrations.entitlements import weekly_entitlement
from arc.registrations.models import LEAVING_REASONS, Carer, Child, Family, Registration
from arc.registrations.operations import (
    UNCHANGED,
    ChildDetails,
    CollectorDetails,
    RegistrationDetails,
    lock_family_to_centre,
)
from arc.sponsors.models import Sponsor
from arc.users.models import CentreUser
from tests import factories
from tests.store.scenario import add_rules, make_family_registration, store_world  # noqa: F401

NOW = datetime(2024, 6, 15, 9, 30)


# Models and family numbers


def test_registration_saves(db):
    centre = factories.make_centre()
    family = Family()
    registration = Registration(family=family, centre_id=centre.id, eligibility_hsbs="healthy-start-applying", eligibility_nrpf="no")
    db.session.add(registration)
    db.session.flush()
    assert registration.id is not None


def test_family_relations_in_creation_order(db):
    centre = factories.make_centre()
    family = Family()
    db.session.add(family)
    first = Registration(family=family, centre_id=centre.id)
    second = Registration(family=family, centre_id=centre.id)
    db.session.add_all([first, second])
    assert operations.main_carer(family) is None
    for name in ("Ola Ray", "Pia Lund", "Kit Moss"):
        db.session.add(Carer(family=family, name=name))
    children = [Child(family=family, dob=datetime(2020 + n, 1, 1)) for n in range(3)]
    db.session.add_all(children)
    db.session.flush()
    db.session.expire(family)
    assert [registration.id for registration in family.registrations] == [first.id, second.id]
    assert [carer.name for carer in family.carers] == ["Ola Ray", "Pia Lund", "Kit Moss"]
    assert operations.main_carer(family).name == "Ola Ray"
    assert [child.id for child in family.children] == [child.id for child in children]
    assert children[0].family is family


def test_family_numbers_per_centre(db):
    centres = {name: factories.make_centre(prefix=name) for name in ("AAA", "BBB", "CCC")}
    order = ["AAA", "AAA", "BBB", "AAA", "BBB", "CCC"]
    families = []
    for name in order:
        family = Family()
        db.session.add(family)
        lock_family_to_centre(family, centres[name])
        families.append(family)
    db.session.flush()
    assert [family.rvid for family in families] == ["AAA0001", "AAA0002", "BBB0001", "AAA0003", "BBB0002", "CCC0001"]


def test_family_number_format(db):
    family = Family()
    db.session.add(family)
    assert family.rvid == "UNKNOWN"
    centre = factories.make_centre(prefix="ELMS")
    lock_family_to_centre(family, centre)
    assert family.rvid == "ELMS0001"
    family.centre_sequence = 10000
    assert family.rvid == "ELMS10000"


def test_locked_family_keeps_its_number(db):
    first, second = factories.make_centre(), factories.make_centre()
    family = Family()
    db.session.add(family)
    lock_family_to_centre(family, first)
    lock_family_to_centre(family, second)
    assert (family.initial_centre_id, family.centre_sequence) == (first.id, 1)


def test_centre_relations(db):
    sponsor = factories.make_sponsor()
    centre = factories.make_centre(sponsor, print_pref="individual")
    assert centre.sponsor is sponsor
    assert centre.print_pref in ("collection", "individual")
    assert _db.session.scalar(sa.select(sa.func.count(Registration.id)).where(Registration.centre_id == centre.id)) == 0
    for _ in range(3):
        make_family_registration(centre)
        factories.make_centre_user(centre)
    assert _db.session.scalar(sa.select(sa.func.count(Registration.id)).where(Registration.centre_id == centre.id)) == 3


def test_home_centre(db):
    user = factories.make_centre_user()
    assert user.home_centre is not None
    assert user.home_centre.id == user.centres[0].id


def test_concurrent_registrations_get_different_numbers(app, committed_family):
    """Two workers registering at one centre at the same moment get the next two family numbers."""
    centre_id = committed_family.centre_id
    barrier = threading.Barrier(2)
    errors = []

    def register():
        try:
            with app.app_context():
                centre = _db.session.get(Centre, centre_id)
                user = _db.session.get(CentreUser, committed_family.user_id)
                barrier.wait(timeout=10)
                operations.create_registration(user, centre, RegistrationDetails(main_carer="Race Carer"), NOW)
                _db.session.commit()
        except Exception as error:  # noqa: BLE001  (reported by the main thread)
            errors.append(error)

    threads = [threading.Thread(target=register) for _ in range(2)]
    engine = committed_family.engine
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with engine.connect() as connection:
            sequences = sorted(
                connection.execute(sa.select(Family.centre_sequence).where(Family.initial_centre_id == centre_id)).scalars()
            )
        assert errors == []
        assert sequences == [1, 2, 3]
    finally:
        with engine.begin() as connection:
            new_families = list(connection.execute(sa.select(Family.id).where(
                Family.initial_centre_id == centre_id, Family.id != committed_family.family_id
            )).scalars())
            connection.execute(sa.delete(Registration.__table__).where(Registration.family_id.in_(new_families)))
            connection.execute(sa.delete(Carer.__table__).where(Carer.family_id.in_(new_families)))
            connection.execute(sa.delete(Family.__table__).where(Family.id.in_(new_families)))


@pytest.fixture
def committed_family(app):
    """A committed family with one carer and a registration, deleted afterwards; MariaDB or MySQL only.

    Racing writers need row locks: SQLite gives one of two of them "database is locked" instead.
    """
    with app.app_context():
        engine = _db.engine
    if engine.dialect.name == "sqlite":
        pytest.skip("racing writers need MySQL or MariaDB row locks")
    with engine.begin() as connection:
        sponsor_id = connection.execute(
            sa.insert(Sponsor.__table__).values(name="Race area", shortcode="RACEY", can_tap=True)
        ).inserted_primary_key[0]
        centre_id = connection.execute(
            sa.insert(Centre.__table__).values(name="Race centre", prefix="RACY", sponsor_id=sponsor_id)
        ).inserted_primary_key[0]
        user_id = connection.execute(
            sa.insert(CentreUser.__table__).values(name="Racer", email="racer-save@example.org", password="x")
        ).inserted_primary_key[0]
        family_id = connection.execute(
            sa.insert(Family.__table__).values(initial_centre_id=centre_id, centre_sequence=1, leave_amount=0)
        ).inserted_primary_key[0]
        connection.execute(sa.insert(Carer.__table__).values(family_id=family_id, name="Tess Ward"))
        registration_id = connection.execute(
            sa.insert(Registration.__table__).values(family_id=family_id, centre_id=centre_id)
        ).inserted_primary_key[0]
    try:
        yield SimpleNamespace(
            engine=engine, centre_id=centre_id, family_id=family_id, registration_id=registration_id, user_id=user_id
        )
    finally:
        with engine.begin() as connection:
            connection.execute(sa.delete(Registration.__table__).where(Registration.id == registration_id))
            connection.execute(sa.delete(Carer.__table__).where(Carer.family_id == family_id))
            connection.execute(sa.delete(Family.__table__).where(Family.id == family_id))
            connection.execute(sa.delete(CentreUser.__table__).where(CentreUser.id == user_id))
            connection.execute(sa.delete(Centre.__table__).where(Centre.id == centre_id))
            connection.execute(sa.delete(Sponsor.__table__).where(Sponsor.id == sponsor_id))


def race(app, committed, action, arguments):
    """Run ``action(user, registration, argument)`` for each argument in its own thread and session at once.

    Each thread reads the registration before the others write, as two open pages would. Returns
    the outcomes: the argument for a committed action, else the name of the exception raised.
    """
    barrier = threading.Barrier(len(arguments))
    outcomes, errors = [], []

    def run(argument):
        try:
            with app.app_context():
                registration = _db.session.get(Registration, committed.registration_id)
                user = _db.session.get(CentreUser, committed.user_id)
                operations.edit_version(registration)
                barrier.wait(timeout=10)
                try:
                    action(user, registration, argument)
                except operations.RegistrationError as error:
                    _db.session.rollback()
                    outcomes.append(type(error).__name__)
                    return
                _db.session.commit()
                outcomes.append(argument)
        except Exception as error:  # noqa: BLE001  (reported by the main thread)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return outcomes


def test_racing_saves_keep_first_only(app, committed_family):
    """Both read the family before either writes, so the loser's plain reads would still see the old
    names under REPEATABLE READ; the locking reads in ``update_registration`` must see the winner's."""

    def save(user, registration, name):
        version = operations.edit_version(registration)
        operations.update_registration(user, registration, RegistrationDetails(main_carer=name), NOW, version)

    outcomes = race(app, committed_family, save, ["Tess Ward-Lee", "Tess Warde"])

    with committed_family.engine.connect() as connection:
        names = list(connection.execute(sa.select(Carer.name).where(Carer.family_id == committed_family.family_id)).scalars())
    assert sorted(outcomes, key=lambda outcome: outcome == "FamilyChanged") == [names[0], "FamilyChanged"]


def test_racing_leavings_count_once(app, committed_family):
    def leave(user, registration, _number):
        operations.leave_family(user, registration, LEAVING_REASONS[0], NOW)

    outcomes = race(app, committed_family, leave, [1, 2, 3])

    with committed_family.engine.connect() as connection:
        leave_amount = connection.execute(
            sa.select(Family.leave_amount).where(Family.id == committed_family.family_id)
        ).scalar_one()
    assert len(outcomes) == 3
    assert outcomes.count("FamilyAlreadyLeft") == 2
    assert leave_amount == 1


# Create and update


def test_create_registration(store_world):
    details = RegistrationDetails(
        main_carer="Tess Ward",
        ethnicity="WBRI",
        language="english",
        collectors=(CollectorDetails("Ola Ray"), CollectorDetails("Gone Before Save", remove=True)),
        children=(ChildDetails(date(2024, 10, 20)), ChildDetails(date(2023, 2, 11), verified=True)),
        eligibility_hsbs="healthy-start-receiving",
        eligibility_nrpf="yes",
    )
    registration = operations.create_registration(store_world.rosa, store_world.elm, details, NOW)
    family = registration.family
    assert [(carer.name, carer.ethnicity, carer.language) for carer in family.carers] == [
        ("Tess Ward", "WBRI", "english"), ("Ola Ray", None, None)
    ]
    assert [(child.dob, child.born, child.verified, child.deferred) for child in family.children] == [
        (datetime(2024, 10, 1), False, None, False), (datetime(2023, 2, 1), True, True, False)
    ]
    assert registration.eligible_from == NOW
    assert registration.consented_on == NOW


def test_current_month_child_counts_as_born(store_world):
    details = RegistrationDetails(main_carer="A", children=(ChildDetails(date(2024, 6, 30)),))
    registration = operations.create_registration(store_world.rosa, store_world.elm, details, NOW)
    assert registration.family.children[0].born is True


def test_create_without_centre(store_world):
    with pytest.raises(operations.NoCurrentCentre):
        operations.create_registration(store_world.rosa, None, RegistrationDetails(main_carer="A"), NOW)


def test_update_in_place(store_world):
    registration = make_family_registration(
        store_world.elm, carers=("Main", "Helper", "Other"), children=[{"dob": datetime(2023, 1, 1), "verified": True, "deferred": False}]
    )
    family = registration.family
    child_id, helper_id, other_id = family.children[0].id, family.carers[1].id, family.carers[2].id
    details = RegistrationDetails(
        main_carer="Main Renamed",
        collectors=(CollectorDetails("Helper Renamed", id=helper_id),),
        children=(ChildDetails(date(2023, 1, 1), id=child_id, deferred=True),),
    )
    operations.update_registration(store_world.rosa, registration, details, NOW)
    assert [carer.name for carer in family.carers] == ["Main Renamed", "Helper Renamed", "Other"]
    assert family.carers[2].deleted_at is None
    child = family.children[0]
    assert (child.id, child.verified, child.deferred) == (child_id, True, True)
    assert registration.eligibility_hsbs == "healthy-start-applying"
    assert other_id == family.carers[2].id


def test_update_unknown_row_raises(store_world):
    registration = make_family_registration(store_world.elm)
    other = make_family_registration(store_world.elm, children=[date(2020, 1, 1)])
    details = RegistrationDetails(main_carer="A", children=(ChildDetails(date(2020, 1, 1), id=other.family.children[0].id),))
    with pytest.raises(operations.FamilyChanged):
        operations.update_registration(store_world.rosa, registration, details, NOW)


def test_update_left_family_raises(store_world):
    registration = make_family_registration(store_world.elm, leaving_on=datetime(2024, 1, 1))
    with pytest.raises(operations.FamilyHasLeft):
        operations.update_registration(store_world.rosa, registration, RegistrationDetails(main_carer="A"), NOW)


def test_update_leaves_unshown_eligibility(store_world):
    registration = make_family_registration(store_world.elm, hsbs="healthy-start-receiving", nrpf="yes", eligible_from=datetime(2024, 1, 2))
    operations.update_registration(store_world.rosa, registration, RegistrationDetails(main_carer="A"), NOW)
    assert (registration.eligibility_hsbs, registration.eligibility_nrpf, registration.eligible_from) == (
        "healthy-start-receiving", "yes", datetime(2024, 1, 2)
    )
    assert UNCHANGED is not None


def test_leave_and_rejoin(store_world):
    registration = make_family_registration(store_world.elm)
    family = registration.family
    with pytest.raises(operations.InvalidLeavingReason):
        operations.leave_family(store_world.rosa, registration, "bored", NOW)
    with pytest.raises(operations.FamilyNotLeft):
        operations.rejoin_family(store_world.rosa, registration, NOW)
    operations.leave_family(store_world.rosa, registration, "found employment", NOW)
    with pytest.raises(operations.FamilyAlreadyLeft):
        operations.leave_family(store_world.rosa, registration, "found employment", NOW)
    operations.rejoin_family(store_world.rosa, registration, NOW)
    assert family.rejoin_on > family.leaving_on
    assert family.is_active
    assert family.leave_amount == 1


# Days on the project


@pytest.mark.parametrize(
    "leaving_on, rejoin_on, expected",
    [
        (None, None, 100),
        (datetime(2024, 2, 1), None, 31),
        (datetime(2024, 2, 1), datetime(2024, 3, 1), 31 + 40),
        (datetime(2024, 3, 11), datetime(2024, 3, 1), 70),
    ],
)
def test_days_on_programme(store_world, leaving_on, rejoin_on, expected):
    registration = make_family_registration(store_world.elm, created_at=datetime(2024, 1, 1, 15, 0), leaving_on=leaving_on, rejoin_on=rejoin_on)
    assert queries.days_on_programme(registration, date(2024, 4, 10)) == expected


def test_natural_key_orders_numbers():
    names = ["Ann 10", "ann 2", "Ann 1", "Zed", "abe"]
    assert sorted(names, key=queries.natural_key) == ["abe", "Ann 1", "ann 2", "Ann 10", "Zed"]


# Weekly entitlement


def test_weekly_entitlement_uses_area_rules(store_world):
    children = [date(2024, 1, 1), date(2022, 11, 1), date(2016, 3, 1), date(2024, 10, 1)]
    registration = make_family_registration(store_world.elm, children=children)
    assert weekly_entitlement(registration, date(2024, 6, 15)) == 14
    add_rules(store_world.northshire, [("FamilyIsPregnant", "Family", "credits", 5)])
    _db.session.expire(registration.centre)
    assert weekly_entitlement(registration, date(2024, 6, 15)) == 15


def test_due_date_passing_needs_no_save(store_world):
    registration = make_family_registration(store_world.elm, children=[{"dob": datetime(2024, 3, 1), "born": False}])
    assert weekly_entitlement(registration, date(2024, 1, 10)) == 4
    assert weekly_entitlement(registration, date(2024, 4, 10)) == 6


def test_entitlement_never_below_zero(db):
    area = factories.make_sponsor(programme=1)
    add_rules(area, [(row.name, row.entity, row.purpose, row.value) for row in social_prescribing()])
    registration = make_family_registration(factories.make_centre(area), leaving_on=datetime(2024, 1, 1))
    assert weekly_entitlement(registration, date(2024, 6, 15)) == 0


def test_social_prescribing_household(db):
    area = factories.make_sponsor(programme=1)
    add_rules(area, [(row.name, row.entity, row.purpose, row.value) for row in social_prescribing()])
    registration = make_family_registration(
        factories.make_centre(area), children=[{"dob": datetime(1983, 1, 1), "is_pri_carer": True}, date(2015, 1, 1), date(1952, 1, 1)]
    )
    assert weekly_entitlement(registration, date(2024, 6, 15)) == 24
