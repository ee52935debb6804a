"""The store's login page, main menu (dashboard) and who reaches them."""

import pytest

from arc.extensions import db
from arc.sponsors.models import SOCIAL_PRESCRIBING_PROGRAMME
from tests import factories
from tests.store.scenario import link_centre, log_in, make_family_registration, store_world  # noqa: F401


def text(response):
    return response.get_data(as_text=True)


# Login page


def test_login_page(store_client, store_world):
    response = store_client.get("/login")
    html = text(response)
    assert response.status_code == 200
    assert "<title>Log in" in html
    assert 'id="email"' in html
    assert 'id="password"' in html
    assert "Rosa" not in html
    assert "Elm Street" not in html
    assert 'href="/login"' not in html
    assert 'href="/password/reset"' in html
    assert "arc-childrens-centre-information-sharing-policy" in html


def test_wrong_credentials(store_client, store_world):
    response = store_client.post("/login", data={"email": "nobody@example.org", "password": "wrong-pass-1"})
    assert "These credentials do not match our records." in text(response)
    assert store_client.get("/dashboard").status_code == 302


def test_deleted_user_cannot_log_in(store_client, store_world):
    from arc import clock

    store_world.rosa.deleted_at = clock.now()
    db.session.flush()
    response = store_client.post("/login", data={"email": "rosa@example.org", "password": factories.PASSWORD})
    assert "These credentials do not match our records." in text(response)


def test_missing_email_is_reported(store_client):
    response = store_client.post("/login", data={"password": "something-long"})
    assert "The email field is required." in text(response)


def test_short_password_is_reported(store_client):
    response = store_client.post("/login", data={"email": "rosa@example.org", "password": "abc"})
    assert "The password must be at least 6 characters." in text(response)


def test_lockout_checked_before_password(store_client, store_world):
    for _attempt in range(5):
        store_client.post("/login", data={"email": "rosa@example.org", "password": "wrong-pass-1"})
    response = store_client.post("/login", data={"email": "rosa@example.org", "password": factories.PASSWORD})
    assert "Too many login attempts. Please try again in" in text(response)
    assert store_client.get("/dashboard").status_code == 302


def test_login_follows_next_then_dashboard(store_client, store_world):
    registration = make_family_registration(store_world.elm)
    first = store_client.get(f"/registrations/{registration.id}/edit")
    login = store_client.post(first.headers["Location"], data={"email": "rosa@example.org", "password": factories.PASSWORD})
    assert login.headers["Location"] == f"/registrations/{registration.id}/edit"


def test_logged_in_user_skips_login_page(store_client, store_world):
    log_in(store_client, store_world.rosa)
    assert store_client.get("/login").headers["Location"] == "/dashboard"
    assert store_client.get("/").headers["Location"] == "/dashboard"


def test_guest_base_goes_to_login(store_client):
    assert store_client.get("/", follow_redirects=True).request.path == "/login"


def test_logout(store_client, store_world):
    log_in(store_client, store_world.rosa)
    response = store_client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert store_client.get("/dashboard").status_code == 302


def test_cookies_are_httponly_and_strict(store_client, store_world):
    page = store_client.get("/login")
    login = store_client.post("/login", data={"email": "rosa@example.org", "password": factories.PASSWORD})
    cookies = page.headers.getlist("Set-Cookie") + login.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie


# Dashboard


@pytest.mark.parametrize("path", ["/dashboard", "/registrations"])
def test_guest_is_sent_to_login(store_client, path):
    response = store_client.get(path, follow_redirects=True)
    assert response.request.path == "/login"


@pytest.mark.parametrize("path", ["/dashboard", "/registrations", "/registrations/create"])
def test_worker_reaches_pages(store_client, store_world, path):
    log_in(store_client, store_world.rosa)
    assert store_client.get(path).status_code == 200


def test_centre_worker_menu(store_client, store_world):
    log_in(store_client, store_world.rosa)
    html = text(store_client.get("/dashboard"))
    assert "<h1>Main menu</h1>" in html
    assert "Add a new Family" in html
    assert "Search for a Family" in html
    assert 'id="print-registrations"' in html
    assert f'href="/centres/{store_world.elm.id}/registrations/collection"' in html
    assert "Print collection sheet" in html
    assert "export-centre-registrations" not in html
    assert "Export Voucher Log" not in html
    assert "Return to main menu" not in html


def test_print_tile_names_the_centre_it_prints(store_client, store_world):
    link_centre(store_world.rosa, store_world.oak)
    log_in(store_client, store_world.rosa)

    everywhere = text(store_client.get("/dashboard"))
    store_client.post("/session", data={"centre": str(store_world.oak.id)})
    one_centre = text(store_client.get("/dashboard"))

    assert "for Elm Street, your home centre (downloads a PDF)" in everywhere
    assert "for Oak Lane (downloads a PDF)" in one_centre


def test_individual_print_preference(store_client, store_world):
    store_world.elm.print_pref = "individual"
    db.session.flush()
    log_in(store_client, store_world.rosa)
    html = text(store_client.get("/dashboard"))
    assert 'href="/registrations/print"' in html
    assert "Print all Family sheets" in html


def test_downloader_menu(store_client, store_world):
    log_in(store_client, store_world.dev)
    html = text(store_client.get("/dashboard"))
    assert 'id="export-centre-registrations"' in html
    assert "Export Elm Street Registrations" in html


def test_foodmatters_menu(store_client, store_world):
    log_in(store_client, store_world.fran)
    html = text(store_client.get("/dashboard"))
    for label in ("Export Standard Registrations", "Export Social Prescription Registrations",
                  "Export Voucher Log", "View Historic Voucher Logs"):
        assert label in html
    assert 'href="/centres/registrations/summary?programme=1"' in html
    assert 'id="print-registrations"' not in html
    assert "export-centre-registrations" not in html


def test_social_prescribing_wording(store_client, db):
    centre = factories.make_centre(factories.make_sponsor(programme=SOCIAL_PRESCRIBING_PROGRAMME))
    log_in(store_client, factories.make_centre_user(centre))
    html = text(store_client.get("/dashboard"))
    assert "Add a new Household" in html
    assert "Search for a Household" in html
    assert "Programme: Social Prescribing" in html


def test_user_without_centre(store_client, db):
    from arc.centres.models import centre_centre_user

    user = factories.make_centre_user()
    db.session.execute(centre_centre_user.delete().where(centre_centre_user.c.centre_user_id == user.id))
    log_in(store_client, user)
    html = text(store_client.get("/dashboard"))
    assert "not linked to a children" in html
    assert "Centre: <strong>Unknown</strong>" in html
    assert 'id="print-registrations"' not in html


def test_edit_page_shows_user_and_centre(store_client, store_world):
    registration = make_family_registration(store_world.elm)
    log_in(store_client, store_world.rosa)
    html = text(store_client.get(f"/registrations/{registration.id}/edit"))
    assert "Rosa" in html
    assert "Elm Street" in html
    assert 'href="/dashboard">Return to main menu' in html
