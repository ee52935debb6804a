"""Every store endpoint, found by walking the URL map, refuses visitors who may not use it.

* Anonymous visitors, charity staff (an admin session cookie) and trader-app users (a bearer token)
  are sent to the login page.
* A centre user of another area gets 403 on every address that names a registration or a centre.

New store routes are covered without changing this file: path parameters are filled in by name.
"""

import pytest

from tests import factories
from tests.conftest import SERVICE_HOST, STORE_HOST
from tests.store.scenario import log_in, make_family_registration, store_world  # noqa: F401

# Reachable without logging in.
PUBLIC_ENDPOINTS = {
    "store.base",
    "store.login",
    "store.logout",
    "store.static",
    "store.password_request",
    "store.password_email",
    "store.password_email_get",
    "store.password_reset",
    "store.password_reset_submit",
}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def store_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("store.") and rule.endpoint not in PUBLIC_ENDPOINTS
    ]


def names_object(rule):
    """Return whether a rule's address names a registration or a centre."""
    return any("registration" in argument or "centre" in argument for argument in rule.arguments)


def path_values(rule, registration, centre):
    values = {}
    for argument in rule.arguments:
        if "registration" in argument:
            values[argument] = registration.id
        elif "centre" in argument:
            values[argument] = centre.id
        elif "token" in argument:
            values[argument] = "a" * 64
        elif "filename" in argument or "path" in argument:
            values[argument] = "arc.css"
        else:
            values[argument] = 1
    return values


def build_path(app, rule, registration, centre):
    with app.test_request_context(base_url=f"http://{STORE_HOST}"):
        from flask import url_for

        return url_for(rule.endpoint, _external=False, **path_values(rule, registration, centre))


def requests_for(app, registration, centre):
    for rule in store_rules(app):
        path = build_path(app, rule, registration, centre)
        for method in sorted(rule.methods - IGNORED_METHODS):
            yield rule, method, path


def assert_sent_to_login(response, method, path):
    assert response.status_code == 302, f"{method} {path} answered {response.status_code}"
    assert "/login" in response.headers["Location"], f"{method} {path} redirected to {response.headers['Location']}"


def test_walk_finds_registration_and_centre_routes(app):
    endpoints = {rule.endpoint for rule in store_rules(app)}
    assert {"store.dashboard", "store.registration_edit", "store.registration_update", "store.session_put"} <= endpoints
    assert any(names_object(rule) for rule in store_rules(app))


def test_anonymous_is_sent_to_login(app, store_client, store_world):
    registration = make_family_registration(store_world.elm)
    for rule, method, path in requests_for(app, registration, store_world.elm):
        response = store_client.open(path, method=method)
        assert_sent_to_login(response, method, path)


def test_anonymous_json_request_gets_401(store_client, store_world):
    response = store_client.get("/dashboard", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json() == {"error": "Unauthenticated."}


def test_admin_session_is_not_a_store_login(app, service_client, store_client, store_world):
    admin = factories.make_admin_user()
    login = service_client.post("/login", data={"email": admin.email, "password": factories.PASSWORD})
    assert login.status_code == 302
    session_cookie = service_client.get_cookie(app.config["SESSION_COOKIE_NAME"], domain=SERVICE_HOST)
    assert session_cookie is not None
    store_client.set_cookie(app.config["SESSION_COOKIE_NAME"], session_cookie.value, domain=STORE_HOST)

    registration = make_family_registration(store_world.elm)
    for rule, method, path in requests_for(app, registration, store_world.elm):
        response = store_client.open(path, method=method)
        assert_sent_to_login(response, method, path)


def test_trader_app_token_is_not_a_store_login(app, store_client, api_token, store_world):
    registration = make_family_registration(store_world.elm)
    headers = {"Authorization": f"Bearer {api_token}"}
    for rule, method, path in requests_for(app, registration, store_world.elm):
        response = store_client.open(path, method=method, headers=headers)
        assert_sent_to_login(response, method, path)


@pytest.mark.parametrize("intruder", ["uma", "fran_on_social_prescribing"])
def test_other_area_gets_403_on_named_objects(app, store_client, store_world, intruder):
    world = store_world
    if intruder == "uma":
        user, centre = world.uma, world.elm
    else:
        sp_area = factories.make_sponsor(programme=1)
        user, centre = world.fran, factories.make_centre(sp_area)
    registration = make_family_registration(centre)
    log_in(store_client, user)

    checked = 0
    for rule, method, path in requests_for(app, registration, centre):
        if not names_object(rule):
            continue
        response = store_client.open(path, method=method)
        assert response.status_code == 403, f"{method} {path} answered {response.status_code} to {intruder}"
        checked += 1
    assert checked > 0


def test_unknown_ids_are_404(app, store_client, store_world):
    log_in(store_client, store_world.rosa)
    registration = make_family_registration(store_world.elm)
    for rule, method, path in requests_for(app, registration, store_world.elm):
        if not names_object(rule):
            continue
        for missing in (999999, 99999999999999999999):
            unknown = path.replace(f"/{registration.id}", f"/{missing}", 1) if "registration" in "".join(rule.arguments) else path.replace(f"/{store_world.elm.id}/", f"/{missing}/", 1)
            response = store_client.open(unknown, method=method)
            assert response.status_code == 404, f"{method} {unknown} answered {response.status_code}"


def test_non_digit_ids_are_404(store_client, store_world):
    log_in(store_client, store_world.rosa)
    for path in ("/registrations/abc/edit", "/registrations/-1/edit", "/registrations/1.5/view"):
        assert store_client.get(path).status_code == 404


def test_wrong_method_leads_to_the_front_page(store_client, store_world):
    registration = make_family_registration(store_world.elm)
    leave_path = f"/registrations/{registration.id}/family"

    guest = store_client.delete(leave_path, follow_redirects=True)
    assert guest.request.path == "/login"

    log_in(store_client, store_world.rosa)
    response = store_client.delete(leave_path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert response.data == b""
    assert store_client.delete(leave_path, follow_redirects=True).request.path == "/dashboard"
    assert registration.family.leaving_on is None
