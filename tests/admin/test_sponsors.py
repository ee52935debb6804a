"""Admin pages and domain functions for areas (sponsors) and their rule overrides."""

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages

from arc.admin.people_forms import SponsorForm
from arc.admin.record_pages import save_changes
from arc.extensions import db as _db
from arc.sponsors import operations
from arc.sponsors.models import Evaluation, Sponsor
from arc.sponsors.operations import RuleOverride, SponsorError
from tests import factories
from tests.admin.people_data import (
    assert_sent_to_login,
    field_errors,
    heading,
    parse,
    use_centre_session,
)

ROUTES = [
    ("GET", "/sponsors"),
    ("GET", "/sponsors/create"),
    ("POST", "/sponsors"),
    ("GET", "/sponsors/1/edit"),
    ("POST", "/sponsors/1/edit"),
    ("GET", "/sponsors/1"),
    ("POST", "/sponsors/1"),
    ("GET", "/sponsors/1/rules"),
    ("POST", "/sponsors/1/rules"),
]

CHILD = "App\\Child"
FAMILY = "App\\Family"


@pytest.fixture
def areas(db):
    """A Standard area with shortcode EXIST and a Social Prescribing area SPA."""
    standard = factories.make_sponsor(shortcode="EXIST", name="Existing Area", programme=0)
    social = factories.make_sponsor(shortcode="SPA", name="Social Prescribing Area", programme=1)
    return standard, social


def evaluations(sponsor):
    rows = _db.session.scalars(sa.select(Evaluation).where(Evaluation.sponsor_id == sponsor.id).order_by(Evaluation.name))
    return {(row.name, row.purpose): (row.entity, row.value) for row in rows}


@pytest.mark.parametrize("method, path", ROUTES)
def test_anonymous_visitor_sent_to_login(service_client, method, path):
    assert_sent_to_login(service_client.open(path, method=method))


@pytest.mark.parametrize("method, path", ROUTES)
def test_centre_user_session_refused(service_client, store_client, centre_user, method, path):
    client = use_centre_session(service_client, store_client, centre_user)

    assert_sent_to_login(client.open(path, method=method))


@pytest.mark.parametrize("method, path", ROUTES)
def test_trader_bearer_token_refused(service_client, api_token, method, path):
    response = service_client.open(path, method=method, headers={"Authorization": f"Bearer {api_token}"})

    assert_sent_to_login(response)


# List


def test_list_links_each_area_to_its_rules(logged_in_admin, areas):
    standard, social = areas

    response = logged_in_admin.get("/sponsors")

    hrefs = {link.attrs["href"] for link in parse(response).select("a")}
    assert heading(response) == "Areas"
    assert f"/sponsors/{social.id}" in hrefs
    assert f"/sponsors/{standard.id}" not in hrefs
    assert f"/sponsors/{standard.id}/rules" in hrefs
    assert f"/sponsors/{social.id}/rules" not in hrefs
    assert {f"/sponsors/{standard.id}/edit", f"/sponsors/{social.id}/edit"} <= hrefs


def test_list_omits_deleted_area(logged_in_admin, areas):
    areas[0].deleted_at = areas[0].created_at
    _db.session.flush()

    body = logged_in_admin.get("/sponsors").get_data(as_text=True)

    assert "Existing Area" not in body
    assert "Social Prescribing Area" in body


def test_list_shows_programme_and_tap(logged_in_admin, areas):
    page = parse(logged_in_admin.get("/sponsors"))

    row = next(row for row in page.one("table", id="sponsorsTable").select("tr") if "SPA" in row.text)
    assert [cell.text for cell in row.select("td")][:4] == ["Social Prescribing Area", "SPA", "Social Prescribing", "Allowed"]


# Create


@pytest.mark.parametrize(
    "data, valid",
    [
        ({"name": "Test-shire Sponsor", "voucher_prefix": "TSTSR", "programme": "0"}, True),
        ({"voucher_prefix": "TSTSR", "programme": "0"}, False),
        ({"name": "1", "voucher_prefix": "TSTSR", "programme": "0"}, False),
        ({"name": "Test-shire Sponsor", "programme": "0"}, False),
        ({"name": "Test-shire Sponsor", "voucher_prefix": "1", "programme": "0"}, False),
        ({"name": "Test-shire Sponsor", "voucher_prefix": "TSTSR"}, False),
        ({"name": "Test-shire Sponsor", "voucher_prefix": "TSTSR", "programme": "one"}, False),
        ({"name": "Test-shire Sponsor", "voucher_prefix": "TSTSR", "programme": "999"}, False),
        ({"name": "Test-shire Sponsor", "voucher_prefix": "TST SR", "programme": "1"}, False),
        ({"name": "Test-shire Sponsor", "voucher_prefix": "TSTSR", "programme": "1", "can_tap": "y"}, False),
        ({"name": "Test-shire Sponsor", "voucher_prefix": "TSTSR", "programme": "1", "can_tap": "1"}, True),
    ],
)
def test_sponsor_form_rules(app, db, data, valid):
    with app.test_request_context(method="POST", data=data):
        assert SponsorForm().validate() is valid


def test_create_rejects_used_prefix(logged_in_admin, areas):
    logged_in_admin.get("/sponsors/create")

    response = logged_in_admin.post("/sponsors", data={"name": "Test-shire Sponsor", "voucher_prefix": "EXIST"})

    assert response.status_code == 200
    assert field_errors(response, "programme")
    assert _db.session.scalars(sa.select(Sponsor).filter_by(name="Test-shire Sponsor")).first() is None


def test_create_shows_used_prefix_under_its_field(logged_in_admin, areas):
    response = logged_in_admin.post("/sponsors", data={"name": "Test-shire", "voucher_prefix": "exist", "programme": "0"})

    assert field_errors(response, "voucher_prefix") == ["Another area already uses the voucher prefix EXIST."]


def test_create_sponsor_via_form(logged_in_admin):
    response = logged_in_admin.post(
        "/sponsors", data={"name": "Test-shire Sponsor", "voucher_prefix": "tstsr", "programme": "1", "can_tap": "1"}
    )

    sponsor = _db.session.scalars(sa.select(Sponsor).filter_by(shortcode="TSTSR")).one()
    assert response.status_code == 302
    assert response.headers["Location"] == "/sponsors"
    assert (sponsor.name, sponsor.programme, sponsor.can_tap) == ("Test-shire Sponsor", 1, True)
    assert evaluations(sponsor) == {}


def test_create_sponsor_defaults_to_no_tap(db, admin_user):
    sponsor = operations.create_sponsor("Plain Area", "plain", 0, False, admin_user)

    assert (sponsor.shortcode, sponsor.programme, sponsor.can_tap) == ("PLAIN", 0, False)


@pytest.mark.parametrize("shortcode", ["EXIST", "exist", "AB1", "", "A" * 25])
def test_create_sponsor_rejects_bad_prefix(db, admin_user, areas, shortcode):
    with pytest.raises(SponsorError) as raised:
        operations.create_sponsor("New Area", shortcode, 0, False, admin_user)
    assert raised.value.field == "voucher_prefix"


def test_deleted_area_keeps_its_prefix(db, admin_user, areas):
    areas[0].deleted_at = areas[0].created_at

    with pytest.raises(SponsorError):
        operations.create_sponsor("New Area", "EXIST", 0, False, admin_user)


def test_create_sponsor_rejects_unknown_programme(db, admin_user):
    with pytest.raises(SponsorError) as raised:
        operations.create_sponsor("New Area", "NEWA", 2, False, admin_user)
    assert raised.value.field == "programme"


# Edit settings


def test_edit_changes_name_programme_and_tap(logged_in_admin, areas):
    standard, _ = areas

    response = logged_in_admin.post(f"/sponsors/{standard.id}/edit", data={"name": "Renamed", "programme": "1"})

    _db.session.refresh(standard)
    assert response.status_code == 302
    assert (standard.name, standard.programme, standard.can_tap, standard.shortcode) == ("Renamed", 1, False, "EXIST")


def test_edit_page_ticks_tap_box(logged_in_admin, areas):
    standard, _ = areas
    standard.can_tap = True
    _db.session.flush()

    page = parse(logged_in_admin.get(f"/sponsors/{standard.id}/edit"))

    assert "checked" in page.one("input", name="can_tap").attrs


def test_edit_of_unknown_or_deleted_area_is_404(logged_in_admin, areas):
    areas[0].deleted_at = areas[0].created_at
    _db.session.flush()

    assert logged_in_admin.get("/sponsors/999999/edit").status_code == 404
    assert logged_in_admin.get(f"/sponsors/{areas[0].id}/edit").status_code == 404


# Household values


def test_household_values_page_of_social_prescribing_area(logged_in_admin, areas):
    _, social = areas
    operations.set_household_values(social, 10, 7, factories.make_admin_user())

    response = logged_in_admin.get(f"/sponsors/{social.id}")

    page = parse(response)
    assert heading(response) == "Social Prescribing Area"
    assert page.one("input", name="householdExistsValue").attrs["value"] == "10"
    assert page.one("input", name="householdMemberValue").attrs["value"] == "7"


def test_household_values_of_standard_area_are_404(logged_in_admin, areas):
    standard, _ = areas

    assert logged_in_admin.get(f"/sponsors/{standard.id}").status_code == 404
    assert logged_in_admin.post(
        f"/sponsors/{standard.id}", data={"householdExistsValue": "1", "householdMemberValue": "1"}
    ).status_code == 404
    assert evaluations(standard) == {}


def test_household_values_create_missing_rows(logged_in_admin, areas):
    _, social = areas

    response = logged_in_admin.post(
        f"/sponsors/{social.id}", data={"id": str(social.id), "householdExistsValue": "20", "householdMemberValue": "5"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/sponsors"
    assert evaluations(social) == {
        ("DeductFromCarer", "credits"): (FAMILY, -5),
        ("HouseholdExists", "credits"): (FAMILY, 20),
        ("HouseholdMember", "credits"): (CHILD, 5),
    }


def test_household_values_update_existing_rows(db, areas, admin_user):
    _, social = areas
    operations.set_household_values(social, 10, 7, admin_user)
    ids = {row.name: row.id for row in db.session.scalars(sa.select(Evaluation).filter_by(sponsor_id=social.id))}

    operations.set_household_values(social, 15, 4, admin_user)

    rows = {row.name: (row.id, row.value) for row in db.session.scalars(sa.select(Evaluation).filter_by(sponsor_id=social.id))}
    assert rows == {name: (ids[name], value) for name, value in
                    (("HouseholdExists", 15), ("HouseholdMember", 4), ("DeductFromCarer", -4))}


@pytest.mark.parametrize(
    "data, field", [({"householdExistsValue": "-1", "householdMemberValue": "2"}, "householdExistsValue"),
                    ({"householdExistsValue": "3", "householdMemberValue": "two"}, "householdMemberValue"),
                    ({"householdExistsValue": "3"}, "householdMemberValue")],
)
def test_household_values_must_be_whole_numbers(logged_in_admin, areas, data, field):
    _, social = areas

    response = logged_in_admin.post(f"/sponsors/{social.id}", data=data)

    assert response.status_code == 200
    assert field_errors(response, field)
    assert evaluations(social) == {}


def test_household_values_refused_for_standard_area(db, areas, admin_user):
    with pytest.raises(SponsorError):
        operations.set_household_values(areas[0], 1, 1, admin_user)


# Rule overrides


def test_rules_page_lists_overrides_and_blank_rows(logged_in_admin, areas):
    standard, _ = areas
    operations.replace_overrides(standard, [RuleOverride("ChildIsPrimarySchoolAge", CHILD, "disqualifiers", None)],
                                 factories.make_admin_user())

    response = logged_in_admin.get(f"/sponsors/{standard.id}/rules")

    page = parse(response)
    selected = [option.attrs["value"] for option in page.select("option", selected="")]
    assert response.status_code == 200
    assert page.one("select", name="overrides-0-name").one("option", selected="").text == "ChildIsPrimarySchoolAge"
    assert page.one("input", name="overrides-0-value").attrs.get("value", "") == ""
    assert len(page.select("select", name="overrides-3-name")) == 1
    assert "disqualifiers" in selected


def test_rules_of_social_prescribing_area_are_404(logged_in_admin, areas):
    assert logged_in_admin.get(f"/sponsors/{areas[1].id}/rules").status_code == 404


def test_rules_form_saves_rows(logged_in_admin, areas):
    standard, _ = areas
    admin = factories.make_admin_user()
    operations.replace_overrides(standard, [RuleOverride("ChildIsUnderOne", CHILD, "credits", 5),
                                            RuleOverride("FamilyIsPregnant", FAMILY, "credits", 4)], admin)

    response = logged_in_admin.post(f"/sponsors/{standard.id}/rules", data={
        "overrides-0-name": "ChildIsUnderOne", "overrides-0-entity": CHILD, "overrides-0-purpose": "credits",
        "overrides-0-value": "7",
        "overrides-1-name": "FamilyIsPregnant", "overrides-1-entity": FAMILY, "overrides-1-purpose": "credits",
        "overrides-1-value": "4", "overrides-1-remove": "y",
        "overrides-2-name": "FamilyHasUnverifiedChildren", "overrides-2-entity": FAMILY, "overrides-2-purpose": "notices",
        "overrides-2-value": "0",
        "overrides-3-name": "", "overrides-3-entity": CHILD, "overrides-3-purpose": "credits", "overrides-3-value": "",
    })

    assert response.status_code == 302
    assert evaluations(standard) == {
        ("ChildIsUnderOne", "credits"): (CHILD, 7),
        ("FamilyHasUnverifiedChildren", "notices"): (FAMILY, 0),
    }


@pytest.mark.parametrize(
    "row, message",
    [
        ({"name": "ChildIsUnderOne", "entity": FAMILY, "purpose": "credits", "value": "3"}, "applies to a Child"),
        ({"name": "NoSuchRule", "entity": CHILD, "purpose": "credits", "value": "3"}, "NoSuchRule is not a known rule."),
        ({"name": "ChildIsUnderOne", "entity": CHILD, "purpose": "relations", "value": "3"}, "Not a valid choice"),
        ({"name": "ChildIsUnderOne", "entity": CHILD, "purpose": "credits", "value": "lots"}, "Not a valid integer"),
    ],
)
def test_rules_form_rejects_bad_row(logged_in_admin, areas, row, message):
    standard, _ = areas

    response = logged_in_admin.post(
        f"/sponsors/{standard.id}/rules", data={f"overrides-0-{name}": value for name, value in row.items()}
    )

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert evaluations(standard) == {}


def test_rules_form_rejects_same_rule_twice(logged_in_admin, areas):
    standard, _ = areas
    row = {"name": "ChildIsUnderOne", "entity": CHILD, "purpose": "credits", "value": "3"}
    data = {f"overrides-{index}-{name}": value for index in (0, 1) for name, value in row.items()}

    response = logged_in_admin.post(f"/sponsors/{standard.id}/rules", data=data)

    assert field_errors(response, "overrides-1-name") == ["ChildIsUnderOne (credits) is listed twice."]
    assert evaluations(standard) == {}


def test_replace_overrides_checks_every_row(db, areas, admin_user):
    standard, _ = areas

    with pytest.raises(SponsorError, match="not a known rule"):
        operations.replace_overrides(standard, [RuleOverride("Made Up", CHILD, "credits", 1)], admin_user)
    with pytest.raises(SponsorError, match="listed twice"):
        operations.replace_overrides(standard, [RuleOverride("ChildIsUnderOne", CHILD, "credits", 1)] * 2, admin_user)


def test_replace_overrides_keeps_row_ids(db, areas, admin_user):
    standard, _ = areas
    operations.replace_overrides(standard, [RuleOverride("ChildIsUnderOne", CHILD, "credits", 6)], admin_user)
    row_id = db.session.scalars(sa.select(Evaluation.id).filter_by(sponsor_id=standard.id)).one()

    operations.replace_overrides(standard, [RuleOverride("ChildIsUnderOne", CHILD, "credits", None)], admin_user)

    assert db.session.execute(sa.select(Evaluation.id, Evaluation.value).filter_by(sponsor_id=standard.id)).all() == [(row_id, None)]
    assert operations.overrides_of(standard) == [RuleOverride("ChildIsUnderOne", CHILD, "credits", None)]


# Database failures


def test_database_error_is_reported_not_raised(app, db, areas):
    """A real unique-index violation inside a change rolls back and becomes a message."""
    # Committing here only releases a savepoint: the test's outer transaction still rolls back.
    db.session.commit()

    def duplicate_shortcode():
        db.session.add(Sponsor(name="Clash", shortcode="EXIST"))
        db.session.flush()

    with app.test_request_context():
        saved, result = save_changes(None, "The area", duplicate_shortcode)
        messages = get_flashed_messages(with_categories=True)

    assert (saved, result) == (False, None)
    assert messages == [("error", "The area could not be saved because of a database error. "
                                  "Nothing was changed; please try again.")]
    assert db.session.scalars(sa.select(Sponsor).filter_by(name="Clash")).first() is None
    assert db.session.scalars(sa.select(Sponsor).filter_by(shortcode="EXIST")).one().name == "Existing Area"
