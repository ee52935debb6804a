"""Admin pages and domain functions for children's-centre workers."""

import csv
import io
import re

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from arc import clock
from arc.admin.people_forms import WorkerForm
from arc.centres.models import centre_centre_user
from arc.centres.queries import centres_by_area, neighbours
from arc.extensions import db as _db
from arc.registrations.models import Family, Note
from arc.users import workers
from arc.users.models import CentreUser
from arc.users.workers import WorkerDetails, WorkerError
from tests import factories
from tests.admin.people_data import (
    add,
    assert_sent_to_login,
    field_errors,
    heading,
    label_text,
    parse,
    use_centre_session,
)

ROUTES = [
    ("GET", "/workers"),
    ("GET", "/workers/create"),
    ("POST", "/workers"),
    ("GET", "/workers/1/edit"),
    ("POST", "/workers/1"),
    ("POST", "/workers/1/toggle"),
    ("POST", "/workers/1/delete"),
    ("GET", "/workers/download"),
]

SECTIONS = ("workers_", "centres_", "sponsors_", "markets_", "traders_")


@pytest.fixture
def area(db):
    """One area with four centres, as the worker controller cases use."""
    sponsor = factories.make_sponsor(name="Test Area")
    centres = [factories.make_centre(sponsor, name=f"Centre {letter}") for letter in "ABCD"]
    return sponsor, centres


@pytest.fixture
def listed_workers(db):
    """The workers-list set-up: three centres in one area, two more elsewhere, three workers."""
    sponsor = factories.make_sponsor(name="Listed Area")
    home = factories.make_centre(sponsor, name="Home Centre One")
    factories.make_centre(sponsor, name="Home Centre Two")
    factories.make_centre(sponsor, name="Home Centre Three")
    extras = [factories.make_centre(name="Extra Centre One"), factories.make_centre(name="Extra Centre Two")]
    plain = factories.make_centre_user(home, name="test user", email="tu@example.test")
    with_alternatives = factories.make_centre_user(home, name="test user with alternatives", email="tua@example.test")
    _db.session.execute(
        centre_centre_user.insert(),
        [{"centre_user_id": with_alternatives.id, "centre_id": centre.id, "homeCentre": False} for centre in extras],
    )
    downloader = factories.make_centre_user(home, name="test downloader", email="td@example.test", downloader=True)
    return plain, with_alternatives, downloader


def make_homeless_worker(**fields):
    """A worker with no centre links at all, as old live data has."""
    return add(CentreUser(password=factories.password_hash(), **fields))


def details(centre, name="bobby testee", email="bobby@test.example", alternatives=(), downloader=False):
    return WorkerDetails(name, email, centre.id, tuple(c.id for c in alternatives), downloader)


def centre_links(worker):
    return sorted(
        _db.session.execute(
            sa.select(centre_centre_user.c.centre_id, centre_centre_user.c.homeCentre).where(
                centre_centre_user.c.centre_user_id == worker.id
            )
        ).all()
    )


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


# Access


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


def test_every_people_endpoint_needs_admin(app, service_client):
    """Walk the URL map: every endpoint of these sections sends an anonymous visitor to log in."""
    checked = 0
    for rule in app.url_map.iter_rules():
        name = rule.endpoint.removeprefix("admin.")
        if not rule.endpoint.startswith("admin.") or not name.startswith(SECTIONS):
            continue
        path = re.sub(r"<int:\w+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            assert_sent_to_login(service_client.open(path, method=method))
            checked += 1
    assert checked >= 30


def test_toggle_is_not_a_get(logged_in_admin, centre_user):
    for action in ("toggle", "delete"):
        response = logged_in_admin.get(f"/workers/{centre_user.id}/{action}")

        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        assert response.data == b""
    _db.session.refresh(centre_user)
    assert centre_user.deleted_at is None


# List


def test_list_shows_heading_and_columns(logged_in_admin, listed_workers):
    response = logged_in_admin.get("/workers")

    page = parse(response)
    headers = [cell.text for cell in page.one("table", id="workersTable").select("th")]
    assert response.status_code == 200
    assert heading(response) == "Workers"
    for caption in ("Name", "Email Address", "Home Centre Area", "Home Centre", "Alternative Centres", "Edit", "Downloader"):
        assert any(header.startswith(caption) for header in headers), caption


def test_list_links_download(logged_in_admin, listed_workers):
    page = parse(logged_in_admin.get("/workers"))

    links = [link for link in page.select("a") if "Download Worker List" in link.text]
    assert [link.attrs["href"] for link in links] == ["/workers/download"]


def test_list_shows_alternatives_and_downloader(logged_in_admin, listed_workers):
    _, with_alternatives, downloader = listed_workers

    page = parse(logged_in_admin.get("/workers"))

    rows = {row.select("td")[1].text: row for row in page.one("table", id="workersTable").select("tbody")[0].select("tr")}
    alternatives = [item.text for item in rows[with_alternatives.email].select("td")[4].select("li")]
    assert alternatives == ["Extra Centre One", "Extra Centre Two"]
    assert rows[downloader.email].select("td")[5].text == "Yes"
    assert rows["tu@example.test"].select("td")[5].text == "No"


def test_list_includes_disabled_worker(logged_in_admin, listed_workers):
    plain = listed_workers[0]
    plain.deleted_at = clock.now()
    _db.session.flush()

    page = parse(logged_in_admin.get("/workers"))

    disabled_rows = page.select("tr", class_="disabled")
    assert [row.select("td")[1].text for row in disabled_rows] == [plain.email]


def test_list_omits_deleted_worker(logged_in_admin, listed_workers, admin_user):
    plain = listed_workers[0]
    workers.toggle_worker(plain, admin_user)
    workers.delete_worker(plain, admin_user)

    body = logged_in_admin.get("/workers").get_data(as_text=True)

    assert "tu@example.test" not in body
    assert "tua@example.test" in body


def test_list_shows_worker_without_home_centre(logged_in_admin):
    make_homeless_worker(name="Nowhere Worker", email="nowhere@example.test")

    response = logged_in_admin.get("/workers")

    assert response.status_code == 200
    assert "nowhere@example.test" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "order_by, direction, expected",
    [
        ("name", "asc", ["alice", "bob", "carol"]),
        ("name", "desc", ["carol", "bob", "alice"]),
        ("homeCentreArea", "asc", ["bob", "carol", "alice"]),
        ("homeCentre", "asc", ["bob", "alice", "carol"]),
        ("homeCentre", "desc", ["carol", "alice", "bob"]),
        ("default", "asc", ["bob", "carol", "alice"]),
        ("default", "desc", ["alice", "carol", "bob"]),
    ],
)
def test_listing_order(db, order_by, direction, expected):
    zulu = factories.make_sponsor(name="Zulu area")
    alpha = factories.make_sponsor(name="alpha area")
    factories.make_centre_user(factories.make_centre(zulu, name="Aardvark"), name="alice")
    factories.make_centre_user(factories.make_centre(alpha, name="aaa centre"), name="bob")
    factories.make_centre_user(factories.make_centre(alpha, name="Beech"), name="carol")

    rows = db.session.execute(workers.worker_listing(order_by, direction)).all()

    names = [worker.name for worker, _, _ in rows if worker.name in expected]
    assert names == expected


def test_listing_search_matches_name_or_email(db):
    factories.make_centre_user(name="Priya Shah", email="p.shah@example.test")
    factories.make_centre_user(name="Tom Jones", email="tj@shahfamily.test")
    factories.make_centre_user(name="Anne Other", email="anne@example.test")

    rows = db.session.execute(workers.worker_listing(search="SHAH")).all()

    assert sorted(worker.name for worker, _, _ in rows) == ["Priya Shah", "Tom Jones"]


def test_list_paginates(logged_in_admin):
    for number in range(12):
        factories.make_centre_user(name=f"Paged {number:02d}", email=f"paged{number}@example.test")

    first = parse(logged_in_admin.get("/workers?orderBy=name&per_page=10"))
    second = parse(logged_in_admin.get("/workers?orderBy=name&per_page=10&page=2"))

    first_rows = first.one("table", id="workersTable").select("tbody")[0].select("tr")
    second_rows = second.one("table", id="workersTable").select("tbody")[0].select("tr")
    assert len(first_rows) == 10
    assert len(second_rows) == 2
    next_links = [link.attrs["href"] for link in first.select("a", rel="next")]
    assert next_links == ["/workers?page=2&orderBy=name&direction=asc&per_page=10"]


@pytest.mark.parametrize("query", ["orderBy=email", "direction=sideways", "per_page=7", "page=0", "page=x"])
def test_list_rejects_invalid_query(logged_in_admin, query):
    response = logged_in_admin.get(f"/workers?{query}")
    page = logged_in_admin.get("/workers").get_data(as_text=True)

    assert response.status_code == 302
    assert response.headers["Location"] == "/workers"
    assert "is not valid" in page


# Download


def test_download_lists_active_workers_in_order(logged_in_admin, listed_workers):
    disabled = factories.make_centre_user(name="Gone Worker", email="gone@example.test")
    disabled.deleted_at = clock.now()
    _db.session.flush()

    response = logged_in_admin.get("/workers/download")

    rows = csv_rows(response)
    assert response.mimetype == "text/csv"
    assert 'filename="active_workers.csv"' in response.headers["Content-Disposition"]
    assert rows[0] == ["Name", "E-mail Address", "Home Centre Area", "Home Centre", "Alternative Centre", "Downloader"]
    ours = [row for row in rows[1:] if row[2] == "Listed Area"]
    assert ours == [
        ["test downloader", "td@example.test", "Listed Area", "Home Centre One", "", "Yes"],
        ["test user", "tu@example.test", "Listed Area", "Home Centre One", "", "No"],
        ["test user with alternatives", "tua@example.test", "Listed Area", "Home Centre One",
         "Extra Centre One, Extra Centre Two", "No"],
    ]
    assert all(row[1] != "gone@example.test" for row in rows)


def test_download_has_empty_cells_for_worker_without_home_centre(logged_in_admin):
    make_homeless_worker(name="Nowhere Worker", email="nowhere@example.test")

    rows = csv_rows(logged_in_admin.get("/workers/download"))

    assert ["Nowhere Worker", "nowhere@example.test", "", "", "", "No"] in rows


# Create


def test_create_page_has_form(logged_in_admin, area):
    response = logged_in_admin.get("/workers/create")

    page = parse(response)
    assert heading(response) == "Add a Children's Centre Worker"
    assert label_text(response, "worker_centre") == ["Home Centre"]
    assert page.one("button", id="createWorker").text == "Add worker"
    assert len(page.select("input", id=f"neighbour-{area[1][1].id}")) == 1
    assert page.select("label", role="alert") == []


def test_create_worker_via_form(logged_in_admin, area):
    _, centres = area

    response = logged_in_admin.post("/workers", data=MultiDict([
        ("name", "bobby testee"), ("email", "bobby@test.example"), ("worker_centre", str(centres[0].id)),
        ("alternative_centres", str(centres[1].id)), ("alternative_centres", str(centres[2].id)),
    ]))

    worker = _db.session.scalars(sa.select(CentreUser).filter_by(email="bobby@test.example")).one()
    assert response.status_code == 302
    assert response.headers["Location"] == "/workers"
    assert centre_links(worker) == sorted([(centres[0].id, True), (centres[1].id, False), (centres[2].id, False)])
    assert "Worker bobby testee was created" in logged_in_admin.get("/workers").get_data(as_text=True)


def test_create_shows_field_errors(logged_in_admin, area):
    response = logged_in_admin.post("/workers", data={"name": "", "email": "notAnEmail", "worker_centre": ""})

    assert response.status_code == 200
    assert field_errors(response, "name")
    assert field_errors(response, "email")
    assert field_errors(response, "worker_centre")
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(CentreUser).filter_by(email="notAnEmail")) == 0


def test_create_rejects_email_of_disabled_worker(logged_in_admin, area):
    existing = factories.make_centre_user(email="taken@example.org")
    existing.deleted_at = clock.now()
    _db.session.flush()

    response = logged_in_admin.post(
        "/workers", data={"name": "New Person", "email": "Taken@Example.org", "worker_centre": str(area[1][0].id)}
    )

    assert response.status_code == 200
    assert field_errors(response, "email") == ["Another worker already uses Taken@Example.org."]
    assert "Nothing was saved" in response.get_data(as_text=True)


def _rule_centres(db):
    sponsor = factories.make_sponsor()
    return [factories.make_centre(sponsor) for _ in range(4)]


@pytest.mark.parametrize(
    "data, valid",
    [
        ({"name": "bobby testee", "email": "bobby@test.example", "worker_centre": 0}, True),
        ({"email": "bobby@test.example", "worker_centre": 0}, False),
        ({"name": "1", "email": "bobby@test.example", "worker_centre": 0}, False),
        ({"name": "bobby testee", "worker_centre": 0}, False),
        ({"name": "bobby testee", "email": "notAnEmail", "worker_centre": 0}, False),
        ({"name": "bobby testee", "email": "bobby@test.example"}, False),
        ({"name": "bobby testee", "email": "bobby@test.example", "worker_centre": "100000"}, False),
        ({"name": "bobby testee", "email": "bobby@test.example", "worker_centre": "not an integer"}, False),
        ({"name": "bobby testee", "email": "bobby@test.example", "worker_centre": 0, "alternative_centres": [1, 2, 3]}, True),
        ({"name": "bobby testee", "email": "bobby@test.example", "worker_centre": 0, "alternative_centres": [1, 2, "999999"]}, False),
        ({"name": "bobby testee", "email": "bobby@test.example", "worker_centre": 0,
          "alternative_centres": ["not an integer", "me neither"]}, False),
        ({"name": "bobby testee", "email": "bobby@test.example", "worker_centre": 0, "alternative_centres": [0, 2, 3]}, False),
    ],
)
def test_worker_form_rules(app, db, data, valid):
    """Integers in ``data`` are positions in a list of four centres of one area."""
    centres = _rule_centres(db)

    def as_value(value):
        return str(centres[value].id) if isinstance(value, int) else value

    fields = MultiDict()
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            fields.add(name, as_value(item))
    with app.test_request_context(method="POST", data=fields):
        form = WorkerForm()
        form.set_centre_choices(centres_by_area())
        assert form.validate() is valid, form.errors


# Create and edit: domain


def test_create_worker_links_centres(db, area, admin_user):
    _, centres = area

    worker = workers.create_worker(details(centres[0], alternatives=centres[1:3]), admin_user)

    assert worker.role == "centre_user"
    assert worker.downloader is False
    assert worker.home_centre.id == centres[0].id
    assert centre_links(worker) == sorted([(centres[0].id, True), (centres[1].id, False), (centres[2].id, False)])


def test_created_worker_has_unusable_password(db, area, admin_user):
    worker = workers.create_worker(details(area[1][0]), admin_user)

    assert worker.password.startswith("$2y$")
    assert not worker.check_password("")
    assert not worker.check_password(factories.PASSWORD)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"home": 0, "alternatives": (0, 1)}, "alternative_centres"),
        ({"home": 0, "alternatives": (1, 1)}, "alternative_centres"),
        ({"home": None, "alternatives": ()}, "worker_centre"),
        ({"home": 0, "alternatives": (None,)}, "alternative_centres"),
    ],
)
def test_create_worker_rejects_bad_centres(db, area, admin_user, change, field):
    _, centres = area

    def centre_id(position):
        return centres[position].id if position is not None else 999999

    bad = WorkerDetails(
        "bobby testee", "bobby@test.example", centre_id(change["home"]), tuple(centre_id(p) for p in change["alternatives"])
    )

    with pytest.raises(WorkerError) as raised:
        workers.create_worker(bad, admin_user)
    assert raised.value.field == field


def test_update_worker_replaces_details_and_centres(logged_in_admin, area):
    _, centres = area
    worker = factories.make_centre_user(centres[3], name="testman", email="testman@test.example")

    response = logged_in_admin.post(f"/workers/{worker.id}", data={
        "name": "bobby testee", "email": "bobby@test.example", "worker_centre": str(centres[0].id), "downloader": "1",
    })
    page = logged_in_admin.get("/workers").get_data(as_text=True)

    _db.session.refresh(worker)
    assert response.status_code == 302
    assert response.headers["Location"] == "/workers"
    assert "bobby testee" in page and "bobby@test.example" in page
    assert (worker.name, worker.email, worker.downloader) == ("bobby testee", "bobby@test.example", True)
    assert _db.session.scalars(sa.select(CentreUser).filter_by(email="testman@test.example")).first() is None
    assert worker.home_centre.id == centres[0].id
    assert centre_links(worker) == [(centres[0].id, True)]
    # The store counts a worker's centres as the home centre and its neighbours: four here.
    assert len(_neighbours_and_self(worker.home_centre)) == 4


def _neighbours_and_self(centre):
    return [centre, *neighbours(centre)]


def test_edit_page_labels(logged_in_admin, area):
    worker = factories.make_centre_user(area[1][0], name="testman", email="testman@test.example")

    response = logged_in_admin.get(f"/workers/{worker.id}/edit")

    page = parse(response)
    assert response.status_code == 200
    assert heading(response) == "Edit a Children's Centre Worker"
    assert len(page.select("form")) >= 1
    assert label_text(response, "name") == ["Name"]
    assert label_text(response, "email") == ["Email Address"]
    assert label_text(response, "worker_centre") == ["Home Centre"]
    assert label_text(response, "downloader") == ["Downloader Status"]
    assert len(page.select("select", name="worker_centre")) == 1
    assert len(page.select("select", name="downloader")) == 1
    assert page.one("button", id="toggleWorker").text == "Disable worker"
    assert page.select("button", id="deleteWorker") == []


def test_edit_page_for_worker_without_home_centre(logged_in_admin):
    worker = make_homeless_worker(name="Nowhere Worker", email="nowhere@example.test")

    response = logged_in_admin.get(f"/workers/{worker.id}/edit")

    assert response.status_code == 200
    assert parse(response).one("select", name="worker_centre").select("option", selected="")[0].text == "Choose one"


def test_edit_unknown_worker_is_404(logged_in_admin):
    assert logged_in_admin.get("/workers/999999/edit").status_code == 404
    assert logged_in_admin.get("/workers/99999999999999999999/edit").status_code == 404
    assert logged_in_admin.post("/workers/999999/toggle").status_code == 404
    assert logged_in_admin.post("/workers/999999/delete").status_code == 404


def test_update_rejects_email_of_another_worker(db, area, admin_user):
    factories.make_centre_user(email="other@example.test")
    worker = factories.make_centre_user(area[1][0], email="me@example.test")

    with pytest.raises(WorkerError) as raised:
        workers.update_worker(worker, details(area[1][0], email="OTHER@example.test"), admin_user)
    assert raised.value.field == "email"


def test_update_keeps_own_email(db, area, admin_user):
    worker = factories.make_centre_user(area[1][0], email="me@example.test")

    workers.update_worker(worker, details(area[1][0], name="Renamed", email="me@example.test"), admin_user)

    assert worker.name == "Renamed"


def test_update_of_disabled_worker_is_refused(logged_in_admin, area):
    worker = factories.make_centre_user(area[1][0], name="testman", email="testman@test.example")
    worker.deleted_at = clock.now()
    _db.session.flush()

    response = logged_in_admin.post(f"/workers/{worker.id}", data={
        "name": "bobby testee", "email": "bobby@test.example", "worker_centre": str(area[1][0].id), "downloader": "0",
    })

    _db.session.refresh(worker)
    assert response.status_code == 200
    assert "is disabled" in response.get_data(as_text=True)
    assert worker.name == "testman"


# Toggle and delete


def test_toggle_disables_and_keeps_centres(logged_in_admin, area):
    worker = factories.make_centre_user(area[1][0], name="testman", email="testman@test.example")

    response = logged_in_admin.post(f"/workers/{worker.id}/toggle", follow_redirects=True)

    page = parse(response)
    _db.session.refresh(worker)
    assert response.request.path == f"/workers/{worker.id}/edit"
    assert worker.deleted_at is not None
    assert centre_links(worker) == [(area[1][0].id, True)]
    assert "<em>disabled</em>" in response.get_data(as_text=True)
    assert page.one("button", id="toggleWorker").text == "Enable worker"
    assert len(page.select("button", id="deleteWorker")) == 1
    assert page.select("button", id="updateWorker") == []
    assert "Worker testman was disabled." in response.get_data(as_text=True)


def test_toggle_enables_disabled_worker(db, area, admin_user):
    worker = factories.make_centre_user(area[1][0])
    worker.deleted_at = clock.now()

    assert workers.toggle_worker(worker, admin_user) is False
    assert worker.deleted_at is None


def test_delete_removes_disabled_worker(logged_in_admin, area):
    worker = factories.make_centre_user(area[1][0], name="testman")
    worker.deleted_at = clock.now()
    _db.session.flush()
    worker_id = worker.id

    response = logged_in_admin.post(f"/workers/{worker_id}/delete")

    assert response.status_code == 302
    assert response.headers["Location"] == "/workers"
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(CentreUser).filter_by(id=worker_id)) == 0
    assert _db.session.scalar(
        sa.select(sa.func.count()).select_from(centre_centre_user).where(centre_centre_user.c.centre_user_id == worker_id)
    ) == 0


def test_delete_of_enabled_worker_is_refused(logged_in_admin, area):
    worker = factories.make_centre_user(area[1][0], name="testman")

    response = logged_in_admin.post(f"/workers/{worker.id}/delete", follow_redirects=True)

    assert response.request.path == f"/workers/{worker.id}/edit"
    assert "still enabled" in response.get_data(as_text=True)
    assert _db.session.get(CentreUser, worker.id) is not None


def test_delete_of_disabled_worker_without_home_centre(db, admin_user):
    worker = make_homeless_worker(name="Nowhere", email="nowhere@example.test", deleted_at=clock.now())
    worker_id = worker.id

    workers.delete_worker(worker, admin_user)

    assert db.session.get(CentreUser, worker_id) is None


def test_delete_of_worker_named_by_notes_is_refused(db, area, admin_user):
    worker = factories.make_centre_user(area[1][0], deleted_at=clock.now())
    family = add(Family())
    add(Note(content="Called the family", family_id=family.id, user_id=worker.id))

    with pytest.raises(WorkerError, match="cannot be deleted"):
        workers.delete_worker(worker, admin_user)
    assert db.session.get(CentreUser, worker.id) is not None


# Form tokens


def test_toggle_without_form_token_changes_nothing(logged_in_admin, area, csrf_enabled):
    worker = factories.make_centre_user(area[1][0])

    response = logged_in_admin.post(f"/workers/{worker.id}/toggle")

    _db.session.refresh(worker)
    assert response.status_code == 302
    assert worker.deleted_at is None


def test_toggle_with_form_token_disables(logged_in_admin, area, csrf_enabled):
    worker = factories.make_centre_user(area[1][0])
    page = logged_in_admin.get(f"/workers/{worker.id}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    logged_in_admin.post(f"/workers/{worker.id}/toggle", data={"csrf_token": token})

    _db.session.refresh(worker)
    assert worker.deleted_at is not None


def test_listing_search_treats_wildcards_as_text(db):
    factories.make_centre_user(name="Percent 100% Worker", email="percent@example.org")
    factories.make_centre_user(name="Plain Worker", email="plain@example.org")

    rows = db.session.execute(workers.worker_listing(search="100%")).all()

    assert [worker.name for worker, _, _ in rows] == ["Percent 100% Worker"]
