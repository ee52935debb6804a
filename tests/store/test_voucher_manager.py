"""The voucher manager pages and actions over HTTP: who may open them, adding, removing, syncing and pick-up."""

from datetime import date, timedelta

import pytest
from flask import get_flashed_messages

from arc import clock
from arc.entitlement.inputs import Override
from arc.extensions import db
from arc.registrations import bundles
from arc.registrations.models import Bundle
from arc.store.vouchers import flash_change
from arc.vouchers.models import Voucher
from tests import factories
from tests.admin.people_data import parse
from tests.store.voucher_data import add_rules, log_in, make_registration, make_vouchers, make_world, new_store_client


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def registration(world):
    return make_registration(world.elm, ("Tess Ward", "Kit Moss"), dobs=(date(2022, 11, 1),))


@pytest.fixture
def codes(world):
    return make_vouchers(world.northshire, ["RVZ00998", "RVZ00999", "RVZ01000"])


@pytest.fixture
def rosa(store_client, world):
    return log_in(store_client, world.rosa)


def manager_url(registration):
    return f"/registrations/{registration.id}/voucher-manager"


def vouchers_url(registration):
    return f"/registrations/{registration.id}/vouchers"


def held(registration):
    bundle = bundles.find_current_bundle(registration)
    return bundles.bundle_codes(bundle) if bundle else []


def flashes(client):
    """Return the texts of the messages shown by the page the client lands on next."""
    page = parse(client.get("/dashboard"))
    return [alert.text for alert in page.select("div", class_="alert")]


def test_manager_page_has_its_columns(store_client, world, registration):
    log_in(store_client, world.fran)

    response = store_client.get(manager_url(registration))

    assert response.status_code == 200
    page = parse(response)
    for column in ("this-family", "collection-history", "allocate-vouchers", "collection"):
        assert page.one(id=column)
    assert "Their RV-ID is:" in page.one(id="rv-id").text
    assert registration.family.rvid in page.one(id="rv-id").text
    assert "Tess Ward" in page.one(id="this-family").text
    assert "This family has not collected" in page.one(id="collection-history").text


def test_manager_page_creates_current_bundle(rosa, registration):
    rosa.get(manager_url(registration))

    bundle = bundles.find_current_bundle(registration)
    assert bundle is not None
    assert bundle.entitlement == 4


def test_manager_page_shows_notices(store_client, db):
    fenland = factories.make_sponsor(name="Fenland")
    add_rules(fenland, [Override("FamilyHasUnverifiedChildren", "Family", "notices", 0)])
    centre = factories.make_centre(fenland, name="Marsh Road")
    worker = factories.make_centre_user(centre)
    registration = make_registration(centre, dobs=(date(2022, 1, 1), date(2021, 5, 1), date(2020, 11, 1)))
    log_in(store_client, worker)

    page = parse(store_client.get(manager_url(registration)))

    warning = page.one(id="family-warning")
    assert "A family has one or more children that you haven't checked ID for yet" in warning.text


def test_manager_page_without_notices_has_no_warning(rosa, registration):
    page = parse(rosa.get(manager_url(registration)))

    assert page.select(id="family-warning") == []


def test_manager_links_open(rosa, registration):
    page = parse(rosa.get(manager_url(registration)))

    for link_id in ("edit-family-link", "full-collection-link", "find-another-family-link"):
        href = page.one("a", id=link_id).attrs["href"]
        assert rosa.get(href).status_code == 200, link_id


@pytest.mark.parametrize(
    ("user", "status"), [("rosa", 200), ("nina", 200), ("fran", 200), ("uma", 403)]
)
def test_manager_access_by_centre(store_client, world, registration, user, status):
    log_in(store_client, getattr(world, user))

    assert store_client.get(manager_url(registration)).status_code == status


def test_manager_guest_sent_to_login(store_client, registration):
    response = store_client.get(manager_url(registration))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_manager_unknown_registration_is_404(rosa):
    assert rosa.get("/registrations/999999/voucher-manager").status_code == 404


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/vouchers", {"start": "RVZ00998"}),
        ("/vouchers", {"_method": "DELETE"}),
        ("/vouchers", {"_method": "PUT", "collected_by": "1", "collected_on": "2024-06-10", "collected_at": "1"}),
        ("/vouchers/1", {"_method": "DELETE"}),
        ("/collection-history", None),
        ("/print", None),
    ],
)
def test_actions_of_other_area_are_forbidden(store_client, world, registration, codes, path, data):
    log_in(store_client, world.uma)
    url = f"/registrations/{registration.id}{path}"

    response = store_client.post(url, data=data) if data is not None else store_client.get(url)

    assert response.status_code == 403
    assert held(registration) == []


def test_add_single_voucher_lists_it(rosa, registration, codes):
    response = rosa.post(vouchers_url(registration), data={"start": "rvz00998"})

    assert response.status_code == 302
    assert response.headers["Location"] == manager_url(registration)
    page = parse(rosa.get(manager_url(registration)))
    assert [cell.text for cell in page.select("td", class_="code")] == ["RVZ00998"]
    assert len(page.select("button", class_="delete-button")) == 1
    assert page.one(id="voucher-count").text == "1"


def test_remove_listed_voucher_with_its_button(rosa, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    page = parse(rosa.get(manager_url(registration)))
    form = page.one("button", class_="delete-button").parent

    rosa.post(form.attrs["action"], data={"_method": "DELETE"})

    page = parse(rosa.get(manager_url(registration)))
    assert page.select("button", class_="delete-button") == []
    assert held(registration) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "The start field is required."),
        ({"end": "rvz01000"}, "The start field is required."),
        ({"start": "", "end": "rvz01000"}, "The start field is required."),
        ({"start": "notACode"}, "The selected start is invalid."),
        ({"start": "rvz00998", "end": "badCode"}, "The selected end is invalid."),
        ({"start": "rvz00998", "end": "rva00999"}, "The end field must be the same sponsor as the start field."),
        ({"start": "rvz01000", "end": "rvz00998"}, "The end field must be greater than the start field."),
    ],
)
def test_add_rejects_invalid_input(rosa, registration, codes, data, message):
    response = rosa.post(vouchers_url(registration), data=data)

    assert response.status_code == 422
    errors = parse(response).one(id="add-errors").text
    assert message in errors
    assert held(registration) == []


def test_add_invalid_code_names_it(rosa, registration, codes):
    response = rosa.post(vouchers_url(registration), data={"start": "notACode"})

    assert "No voucher has the code NOTACODE." in parse(response).one(id="add-errors").text


def test_add_range(rosa, registration, codes):
    response = rosa.post(vouchers_url(registration), data={"start": "RVZ00998", "end": "RVZ01000"})

    assert response.status_code == 302
    assert held(registration) == ["RVZ00998", "RVZ00999", "RVZ01000"]
    assert "3 vouchers added to this family's bundle: RVZ00998, RVZ00999, RVZ01000" in flashes(rosa)


def test_add_range_over_limit_adds_nothing(rosa, registration, world):
    westmoor = world.westmoor
    make_vouchers(westmoor, [f"RVA{number:05d}" for number in range(1, 102)])

    response = rosa.post(vouchers_url(registration), data={"start": "RVA00001", "end": "RVA00101"})

    assert response.status_code == 302
    assert response.headers["Location"] == manager_url(registration)
    assert any("Failed adding more than 100 vouchers" in message for message in flashes(rosa))
    assert held(registration) == []


def test_add_reports_refused_codes(rosa, registration, world):
    make_vouchers(world.northshire, ["RVZ00001", "RVZ00003", "RVZ00005"])
    make_vouchers(world.northshire, ["RVZ00002"], state="recorded")

    rosa.post(vouchers_url(registration), data={"start": "RVZ00001", "end": "RVZ00005"})

    messages = flashes(rosa)
    assert "3 vouchers added to this family's bundle: RVZ00001, RVZ00003, RVZ00005" in messages
    assert "These vouchers have already been used, voided or expired: RVZ00002" in messages
    assert "These codes are invalid, because no voucher has them: RVZ00004" in messages


def test_add_code_of_other_family_links_to_it(rosa, world, registration, codes):
    owner = make_registration(world.elm, ("Ola Ray",))
    bundles.add_codes(bundles.current_bundle(owner), ["RVZ00998"], world.rosa)

    response = rosa.post(vouchers_url(registration), data={"start": "RVZ00998"}, follow_redirects=True)

    assert held(registration) == []
    assert held(owner) == ["RVZ00998"]
    error = next(alert for alert in parse(response).select("div", class_="alert-error") if "different" in alert.text)
    assert error.text.startswith(
        "These vouchers are currently allocated to a different Family. Click on the voucher number to view the other "
        "Family's record:"
    )
    link = error.one("a")
    assert link.text == "RVZ00998"
    assert link.attrs["href"] == manager_url(owner)


def test_add_code_of_inaccessible_family_names_no_link(rosa, world, registration):
    make_vouchers(world.westmoor, ["RVA00001"])
    owner = make_registration(world.pine, ("Ola Ray",))
    bundles.add_codes(bundles.current_bundle(owner), ["RVA00001"], world.uma)

    response = rosa.post(vouchers_url(registration), data={"start": "RVA00001"}, follow_redirects=True)

    page = parse(response)
    assert "These vouchers are allocated to a different Family in a centre you can't access: RVA00001" in [
        alert.text for alert in page.select("div", class_="alert-error")
    ]
    assert not [link for link in page.select("a") if link.text == "RVA00001"]
    assert held(owner) == ["RVA00001"]


def test_add_voucher_of_another_area_is_refused(rosa, world, registration, codes):
    make_vouchers(world.westmoor, ["RVA00001"])

    rosa.post(vouchers_url(registration), data={"start": "RVA00001"})

    assert "These vouchers belong to another area, so they cannot go in this family's bundle: RVA00001" in flashes(rosa)
    assert held(registration) == []


def test_add_code_with_space_inside(rosa, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ0 0998"})

    assert held(registration) == ["RVZ00998"]


def test_add_with_missing_or_empty_end_adds_start(rosa, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    assert held(registration) == ["RVZ00998"]

    rosa.post(vouchers_url(registration), data={"start": "RVZ00999", "end": ""})
    assert held(registration) == ["RVZ00998", "RVZ00999"]


def test_remove_all_with_method_field(rosa, world, registration):
    make_vouchers(world.northshire, ["RVZ0123455", "RVZ0123456", "RVZ0123457"])
    rosa.post(vouchers_url(registration), data={"start": "RVZ0123455", "end": "RVZ0123457"})

    response = rosa.post(vouchers_url(registration), data={"_method": "DELETE"})

    assert response.status_code == 302
    assert held(registration) == []
    stored = db.session.scalars(db.select(Voucher).where(Voucher.code.like("RVZ012345%"))).all()
    assert [voucher.bundle_id for voucher in stored] == [None, None, None]


def test_remove_all_with_delete_request(rosa, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998", "end": "RVZ01000"})

    response = rosa.delete(vouchers_url(registration))

    assert response.status_code == 302
    assert held(registration) == []


def test_remove_one_keeps_state(rosa, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998", "end": "RVZ01000"})

    response = rosa.delete(f"{vouchers_url(registration)}/{codes[1].id}")

    assert response.status_code == 302
    assert held(registration) == ["RVZ00998", "RVZ01000"]
    voucher = db.session.get(Voucher, codes[1].id)
    db.session.refresh(voucher)
    assert voucher.bundle_id is None
    assert voucher.currentstate == "dispatched"


def test_remove_voucher_not_in_bundle_says_so(rosa, registration, codes):
    rosa.post(f"{vouchers_url(registration)}/{codes[0].id}", data={"_method": "DELETE"})

    assert "These vouchers are not in this family's bundle, so they were not removed: RVZ00998" in flashes(rosa)


def test_remove_unknown_voucher_is_404(rosa, registration):
    assert rosa.post(f"{vouchers_url(registration)}/99999999", data={"_method": "DELETE"}).status_code == 404


def test_action_address_opened_redirects_to_manager(rosa, registration):
    response = rosa.get(vouchers_url(registration))

    assert response.status_code == 302
    assert response.headers["Location"] == manager_url(registration)


def collect_data(registration, world, carer_index=0, on=None, centre=None):
    return {
        "_method": "PUT",
        "collected_by": str(registration.family.carers[carer_index].id),
        "collected_on": (on or clock.today()).isoformat(),
        "collected_at": str((centre or world.elm).id),
    }


def test_collect_empty_bundle_denied(rosa, world, registration):
    monday = clock.today() - timedelta(days=clock.today().weekday())

    response = rosa.post(vouchers_url(registration), data=collect_data(registration, world, on=monday))

    assert response.status_code == 302
    assert response.headers["Location"] == manager_url(registration)
    assert "Action denied on empty bundle: add vouchers before confirming the pick up." in flashes(rosa)
    assert db.session.scalars(db.select(Bundle).where(Bundle.disbursed_at.is_not(None))).all() == []


def test_collect_names_the_collecting_carer(rosa, world, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998", "end": "RVZ00999"})
    bundle_id = bundles.find_current_bundle(registration).id

    response = rosa.post(vouchers_url(registration), data=collect_data(registration, world, carer_index=1))

    assert response.status_code == 302
    assert response.headers["Location"] == "/registrations"
    assert "You have just marked 2 vouchers as collected by Kit Moss" in flashes(rosa)
    bundle = db.session.get(Bundle, bundle_id)
    db.session.refresh(bundle)
    assert bundle.disbursed_at.date() == clock.today()
    assert bundle.collecting_carer_id == registration.family.carers[1].id
    assert bundle.disbursing_centre_id == world.elm.id
    assert bundle.disbursing_user_id == world.rosa.id

    rosa.get(manager_url(registration))
    assert bundles.find_current_bundle(registration).id != bundle_id


def test_collect_with_real_put(rosa, world, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    data = collect_data(registration, world)
    del data["_method"]

    response = rosa.put(vouchers_url(registration), data=data)

    assert response.status_code == 302
    assert bundles.find_current_bundle(registration) is None


def test_collect_refuses_carer_of_other_family(rosa, world, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    stranger = make_registration(world.elm, ("Ola Ray",))
    data = collect_data(registration, world)
    data["collected_by"] = str(stranger.family.carers[0].id)

    response = rosa.post(vouchers_url(registration), data=data)

    assert response.status_code == 422
    assert "Choose who collected the vouchers from the carers of this family." in response.get_data(as_text=True)
    assert bundles.find_current_bundle(registration).disbursed_at is None


def test_collect_refuses_centre_of_other_worker(rosa, world, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})

    response = rosa.post(vouchers_url(registration), data=collect_data(registration, world, centre=world.oak))

    assert response.status_code == 422
    assert "Vouchers can only be handed out at one of your own centres." in response.get_data(as_text=True)


@pytest.mark.parametrize("missing", ["collected_by", "collected_on", "collected_at"])
def test_collect_needs_all_three_fields(rosa, world, registration, codes, missing):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    data = collect_data(registration, world)
    del data[missing]

    response = rosa.post(vouchers_url(registration), data=data)

    assert response.status_code == 422
    assert f"The {missing.replace('_', ' ')} field is required when" in response.get_data(as_text=True)


def test_collect_rejects_badly_written_date(rosa, world, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    data = collect_data(registration, world)
    data["collected_on"] = "10/06/2024"

    assert rosa.post(vouchers_url(registration), data=data).status_code == 422


def test_sync_replaces_bundle_contents(rosa, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})

    response = rosa.post(vouchers_url(registration), data={"_method": "PUT", "vouchers": ["RVZ00999", "rvz01000"]})

    assert response.status_code == 302
    assert held(registration) == ["RVZ00999", "RVZ01000"]
    assert "3 vouchers changed in this family's bundle: RVZ00998, RVZ00999, RVZ01000" in flashes(rosa)


def test_sync_with_unknown_code_changes_nothing(rosa, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})

    rosa.post(vouchers_url(registration), data={"_method": "PUT", "vouchers": ["RVZ00999", "NOPE00001"]})

    assert held(registration) == ["RVZ00998"]
    messages = flashes(rosa)
    assert "No vouchers were changed, because some of the codes could not be used." in messages
    assert "These codes are invalid, because no voucher has them: NOPE00001" in messages


def test_second_worker_cannot_take_bundled_voucher(app, rosa, world, registration, codes):
    other = make_registration(world.oak, ("Ola Ray",))
    nina = new_store_client(app, world.nina)
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})

    nina.post(vouchers_url(other), data={"start": "RVZ00998"})

    assert held(registration) == ["RVZ00998"]
    assert held(other) == []


def test_add_stored_code_without_digits(rosa, registration, world):
    make_vouchers(world.northshire, ["legacy"])

    rosa.post(vouchers_url(registration), data={"start": "LEGACY"})

    assert held(registration) == ["legacy"]


def test_add_range_from_code_without_digits(rosa, registration, world, codes):
    make_vouchers(world.northshire, ["legacy"])

    response = rosa.post(vouchers_url(registration), data={"start": "LEGACY", "end": "RVZ00998"})

    assert response.status_code == 302
    assert any("LEGACY to RVZ00998 is not a range of voucher codes" in message for message in flashes(rosa))
    assert held(registration) == []


def test_long_code_lists_are_cut_in_messages(rosa, registration, world):
    make_vouchers(world.northshire, ["RVZ00100", "RVZ00199"])

    rosa.post(vouchers_url(registration), data={"start": "RVZ00100", "end": "RVZ00199"})

    [invalid] = [message for message in flashes(rosa) if message.startswith("These codes are invalid")]
    assert invalid.endswith("RVZ00140 and 58 more")
    assert "RVZ00101, RVZ00102" in invalid


@pytest.mark.parametrize("days", [43, -43, 365 * 75], ids=["seven weeks ahead", "seven weeks ago", "far future"])
def test_collect_refuses_date_outside_six_weeks(rosa, world, registration, codes, days):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    data = collect_data(registration, world, on=clock.today() + timedelta(days=days))

    response = rosa.post(vouchers_url(registration), data=data)

    assert response.status_code == 422
    assert "Choose a date within six weeks of today" in response.get_data(as_text=True)
    assert bundles.find_current_bundle(registration).disbursed_at is None


def test_collect_accepts_date_six_weeks_ago(rosa, world, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})

    response = rosa.post(vouchers_url(registration), data=collect_data(registration, world, on=clock.today() - timedelta(days=42)))

    assert response.status_code == 302


@pytest.mark.parametrize("value", ["²", "abc", "9" * 30])
def test_collect_with_non_numeric_carer_is_a_field_error(rosa, world, registration, codes, value):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    data = collect_data(registration, world)
    data["collected_by"] = value

    response = rosa.post(vouchers_url(registration), data=data)

    assert response.status_code == 422
    assert "could not coerce" not in response.get_data(as_text=True)


# A family that has left


@pytest.fixture
def left_registration(world):
    registration = make_registration(world.elm, ("Tess Ward", "Kit Moss"), dobs=(date(2022, 11, 1),))
    registration.family.leaving_on = clock.now() - timedelta(days=3)
    registration.family.leaving_reason = "moving out of centre area"
    db.session.flush()
    return registration


def test_manager_of_left_family(rosa, left_registration):
    page = parse(rosa.get(manager_url(left_registration)))

    notice = page.one(id="family-left")
    left_on = left_registration.family.leaving_on.strftime("%d-%m-%Y")
    assert notice.text.startswith(f"This family left the project on {left_on}, so vouchers cannot be added or collected.")
    assert notice.one("a").attrs["href"] == f"/registrations/{left_registration.id}/view"
    assert page.select(id="range-form") == []
    assert page.select(id="single-form") == []
    assert page.select(id="collection-form") == []
    assert page.one(id="entitlement").text == "This family collects no vouchers while away from the project."


def test_left_family_cannot_add(rosa, left_registration, codes):
    rosa.post(vouchers_url(left_registration), data={"start": "RVZ00998"})

    left_on = left_registration.family.leaving_on.strftime("%d-%m-%Y")
    assert (f"This family left the project on {left_on}, so vouchers cannot be added to their bundle or collected. "
            "Rejoin the family first.") in flashes(rosa)
    assert held(left_registration) == []


def test_left_family_bundle_emptied_not_collected(rosa, world, left_registration, codes):
    family = left_registration.family
    left_on, family.leaving_on = family.leaving_on, None
    bundles.add_codes(bundles.current_bundle(left_registration), ["RVZ00998"], world.rosa)
    family.leaving_on = left_on
    db.session.flush()

    rosa.post(vouchers_url(left_registration), data=collect_data(left_registration, world))

    assert any("so vouchers cannot be added to their bundle or collected" in message for message in flashes(rosa))
    assert db.session.scalars(db.select(Bundle).where(Bundle.disbursed_at.is_not(None))).all() == []
    rosa.post(vouchers_url(left_registration), data={"_method": "DELETE"})
    assert held(left_registration) == []


def test_family_that_rejoined_can_collect_again(rosa, world, left_registration, codes):
    left_registration.family.rejoin_on = clock.now()
    db.session.flush()

    rosa.post(vouchers_url(left_registration), data={"start": "RVZ00998"})

    assert held(left_registration) == ["RVZ00998"]
    assert parse(rosa.get(manager_url(left_registration))).select(id="family-left") == []


def test_sync_empties_left_family_bundle(rosa, world, left_registration, codes):
    family = left_registration.family
    left_on, family.leaving_on = family.leaving_on, None
    bundles.add_codes(bundles.current_bundle(left_registration), ["RVZ00998", "RVZ00999"], world.rosa)
    family.leaving_on = left_on
    db.session.flush()

    rosa.post(vouchers_url(left_registration), data={"_method": "PUT", "vouchers": ["RVZ00998"]})
    assert held(left_registration) == ["RVZ00998"]
    rosa.post(vouchers_url(left_registration), data={"_method": "PUT", "vouchers": ["RVZ00998", "RVZ01000"]})
    assert held(left_registration) == ["RVZ00998"]
    rosa.post(vouchers_url(left_registration), data={"_method": "PUT", "vouchers": [""]})
    assert held(left_registration) == []


def test_refused_sync_names_only_the_refused_codes(rosa, world, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    make_vouchers(world.westmoor, ["RVA00001"])

    rosa.post(vouchers_url(registration), data={"_method": "PUT", "vouchers": ["RVZ00999", "RVA00001"]})

    messages = flashes(rosa)
    assert "No vouchers were changed, because some of the codes could not be used." in messages
    assert "These vouchers belong to another area, so they cannot go in this family's bundle: RVA00001" in messages
    assert not [message for message in messages if "changed in" in message]
    assert held(registration) == ["RVZ00998"]


def test_just_taken_voucher_named_unlinked(app, registration):
    with app.test_request_context():
        flash_change(bundles.BundleChange(bundled={"RVZ00998": None}), registration, "added to")
        messages = get_flashed_messages()

    assert messages == ["These vouchers were put in another family's bundle a moment ago: RVZ00998"]


def test_second_pick_up_reports_collected(rosa, world, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})
    bundle_id = bundles.find_current_bundle(registration).id
    data = {**collect_data(registration, world), "bundle": str(bundle_id)}
    rosa.post(vouchers_url(registration), data=data)
    flashes(rosa)

    response = rosa.post(vouchers_url(registration), data=data)

    assert response.headers["Location"] == manager_url(registration)
    assert ("These vouchers were marked as collected by someone else just now, so nothing was changed. "
            "Check the collection history.") in flashes(rosa)
    assert db.session.scalars(db.select(Bundle).where(Bundle.disbursed_at.is_not(None))).all() == [
        db.session.get(Bundle, bundle_id)
    ]


def test_pick_up_form_names_the_bundle_shown(rosa, registration, codes):
    rosa.post(vouchers_url(registration), data={"start": "RVZ00998"})

    page = parse(rosa.get(manager_url(registration)))

    assert page.one("input", name="bundle").attrs["value"] == str(bundles.find_current_bundle(registration).id)
