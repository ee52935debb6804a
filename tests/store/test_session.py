"""The session's current centre: its default after login, and the masthead's centre switch."""

import pytest

from arc.registrations import access
from arc.store.scope import SESSION_CENTRE_KEY
from tests.conftest import STORE_HOST
from tests.store.scenario import link_centre, log_in, make_family_registration, store_world  # noqa: F401


def store_session(client):
    return client.session_transaction(base_url=f"http://{STORE_HOST}")


def stored_choice(client):
    with store_session(client) as session:
        return session.get(SESSION_CENTRE_KEY, "missing")


@pytest.fixture
def two_centre_rosa(store_client, store_world):
    link_centre(store_world.rosa, store_world.oak)
    return log_in(store_client, store_world.rosa)


def test_default_choice_is_all(store_client, store_world):
    log_in(store_client, store_world.rosa)
    assert stored_choice(store_client) == "missing"
    store_client.get("/dashboard")
    assert stored_choice(store_client) == "all"


def test_default_choice_can_be_home_centre(app, monkeypatch, store_client, store_world):
    monkeypatch.setitem(app.config, "ARC_DEFAULT_TO_HOME_CENTRE", True)
    log_in(store_client, store_world.rosa)
    store_client.get("/dashboard")
    assert stored_choice(store_client) == store_world.elm.id


def test_existing_choice_is_kept(store_client, store_world):
    log_in(store_client, store_world.rosa)
    with store_session(store_client) as session:
        session[SESSION_CENTRE_KEY] = "existing"
    store_client.get("/dashboard")
    assert stored_choice(store_client) == "existing"


def test_login_clears_previous_choice(store_client, store_world):
    log_in(store_client, store_world.rosa)
    store_client.get("/dashboard")
    store_client.post("/logout")
    log_in(store_client, store_world.nina)
    assert stored_choice(store_client) == "missing"


def test_switch_to_own_centre(two_centre_rosa, store_world):
    response = two_centre_rosa.post("/session", data={"centre": str(store_world.oak.id)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/registrations"
    assert stored_choice(two_centre_rosa) == store_world.oak.id


def test_switch_accepts_put_and_all(two_centre_rosa, store_world):
    two_centre_rosa.put("/session", data={"centre": str(store_world.oak.id)})
    two_centre_rosa.put("/session", data={"centre": "all"})
    assert stored_choice(two_centre_rosa) == "all"


def test_switch_returns_to_local_page(two_centre_rosa, store_world):
    back = two_centre_rosa.post("/session", data={"centre": "all", "next": "/registrations/create"})
    away = two_centre_rosa.post("/session", data={"centre": "all", "next": "//example.org/x"})
    assert back.headers["Location"] == "/registrations/create"
    assert away.headers["Location"] == "/registrations"


@pytest.mark.parametrize("value", ["pine", "", "999999", "abc"])
def test_switch_refuses_other_centres(two_centre_rosa, store_world, value):
    two_centre_rosa.get("/dashboard")
    centre = str(store_world.pine.id) if value == "pine" else value
    response = two_centre_rosa.post("/session", data={"centre": centre}, follow_redirects=True)
    assert "You can only choose one of your own centres." in response.get_data(as_text=True)
    assert stored_choice(two_centre_rosa) == "all"


def test_switch_changes_current_centre_and_list(two_centre_rosa, store_world):
    make_family_registration(store_world.elm, carers=("Elm Person",))
    make_family_registration(store_world.oak, carers=("Oak Person",))
    two_centre_rosa.post("/session", data={"centre": str(store_world.oak.id)})
    listed = two_centre_rosa.get("/registrations").get_data(as_text=True)
    create_page = two_centre_rosa.get("/registrations/create").get_data(as_text=True)
    assert "Oak Person" in listed
    assert "Elm Person" not in listed
    assert "registered at <strong>Oak Lane</strong>" in create_page


def test_new_family_numbered_at_chosen_centre(two_centre_rosa, store_world, db):
    from arc.registrations.models import Registration

    two_centre_rosa.post("/session", data={"centre": str(store_world.oak.id)})
    two_centre_rosa.post(
        "/registrations",
        data={"pri_carer": "Tess Ward", "eligibility_hsbs": "healthy-start-applying", "eligibility_nrpf": "no", "consent": "y"},
    )
    registration = db.session.query(Registration).one()
    assert registration.centre_id == store_world.oak.id
    assert registration.family.rvid == "OAKL0001"


def test_masthead_shows_switch_for_several_centres(two_centre_rosa, store_world):
    html = two_centre_rosa.get("/dashboard").get_data(as_text=True)
    assert '<select name="centre" id="centre-switch">' in html
    assert '<option value="all" selected>All centres</option>' in html
    assert "Oak Lane</option>" in html
    assert "Pine Road" not in html


def test_masthead_names_single_centre(store_client, store_world):
    log_in(store_client, store_world.nina)
    html = store_client.get("/dashboard").get_data(as_text=True)
    assert "Centre: <strong>Oak Lane</strong>" in html
    assert "Programme: Standard" in html


def test_unlinked_centre_in_session_falls_back_to_home(store_client, store_world):
    log_in(store_client, store_world.rosa)
    with store_session(store_client) as session:
        session[SESSION_CENTRE_KEY] = store_world.pine.id
    make_family_registration(store_world.elm, carers=("Elm Person",))
    assert "Elm Person" in store_client.get("/registrations").get_data(as_text=True)
    assert access.current_centre(store_world.rosa, store_world.pine.id) == store_world.elm


def test_session_get_redirects(two_centre_rosa):
    assert two_centre_rosa.get("/session").headers["Location"] == "/registrations"


def test_home_default_does_not_hide_neighbours(app, monkeypatch, store_client, store_world):
    monkeypatch.setitem(app.config, "ARC_DEFAULT_TO_HOME_CENTRE", True)
    make_family_registration(store_world.oak, carers=("Oak Person",))
    log_in(store_client, store_world.rosa)
    assert "Oak Person" in store_client.get("/registrations").get_data(as_text=True)
