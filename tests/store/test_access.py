"""Which centres, registrations and exports each kind of centre user may see."""

import pytest

from arc.registrations import access
from arc.sponsors.models import SOCIAL_PRESCRIBING_PROGRAMME
from tests import factories
from tests.store.scenario import link_centre, make_family_registration, store_world  # noqa: F401


def ids(centres):
    return [centre.id for centre in centres]


def test_centre_user_sees_area_neighbours(store_world):
    world = store_world
    assert ids(access.relevant_centres(world.rosa)) == [world.elm.id, world.oak.id]
    assert access.relevant_centre_ids(world.nina) == [world.elm.id, world.oak.id]
    assert access.relevant_centre_ids(world.uma) == [world.pine.id]


def test_neighbours_are_exactly_the_area_centres(db):
    area_p, area_q = factories.make_sponsor(), factories.make_sponsor()
    p_centres = [factories.make_centre(area_p) for _ in range(2)]
    q_centres = [factories.make_centre(area_q) for _ in range(3)]
    for centre in p_centres:
        assert access.relevant_centre_ids(factories.make_centre_user(centre)) == ids(p_centres)
    for centre in q_centres:
        assert access.relevant_centre_ids(factories.make_centre_user(centre)) == ids(q_centres)


def test_foodmatters_user_sees_every_standard_centre(store_world, db):
    world = store_world
    sp_area = factories.make_sponsor(programme=SOCIAL_PRESCRIBING_PROGRAMME)
    quay = factories.make_centre(sp_area, name="Quay House")
    visible = access.relevant_centre_ids(world.fran)
    assert {world.elm.id, world.oak.id, world.pine.id} <= set(visible)
    assert quay.id not in visible
    assert access.relevant_centre_ids(world.fran, SOCIAL_PRESCRIBING_PROGRAMME) == [quay.id]


def test_foodmatters_user_cannot_open_social_prescribing(store_world, db):
    sp_area = factories.make_sponsor(programme=SOCIAL_PRESCRIBING_PROGRAMME)
    quay = factories.make_centre(sp_area)
    registration = make_family_registration(quay)
    assert not access.can_view_centre(store_world.fran, quay)
    assert not access.can_view_registration(store_world.fran, registration)


def test_user_without_centres_sees_nothing(db):
    user = factories.make_centre_user()
    factories.make_centre()
    from arc.centres.models import centre_centre_user
    from arc.extensions import db as _db

    _db.session.execute(centre_centre_user.delete().where(centre_centre_user.c.centre_user_id == user.id))
    assert access.relevant_centres(user) == []
    assert access.relevant_centre_ids(user) == []
    assert access.current_centre(user, "all") is None


def test_unknown_role_sees_nothing(db):
    user = factories.make_centre_user(role="somebody_else")
    assert access.relevant_centre_ids(user) == []
    assert not access.may_export(user)


@pytest.mark.parametrize("who, allowed", [("rosa", True), ("nina", True), ("uma", False), ("fran", True)])
def test_registration_visibility(store_world, who, allowed):
    registration = make_family_registration(store_world.elm)
    assert access.can_view_registration(getattr(store_world, who), registration) is allowed


@pytest.mark.parametrize("who, allowed", [("rosa", True), ("nina", True), ("uma", False), ("fran", True)])
def test_centre_visibility(store_world, who, allowed):
    assert access.can_view_centre(getattr(store_world, who), store_world.elm) is allowed


def test_anonymous_and_admin_see_nothing(store_world, db):
    registration = make_family_registration(store_world.elm)
    admin = factories.make_admin_user()
    for user in (None, admin):
        assert access.relevant_centre_ids(user) == []
        assert not access.can_view_registration(user, registration)
        assert not access.may_export(user)
        assert not access.may_download(user)


def test_export_and_download_abilities(store_world):
    world = store_world
    assert [access.may_export(user) for user in (world.rosa, world.dev, world.fran)] == [False, False, True]
    assert [access.may_download(user) for user in (world.rosa, world.dev, world.fran)] == [False, True, True]


def test_current_centre_follows_own_choice(store_world):
    world = store_world
    link_centre(world.rosa, world.oak)
    assert access.current_centre(world.rosa, world.oak.id) == world.oak
    assert access.current_centre(world.rosa, str(world.oak.id)) == world.oak


def test_current_centre_ignores_foreign_choice(store_world):
    world = store_world
    assert access.current_centre(world.rosa, world.pine.id) == world.elm
    assert access.current_centre(world.rosa, str(world.oak.id)) == world.elm


@pytest.mark.parametrize("choice", ["all", None, "", "x1", True])
def test_current_centre_defaults_to_home(store_world, choice):
    assert access.current_centre(store_world.rosa, choice) == store_world.elm


def test_current_centre_without_home_is_none(db):
    centres = [factories.make_centre() for _ in range(4)]
    user = factories.make_centre_user(centres[0])
    from arc.centres.models import centre_centre_user
    from arc.extensions import db as _db

    _db.session.execute(centre_centre_user.update().values(homeCentre=False).where(centre_centre_user.c.centre_user_id == user.id))
    for centre in centres[1:]:
        link_centre(user, centre)
    _db.session.expire(user)
    assert len(user.centres) == 4
    assert user.home_centre is None
    assert access.current_centre(user, "all") is None
    assert access.current_centre(user, centres[2].id) == centres[2]


def test_user_linked_to_two_areas_sees_both(store_world):
    world = store_world
    link_centre(world.rosa, world.pine)
    assert access.relevant_centre_ids(world.rosa) == [world.elm.id, world.oak.id, world.pine.id]
