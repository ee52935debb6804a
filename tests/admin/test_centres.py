"""Admin pages and domain functions for children's centres."""

import pytest
import sqlalchemy as sa

from arc.admin.people_forms import CentreForm, grouped_choices
from arc.centres import operations, queries
from arc.centres.models import Centre
from arc.centres.operations import CentreError
from arc.extensions import db as _db
from arc.sponsors.queries import active_sponsors
from tests import factories
from tests.admin.people_data import (
    assert_sent_to_login,
    field_errors,
    heading,
    label_text,
    parse,
    use_centre_session,
)

ROUTES = [
    ("GET", "/centres"),
    ("GET", "/centres/create"),
    ("POST", "/centres"),
    ("GET", "/centres/1/edit"),
    ("POST", "/centres/1/update"),
    ("GET", "/centres/1/neighbours"),
]


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


def test_list_shows_centre(logged_in_admin):
    sponsor = factories.make_sponsor(name="Centre List Area")
    centre = factories.make_centre(sponsor, name="Listed Centre", prefix="LISTD", print_pref="individual")

    response = logged_in_admin.get("/centres")

    row = next(row for row in parse(response).one("table", id="centresTable").select("tr") if "Listed Centre" in row.text)
    cells = [cell.text for cell in row.select("td")]
    assert response.status_code == 200
    assert heading(response) == "Children's Centres"
    assert cells[:4] == ["Listed Centre", "LISTD", "Centre List Area", "Individual"]
    assert row.one("a").attrs["href"] == f"/centres/{centre.id}/edit"
    assert row.one("a").text.startswith("Edit")


def test_list_orders_by_area_then_name(db):
    beta = factories.make_sponsor(name="Beta")
    alpha = factories.make_sponsor(name="alpha")
    factories.make_centre(beta, name="Apple")
    factories.make_centre(alpha, name="Pear")
    factories.make_centre(alpha, name="fig")

    rows = db.session.execute(queries.centre_listing()).all()

    names = [centre.name for centre, _ in rows if centre.name in ("Apple", "Pear", "fig")]
    assert names == ["fig", "Pear", "Apple"]


def test_list_paginates(logged_in_admin):
    sponsor = factories.make_sponsor(name="Paged Area")
    for number in range(30):
        factories.make_centre(sponsor, name=f"Paged {number:02d}")

    first = parse(logged_in_admin.get("/centres"))
    second = parse(logged_in_admin.get("/centres?page=2"))

    assert len(first.one("table", id="centresTable").select("tbody")[0].select("tr")) == 25
    assert len(second.one("table", id="centresTable").select("tbody")[0].select("tr")) == 5
    assert second.one("span", **{"aria-current": "page"}).text == "2"


# Create


def test_create_page_has_form(logged_in_admin):
    factories.make_sponsor(name="Choosable Area")

    response = logged_in_admin.get("/centres/create")

    page = parse(response)
    options = [option.text for option in page.one("select", name="sponsor").select("option")]
    assert heading(response) == "Add a Children's Centre"
    assert label_text(response, "rvid_prefix") == ["RVID prefix"]
    assert label_text(response, "print_pref") == ["Printed Form"]
    assert options[0] == "Choose one"
    assert "Choosable Area" in options
    assert page.one("select", name="print_pref").one("option", selected="").attrs["value"] == "collection"


def test_create_centre_via_form(logged_in_admin):
    sponsor = factories.make_sponsor()

    response = logged_in_admin.post(
        "/centres", data={"name": "Test Centre", "rvid_prefix": "tstct", "sponsor": str(sponsor.id), "print_pref": "individual"}
    )

    centre = _db.session.scalars(sa.select(Centre).filter_by(prefix="TSTCT")).one()
    assert response.status_code == 302
    assert response.headers["Location"] == "/centres"
    assert (centre.name, centre.sponsor_id, centre.print_pref) == ("Test Centre", sponsor.id, "individual")
    assert "Centre Test Centre was created" in logged_in_admin.get("/centres").get_data(as_text=True)


def test_create_shows_error_for_used_prefix(logged_in_admin):
    sponsor = factories.make_sponsor()
    factories.make_centre(sponsor, prefix="EXIST")

    response = logged_in_admin.post(
        "/centres", data={"name": "Test Centre", "rvid_prefix": "exist", "sponsor": str(sponsor.id), "print_pref": "collection"}
    )

    assert response.status_code == 200
    assert field_errors(response, "rvid_prefix") == ["Another centre already uses the RVID prefix EXIST."]
    assert parse(response).one("input", name="rvid_prefix").attrs["class"] == "uppercase error"


@pytest.mark.parametrize(
    "data, valid",
    [
        ({"name": "Test Centre", "sponsor": "AREA", "rvid_prefix": "TSTCT", "print_pref": "individual"}, True),
        ({"sponsor": "AREA", "rvid_prefix": "TSTCT", "print_pref": "individual"}, False),
        ({"name": "1", "sponsor": "AREA", "rvid_prefix": "TSTCT", "print_pref": "individual"}, False),
        ({"name": "Test Centre", "rvid_prefix": "TSTCT", "print_pref": "individual"}, False),
        ({"name": "Test Centre", "sponsor": "not an integer", "rvid_prefix": "TSTCT", "print_pref": "individual"}, False),
        ({"name": "Test Centre", "sponsor": "999999", "rvid_prefix": "TSTCT", "print_pref": "individual"}, False),
        ({"name": "Test Centre", "sponsor": "AREA", "print_pref": "individual"}, False),
        ({"name": "Test Centre", "sponsor": "AREA", "rvid_prefix": "1", "print_pref": "individual"}, False),
        ({"name": "Test Centre", "sponsor": "AREA", "rvid_prefix": "", "print_pref": "individual"}, False),
        ({"name": "Test Centre", "sponsor": "AREA", "rvid_prefix": "ABCDEF", "print_pref": "individual"}, False),
        ({"name": "Test Centre", "sponsor": "AREA", "rvid_prefix": "EXIST", "print_pref": "invalid"}, False),
        ({"name": "Test Centre", "sponsor": "AREA", "rvid_prefix": "ABCDEF"}, False),
        ({"name": "Test Centre", "sponsor": "AREA", "rvid_prefix": "TSTCT", "print_pref": "not even slightly a print pref"}, False),
    ],
)
def test_centre_form_rules(app, db, data, valid):
    sponsor = factories.make_sponsor()
    fields = {name: str(sponsor.id) if value == "AREA" else value for name, value in data.items()}

    with app.test_request_context(method="POST", data=fields):
        form = CentreForm()
        form.sponsor.choices = grouped_choices([(None, active_sponsors())])
        assert form.validate() is valid, form.errors


# Create: domain


def test_create_centre_upper_cases_prefix(db, admin_user):
    sponsor = factories.make_sponsor()

    centre = operations.create_centre("New Centre", " abc ", sponsor.id, "collection", admin_user)

    assert centre.prefix == "ABC"
    assert centre.sponsor_id == sponsor.id


@pytest.mark.parametrize(
    "prefix, field",
    [("ABCDEF", "rvid_prefix"), ("AB1", "rvid_prefix"), ("", "rvid_prefix"), ("taken", "rvid_prefix")],
)
def test_create_centre_rejects_bad_prefix(db, admin_user, prefix, field):
    sponsor = factories.make_sponsor()
    factories.make_centre(sponsor, prefix="TAKEN")

    with pytest.raises(CentreError) as raised:
        operations.create_centre("New Centre", prefix, sponsor.id, "collection", admin_user)
    assert raised.value.field == field


def test_create_centre_rejects_deleted_area(db, admin_user):
    sponsor = factories.make_sponsor()
    sponsor.deleted_at = sponsor.created_at

    with pytest.raises(CentreError) as raised:
        operations.create_centre("New Centre", "NEWC", sponsor.id, "collection", admin_user)
    assert raised.value.field == "sponsor"


def test_create_centre_rejects_unknown_print_preference(db, admin_user):
    sponsor = factories.make_sponsor()

    with pytest.raises(CentreError) as raised:
        operations.create_centre("New Centre", "NEWC", sponsor.id, "poster", admin_user)
    assert raised.value.field == "print_pref"


# Edit


def test_update_renames_centre(logged_in_admin):
    centre = factories.make_centre(name="Old Name")

    response = logged_in_admin.post(
        f"/centres/{centre.id}/update", data={"id": str(centre.id), "name": "New Centre Name", "print_pref": "collection"}
    )

    _db.session.refresh(centre)
    assert response.status_code == 302
    assert response.headers["Location"] == "/centres"
    assert centre.name == "New Centre Name"
    assert _db.session.scalars(sa.select(Centre).filter_by(name="Old Name")).first() is None


def test_update_keeps_prefix_and_area(db, admin_user):
    centre = factories.make_centre(prefix="KEEP", print_pref="collection")
    sponsor_id = centre.sponsor_id

    operations.update_centre(centre, "Renamed", "individual", admin_user)

    assert (centre.name, centre.prefix, centre.sponsor_id, centre.print_pref) == ("Renamed", "KEEP", sponsor_id, "individual")


def test_edit_page_shows_centre(logged_in_admin):
    centre = factories.make_centre(name="Shown Centre", prefix="SHOWN")

    response = logged_in_admin.get(f"/centres/{centre.id}/edit")

    page = parse(response)
    assert heading(response) == "Shown Centre"
    assert page.one("input", name="name").attrs["value"] == "Shown Centre"
    assert "SHOWN" in page.one("dl", class_="facts").text
    assert page.one("button", id="save").text == "Save"


def test_update_with_empty_name_shows_error(logged_in_admin):
    centre = factories.make_centre(name="Old Name")

    response = logged_in_admin.post(f"/centres/{centre.id}/update", data={"name": "", "print_pref": "collection"})

    _db.session.refresh(centre)
    assert response.status_code == 200
    assert field_errors(response, "name") == ["Enter the name."]
    assert centre.name == "Old Name"


def test_unknown_centre_is_404(logged_in_admin):
    assert logged_in_admin.get("/centres/999999/edit").status_code == 404
    assert logged_in_admin.post("/centres/999999/update", data={"name": "x"}).status_code == 404
    assert logged_in_admin.get("/centres/999999/neighbours").status_code == 404


# Neighbours


def test_neighbours_are_other_centres_of_the_area(logged_in_admin):
    sponsor = factories.make_sponsor()
    first, second, third = (factories.make_centre(sponsor, name=f"Neighbour {n}") for n in range(3))
    factories.make_centre(name="Elsewhere")

    response = logged_in_admin.get(f"/centres/{second.id}/neighbours")

    assert response.status_code == 200
    assert response.get_json() == [{"name": "Neighbour 0", "id": first.id}, {"name": "Neighbour 2", "id": third.id}]


def test_centre_alone_in_its_area_has_no_neighbours(logged_in_admin):
    centre = factories.make_centre()

    assert logged_in_admin.get(f"/centres/{centre.id}/neighbours").get_json() == []
