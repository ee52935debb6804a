"""Registration pages of the store: sign up, check or update, leave, rejoin, and the family search."""

import re
from datetime import date, datetime

import pymysql
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from arc import clock, database
from arc.entitlement import SCOTTISH_FAMILY
from arc.extensions import db
from arc.registrations import operations
from arc.registrations.models import Carer, Child, Family, Registration
from tests import factories
from tests.store.scenario import add_rules, log_in, make_family_registration, store_world  # noqa: F401

SAVE = {"save": "y"}


@pytest.fixture
def frozen_clock(monkeypatch):
    """Return a function that sets the service clock to a fixed time for the rest of the test."""

    def freeze(moment):
        monkeypatch.setattr(clock, "now", lambda: moment)

    return freeze


@pytest.fixture
def rosa(store_client, store_world):
    return log_in(store_client, store_world.rosa)


def page_text(response):
    return response.get_data(as_text=True)


def input_value(html, name):
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def registrations():
    return db.session.scalars(sa.select(Registration).order_by(Registration.id)).all()


def new_family(**fields):
    values = {
        "pri_carer": "Tess Ward",
        "eligibility_hsbs": "healthy-start-applying",
        "eligibility_nrpf": "no",
        "consent": "y",
        **SAVE,
    }
    values.update(fields)
    return {name: value for name, value in values.items() if value is not None}


def edit_data(registration, **fields):
    """Return the edit form as the page would post it for ``registration``, changed by ``fields``."""
    family = registration.family
    values = {
        "pri_carer": family.carers[0].name,
        "pri_carer_ethnicity": family.carers[0].ethnicity or "",
        "pri_carer_language": family.carers[0].language or "",
        "eligibility_hsbs": registration.eligibility_hsbs or "",
        "eligibility_nrpf": registration.eligibility_nrpf or "",
        "version": operations.edit_version(registration),
        **SAVE,
    }
    collectors = [carer for carer in family.carers[1:] if carer.deleted_at is None]
    for index, carer in enumerate(collectors):
        values[f"collectors-{index}-id"] = str(carer.id)
        values[f"collectors-{index}-name"] = carer.name
    for index, child in enumerate(family.children):
        values[f"children-{index}-id"] = str(child.id)
        values[f"children-{index}-dob"] = child.dob.strftime("%Y-%m")
        if child.verified:
            values[f"children-{index}-verified"] = "y"
        if child.deferred:
            values[f"children-{index}-deferred"] = "y"
    values.update(fields)
    return {name: value for name, value in values.items() if value is not None}


# Create page


def test_create_page_fields(rosa):
    html = page_text(rosa.get("/registrations/create"))
    for name in ("pri_carer", "new_collector", "dob_month", "dob_year", "consent"):
        assert f'name="{name}"' in html
    assert 'name="add_collector"' in html
    assert 'name="add_child"' in html
    assert "<h1>New family sign up</h1>" in html
    assert "registered at <strong>Elm Street</strong>" in html


def test_create_page_eligibility_options(rosa):
    html = page_text(rosa.get("/registrations/create"))
    hsbs = re.search(r'<select[^>]*name="eligibility_hsbs".*?</select>', html, re.S).group(0)
    assert '<option selected value="">Please select</option>' in hsbs
    for value in ("healthy-start-applying", "healthy-start-receiving", "healthy-start-receiving-not-eligible-or-rejected"):
        assert f'value="{value}"' in hsbs
    nrpf = re.search(r'<select[^>]*name="eligibility_nrpf".*?</select>', html, re.S).group(0)
    assert 'value="yes"' in nrpf
    assert 'value="no"' in nrpf


def test_logo_is_not_a_link(rosa):
    html = page_text(rosa.get("/registrations/create"))
    assert re.search(r'<a[^>]*>[^<]*Rose Vouchers', html) is None


def test_create_registration_saves_family(rosa, store_world):
    response = rosa.post("/registrations", data=new_family(eligibility_nrpf="no"))

    [registration] = registrations()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/registrations/{registration.id}/edit"
    assert registration.consented_on is not None
    assert registration.eligibility_hsbs == "healthy-start-applying"
    assert registration.eligibility_nrpf == "no"
    assert registration.centre_id == store_world.elm.id
    assert registration.family.carers[0].name == "Tess Ward"
    assert registration.family.rvid == "ELMS0001"
    assert registration.eligible_from is None


def test_create_success_message_is_shown(rosa):
    response = rosa.post("/registrations", data=new_family(), follow_redirects=True)
    assert "Family registered. Their RV-ID is ELMS0001." in page_text(response)


def test_create_without_name_shows_error(rosa):
    response = rosa.post("/registrations", data={"consent": "y", **SAVE})

    html = page_text(response)
    assert response.status_code == 422
    assert "Enter the main carer&#39;s full name." in html
    assert 'role="alert"' in html
    assert registrations() == []


def test_create_without_consent_shows_error(rosa):
    response = rosa.post("/registrations", data=new_family(consent=None))
    assert "Registration form must be signed in order to complete registration" in page_text(response)
    assert registrations() == []


def test_create_receiving_sets_eligible_from(rosa, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 10, 30))
    rosa.post("/registrations", data=new_family(eligibility_hsbs="healthy-start-receiving"))
    assert registrations()[0].eligible_from == datetime(2024, 6, 15, 10, 30)


def test_create_with_unicode_names(rosa):
    response = rosa.post(
        "/registrations", data=new_family(pri_carer="Zoë O'Neill-Ash", **{"collectors-0-name": "Siân Ó Briain"})
    )
    assert response.status_code == 302
    names = [carer.name for carer in registrations()[0].family.carers]
    assert names == ["Zoë O'Neill-Ash", "Siân Ó Briain"]


def test_only_main_carer_gets_demographics(rosa):
    rosa.post(
        "/registrations",
        data=new_family(pri_carer_ethnicity="WBRI", pri_carer_language="english", new_collector="Ola Ray"),
    )
    main, collector = registrations()[0].family.carers
    assert (main.ethnicity, main.language) == ("WBRI", "english")
    assert (collector.name, collector.ethnicity, collector.language) == ("Ola Ray", None, None)


def test_please_select_stores_null_ethnicity(rosa):
    rosa.post("/registrations", data=new_family(pri_carer_ethnicity="", pri_carer_language=""))
    carer = registrations()[0].family.carers[0]
    assert carer.ethnicity is None
    assert carer.language is None


def test_add_child_button_adds_row_without_saving(rosa, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    response = rosa.post(
        "/registrations", data={"pri_carer": "Tess Ward", "dob_month": "3", "dob_year": "2022", "add_child": "y"}
    )

    html = page_text(response)
    assert response.status_code == 200
    assert input_value(html, "children-0-dob") == "2022-03"
    assert "2 yr, 3 mo" in html
    assert "Mar 2022" in html
    assert input_value(html, "pri_carer") == "Tess Ward"
    assert 'role="alert"' not in html
    assert registrations() == []


def test_add_collector_button_adds_row_without_saving(rosa):
    response = rosa.post("/registrations", data={"pri_carer": "Tess Ward", "new_collector": "Ola Ray", "add_collector": "y"})
    html = page_text(response)
    assert input_value(html, "collectors-0-name") == "Ola Ray"
    assert input_value(html, "new_collector") == ""
    assert registrations() == []


def test_typed_child_is_saved_with_the_form(rosa, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    rosa.post(
        "/registrations",
        data=new_family(**{"children-0-dob": "2023-01", "dob_month": "10", "dob_year": "2024"}),
    )
    children = registrations()[0].family.children
    assert [child.dob for child in children] == [datetime(2023, 1, 1), datetime(2024, 10, 1)]
    assert [child.born for child in children] == [True, False]
    assert [child.verified for child in children] == [None, None]


def test_due_date_over_nine_months_is_refused(rosa, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    ok = rosa.post("/registrations", data={"pri_carer": "A", "dob_month": "3", "dob_year": "2025", "add_child": "y"})
    too_far = rosa.post("/registrations", data={"pri_carer": "A", "dob_month": "4", "dob_year": "2025", "add_child": "y"})
    assert input_value(page_text(ok), "children-0-dob") == "2025-03"
    assert "more than 9 months away" in page_text(too_far)
    assert input_value(page_text(too_far), "children-0-dob") is None


@pytest.mark.parametrize(
    "dob, message",
    [
        ("9999-12", "more than 9 months away"),
        ("2025-04", "more than 9 months away"),
        ("1899-12", "missing or invalid"),
        ("2024-13", "missing or invalid"),
        ("24-01", "missing or invalid"),
    ],
)
def test_child_row_month_bounded(rosa, frozen_clock, dob, message):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    response = rosa.post("/registrations", data=new_family(**{"children-0-dob": dob}))

    assert response.status_code == 422
    assert message in page_text(response)
    assert registrations() == []


def test_child_row_due_in_nine_months_is_saved(rosa, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    rosa.post("/registrations", data=new_family(**{"children-0-dob": "2025-03", "children-1-dob": "1900-01"}))

    [registration] = registrations()
    assert [child.dob for child in registration.family.children] == [datetime(2025, 3, 1), datetime(1900, 1, 1)]


def test_edit_refuses_far_future_row(rosa, store_world, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    registration = make_family_registration(store_world.elm, children=[date(2022, 3, 1)])
    response = rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, **{"children-0-dob": "9999-12"}))

    assert response.status_code == 422
    assert "more than 9 months away" in page_text(response)
    db.session.expire_all()
    assert registration.family.children[0].dob == datetime(2022, 3, 1)


@pytest.mark.parametrize(
    "month, year, message",
    [("13", "2022", "Enter the month as a number from 1 to 12."), ("", "2022", "Enter the month as a number"),
     ("3", "22", "Enter the year as 4 digits"), ("x", "2022", "Enter the month as a number")],
)
def test_invalid_child_dates(rosa, month, year, message):
    response = rosa.post("/registrations", data={"pri_carer": "A", "dob_month": month, "dob_year": year, "add_child": "y"})
    assert message in page_text(response)


def test_id_checking_area_records_verification(rosa, store_world):
    add_rules(store_world.northshire, [("FamilyHasUnverifiedChildren", "Family", "notices", 0)])
    html = page_text(rosa.post("/registrations", data={"pri_carer": "A", "dob_month": "1", "dob_year": "2023", "dob_verified": "y", "add_child": "y"}))
    assert 'name="dob_verified"' in html
    assert re.search(r'<input checked id="children-0-verified"', html)

    rosa.post("/registrations", data=new_family(**{"children-0-dob": "2023-01", "children-0-verified": "y", "children-1-dob": "2022-05"}))
    assert [child.verified for child in registrations()[0].family.children] == [True, False]


def test_no_current_centre_cannot_register(store_client, db):
    from arc.centres.models import centre_centre_user

    user = factories.make_centre_user()
    db.session.execute(centre_centre_user.delete().where(centre_centre_user.c.centre_user_id == user.id))
    log_in(store_client, user)
    page = store_client.get("/registrations/create")
    posted = store_client.post("/registrations", data=new_family())
    assert "not linked to a children" in page_text(page)
    assert posted.status_code == 409
    assert registrations() == []


def test_social_prescribing_create(store_client, db, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    area = factories.make_sponsor(programme=1)
    centre = factories.make_centre(area, name="Quay House")
    log_in(store_client, factories.make_centre_user(centre))

    page = page_text(store_client.get("/registrations/create"))
    added = page_text(store_client.post("/registrations", data={"pri_carer": "Sol", "participant_age": "41", "add_participant": "y"}))
    store_client.post(
        "/registrations",
        data={"pri_carer": "Sol", "consent": "y", "children-0-dob": "1983-06", "children-0-is_pri_carer": "1", "member_age": "9", **SAVE},
    )

    assert "New household sign up" in page
    assert 'name="eligibility_hsbs"' not in page
    assert input_value(added, "children-0-dob") == "1983-06"
    assert "41 yr" in added
    [registration] = registrations()
    assert [(child.dob, child.is_pri_carer) for child in registration.family.children] == [
        (datetime(1983, 6, 1), True), (datetime(2015, 6, 1), False)
    ]
    assert registration.eligibility_hsbs is None


@pytest.mark.parametrize("dob, saved", [("2024-07", False), ("2025-03", False), ("2024-06", True), ("1900-01", True)])
def test_household_rows_already_born(store_client, db, frozen_clock, dob, saved):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    centre = factories.make_centre(factories.make_sponsor(programme=1), name="Quay House")
    log_in(store_client, factories.make_centre_user(centre))

    response = store_client.post(
        "/registrations",
        data={"pri_carer": "Sol", "consent": "y", "children-0-dob": dob, "children-0-is_pri_carer": "1", **SAVE},
    )

    assert (len(registrations()) == 1) is saved
    if not saved:
        assert response.status_code == 422
        assert "age is missing or invalid. Remove the row and add it again with their age." in page_text(response)


# Form validation of a new registration (true = passes)


@pytest.mark.parametrize(
    "fields, passes",
    [
        ({}, False),
        ({"consent": None}, False),
        ({"pri_carer": "1"}, False),
        ({"eligibility_hsbs": "hello", "eligibility_nrpf": "hello"}, False),
        ({"eligibility_hsbs": ""}, False),
        ({"carers": "Ola Ray"}, True),
        ({"collectors-0-name": ""}, False),
        ({"collectors-0-name": "1", "collectors-1-name": "2"}, False),
        ({"collectors-0-name": "Ola Ray", "collectors-1-name": "Pia Lund"}, True),
        ({"children-0-dob": ""}, False),
        ({"children-0-dob": "2019-09", "children-1-dob": "2018-08", "children-2-dob": "2017-07"}, True),
        ({"children-0-dob": "2019-13"}, False),
        ({"children-0-dob": "2019-09", "children-0-verified": "y", "children-1-dob": "2018-08", "children-1-verified": "y",
          "children-2-dob": "2017-07"}, True),
        ({"new_collector": "Robert'); DROP"}, False),
        ({"new_collector": "Ola\u0007Ray"}, False),
        ({"pri_carer": "Carer 2 (Gran)", "collectors-0-name": "Ola Ray-Smith, Jr."}, True),
        ({"pri_carer": "Tess <b>Ward</b>"}, False),
    ],
)
def test_new_registration_validation(rosa, fields, passes):
    data = {} if fields == {} else new_family(**fields)
    response = rosa.post("/registrations", data=data or SAVE)
    assert (response.status_code == 302) is passes
    assert (len(registrations()) == 1) is passes


# Edit page


def test_edit_page_shows_family(rosa, store_world):
    registration = make_family_registration(store_world.elm, carers=("Tess Ward",))
    html = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    assert input_value(html, "pri_carer") == "Tess Ward"
    for name in ("new_collector", "dob_month", "dob_year", "add_child", "add_collector"):
        assert f'name="{name}"' in html
    assert "Rosa" in html
    assert "Elm Street" in html
    assert "Their RV-ID is:" in html
    assert registration.family.rvid in html
    assert "Find another family" in html


def test_edit_page_lists_children(rosa, store_world, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    dobs = [date(2024, 1, 1), date(2022, 11, 1), date(2016, 3, 1), date(2024, 10, 1)]
    registration = make_family_registration(store_world.elm, children=dobs)
    html = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    for label, month, value in [("0 yr, 5 mo", "Jan 2024", "2024-01"), ("1 yr, 7 mo", "Nov 2022", "2022-11"),
                                ("8 yr, 3 mo", "Mar 2016", "2016-03"), ("P", "Oct 2024", "2024-10")]:
        assert f"{label}</td>" in html
        assert f'<td class="month">{month}</td>' in html
        assert f'type="hidden" value="{value}"' in html
    assert "Should collect <strong>14</strong> vouchers per week" in html
    assert "Has 4 children registered, including one pregnancy." in html
    assert "1 child: under 1 year old" in html
    assert "Family: pregnant" in html


def test_edit_page_ages_at_midnight(rosa, store_world, frozen_clock):
    frozen_clock(datetime(2021, 5, 1, 0, 0))
    registration = make_family_registration(store_world.elm, children=[date(2020, 4, 1), date(2020, 5, 1), date(2020, 6, 1)])
    html = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    for label in ("1 yr, 1 mo", "1 yr, 0 mo", "0 yr, 11 mo"):
        assert f"{label}</td>" in html


def test_edit_page_shows_notices(rosa, store_world, frozen_clock):
    frozen_clock(datetime(2024, 7, 20, 9, 0))
    registration = make_family_registration(store_world.elm, children=[date(2020, 3, 1), date(2023, 8, 1)])
    html = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    assert 'id="family-warning"' in html
    assert "A child is almost primary school age" in html
    assert "A child is almost 1 year old" in html
    assert "Should collect <strong>10</strong>" in html


def test_edit_page_explains_rules(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    html = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    creditables = re.search(r'<ul id="creditables">(.*?)</ul>', html, re.S).group(1)
    assert "If child under 1 year old: 6 vouchers" in creditables
    assert "If child between 1 and start of primary school age: 4 vouchers" in creditables
    assert "If family pregnant: 4 vouchers" in creditables
    assert "If child primary school age: 0 vouchers" in html


def test_edit_page_applying_reminder(rosa, store_world):
    registration = make_family_registration(store_world.elm, hsbs="healthy-start-applying")
    assert "Please check if status has changed to receiving." in page_text(rosa.get(f"/registrations/{registration.id}/edit"))


def test_edit_page_asks_for_missing_demographics(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    html = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    assert "Please complete ethnic background." in html
    assert "Please complete main language." in html


def test_rename_main_carer(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    response = rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer="Changed Name"), follow_redirects=True)
    assert input_value(page_text(response), "pri_carer") == "Changed Name"
    assert "Changes saved." in page_text(response)


def test_update_after_logout_goes_to_login(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    data = edit_data(registration, pri_carer="Changed Name")
    rosa.post("/logout")
    response = rosa.post(f"/registrations/{registration.id}", data=data)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    db.session.expire_all()
    assert registration.family.carers[0].name == "Tess Ward"


def test_update_also_accepts_put(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    response = rosa.put(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer="Put Name"))
    assert response.status_code == 302
    db.session.expire_all()
    assert registration.family.carers[0].name == "Put Name"


def test_update_keeps_child_ids(rosa, store_world):
    registration = make_family_registration(store_world.elm, children=[date(2023, 1, 1), date(2021, 5, 1)])
    before = [child.id for child in registration.family.children]
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer="New Name"))
    db.session.expire_all()
    assert [child.id for child in registration.family.children] == before


def test_update_removes_only_ticked_child(rosa, store_world):
    registration = make_family_registration(store_world.elm, children=[date(2023, 1, 1), date(2021, 5, 1)])
    keep_id = registration.family.children[0].id
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, **{"children-1-remove": "y"}))
    db.session.expire_all()
    assert [child.id for child in registration.family.children] == [keep_id]


@pytest.mark.parametrize("version", [None, "", "0" * 32])
def test_update_without_version_refused(rosa, store_world, version):
    """A form without the fingerprint of the saved family (a page from before a release, or edited) is refused."""
    registration = make_family_registration(store_world.elm, children=[date(2023, 1, 1)])
    data = edit_data(registration, pri_carer="New Name", version=version)

    response = rosa.post(f"/registrations/{registration.id}", data=data, follow_redirects=True)

    assert "This family was changed after you opened this page" in page_text(response)
    db.session.expire_all()
    assert registration.family.carers[0].name == "Tess Ward"


@pytest.mark.parametrize("colleague", ["renames the main carer", "adds a child", "ticks ID checked", "changes eligibility"])
def test_stale_edit_form_refused(rosa, store_world, colleague):
    registration = make_family_registration(store_world.elm, carers=("Tess Ward", "Ola Ray"), children=[date(2023, 1, 1)])
    stale = edit_data(registration, pri_carer="Tess Ward-Lee")
    family = registration.family
    if colleague == "renames the main carer":
        family.carers[0].name = "Tess Warde"
    elif colleague == "adds a child":
        db.session.add(Child(family=family, dob=datetime(2020, 2, 1), born=True))
    elif colleague == "ticks ID checked":
        family.children[0].verified = True
    else:
        registration.eligibility_hsbs = "healthy-start-receiving"
    db.session.flush()
    saved = operations.edit_version(registration)

    response = rosa.post(f"/registrations/{registration.id}", data=stale, follow_redirects=True)

    db.session.expire_all()
    assert "This family was changed after you opened this page" in page_text(response)
    assert family.carers[0].name == ("Tess Warde" if colleague == "renames the main carer" else "Tess Ward")
    assert operations.edit_version(registration) == saved
    assert input_value(page_text(response), "version") == saved


def test_edit_form_saves_twice_in_a_row(rosa, store_world):
    """The version sent back after a save is the new one, so the next save from the same page works."""
    registration = make_family_registration(store_world.elm, children=[date(2023, 1, 1)])
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer="First Change"))
    db.session.expire_all()
    page = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    data = edit_data(registration, pri_carer="Second Change", version=input_value(page, "version"))

    response = rosa.post(f"/registrations/{registration.id}", data=data)

    assert response.status_code == 302
    db.session.expire_all()
    assert registration.family.carers[0].name == "Second Change"


def test_update_of_deleted_row_reports_conflict(rosa, store_world):
    registration = make_family_registration(store_world.elm, children=[date(2023, 1, 1)])
    stale = edit_data(registration, pri_carer="New Name")
    db.session.delete(registration.family.children[0])
    db.session.flush()
    response = rosa.post(f"/registrations/{registration.id}", data=stale, follow_redirects=True)
    db.session.expire_all()
    assert "This family was changed after you opened this page" in page_text(response)
    assert registration.family.carers[0].name == "Tess Ward"


def test_update_keeps_eligible_from(rosa, store_world, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    rosa.post("/registrations", data=new_family(eligibility_hsbs="healthy-start-receiving"))
    registration = registrations()[0]
    frozen_clock(datetime(2024, 7, 1, 9, 0))
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer="Other Name"))
    db.session.expire_all()
    assert registration.eligible_from == datetime(2024, 6, 15, 9, 0)


def test_update_to_applying_clears_eligible_from(rosa, store_world):
    rosa.post("/registrations", data=new_family(eligibility_hsbs="healthy-start-receiving"))
    registration = registrations()[0]
    assert registration.eligible_from is not None
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, eligibility_hsbs="healthy-start-applying"))
    db.session.expire_all()
    assert registration.eligible_from is None


def test_update_to_receiving_sets_eligible_from(rosa, store_world, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    registration = make_family_registration(store_world.elm)
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, eligibility_hsbs="healthy-start-receiving"))
    db.session.expire_all()
    assert registration.eligible_from == datetime(2024, 6, 15, 9, 0)


def test_update_main_carer_demographics(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer_ethnicity="AIND", pri_carer_language="urdu"))
    db.session.expire_all()
    carer = registration.family.carers[0]
    assert (carer.ethnicity, carer.language) == ("AIND", "urdu")
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer_ethnicity="", pri_carer_language=""))
    db.session.expire_all()
    assert (carer.ethnicity, carer.language) == (None, None)


def test_removed_collector_is_kept_as_deleted(rosa, store_world):
    registration = make_family_registration(store_world.elm, carers=("Main Carer", "Second Helper"))
    helper_id = registration.family.carers[1].id
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, **{"collectors-0-remove": "y"}))
    db.session.expire_all()
    helper = db.session.get(Carer, helper_id)
    assert helper.name == "Deleted"
    assert helper.deleted_at is not None
    html = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    assert "Deleted" not in html


def test_collectors_renamed_and_added(rosa, store_world):
    registration = make_family_registration(store_world.elm, carers=("Main Carer", "Second Helper"))
    rosa.post(
        f"/registrations/{registration.id}",
        data=edit_data(registration, **{"collectors-0-name": "Second Helper-Jones", "new_collector": "Kit Moss"}),
    )
    db.session.expire_all()
    assert [carer.name for carer in registration.family.carers] == ["Main Carer", "Second Helper-Jones", "Kit Moss"]


def test_scottish_area_offers_deferral(store_client, store_world, frozen_clock, app, monkeypatch):
    frozen_clock(datetime(2024, 7, 10, 9, 0))
    monkeypatch.setitem(app.config, "ARC_SCOTTISH_SCHOOL_MONTH", 8)
    highland = factories.make_sponsor(name="Highland")
    glen = factories.make_centre(highland, name="Glen Road")
    add_rules(highland, [(row.name, row.entity, row.purpose, row.value) for row in SCOTTISH_FAMILY])
    registration = make_family_registration(glen, children=[{"dob": datetime(2020, 6, 1), "verified": True}])
    child_id = registration.family.children[0].id
    client = log_in(store_client, factories.make_centre_user(glen))

    html = page_text(client.get(f"/registrations/{registration.id}/edit"))
    assert "4 yr, 1 mo</td>" in html
    assert "Jun 2020" in html
    assert 'value="2020-06"' in html
    assert 'id="children-0-deferred"' in html
    assert "A child is able to defer (SCOTLAND)" in html

    response = client.post(f"/registrations/{registration.id}", data=edit_data(registration, **{"children-0-deferred": "y"}))
    db.session.expire_all()
    assert response.headers["Location"] == f"/registrations/{registration.id}/edit"
    assert [(child.id, child.deferred, child.verified) for child in registration.family.children] == [(child_id, True, True)]


def test_update_without_id_column_keeps_verification(rosa, store_world):
    registration = make_family_registration(store_world.elm, children=[{"dob": datetime(2023, 1, 1), "verified": True}])
    rosa.post(f"/registrations/{registration.id}", data=edit_data(registration))
    db.session.expire_all()
    assert registration.family.children[0].verified is True


# Form validation of an update (true = passes)


@pytest.mark.parametrize(
    "fields, passes",
    [
        ({}, True),
        ({"eligibility_hsbs": "healthy-start-applying", "eligibility_nrpf": "yes"}, True),
        ({"pri_carer": ""}, False),
        ({"eligibility_hsbs": ""}, False),
        ({"eligibility_hsbs": "hello"}, False),
        ({"collectors-0-name": "Ola Ray", "collectors-1-name": "Pia Lund"}, True),
        ({"collectors-0-name": ""}, False),
        ({"collectors-0-name": "1", "collectors-1-name": "2"}, False),
        ({"new_collector": "Ola Ray"}, True),
        ({"new_collector": "1234"}, False),
        ({"children-0-dob": "2019-09", "children-1-dob": "2018-08", "children-2-dob": "2017-07"}, True),
        ({"children-0-dob": "2019-09", "children-0-verified": "y", "children-1-dob": "2018-08"}, True),
        ({"children-0-dob": "", "children-0-verified": "y"}, False),
    ],
)
def test_update_validation(rosa, store_world, fields, passes):
    registration = make_family_registration(store_world.elm, carers=("Tess Ward",))
    response = rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, **fields))
    assert (response.status_code == 302) is passes, page_text(response)[-2000:]


def test_update_of_left_family_is_forbidden(rosa, store_world):
    registration = make_family_registration(store_world.elm, leaving_on=datetime(2024, 1, 1), leaving_reason="no attendance")
    response = rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer="Changed"))
    assert response.status_code == 403
    db.session.expire_all()
    assert registration.family.carers[0].name == "Tess Ward"


def test_edit_page_of_left_family_offers_rejoin(rosa, store_world):
    registration = make_family_registration(store_world.elm, leaving_on=datetime(2024, 1, 1), leaving_reason="no attendance")
    html = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    assert "left the project on 01-01-2024" in html
    assert f'action="/registrations/{registration.id}/rejoin"' in html
    assert 'value="Save changes"' not in html
    assert "Remove this family" not in html


# Leaving


def test_leave_with_invalid_reason(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    response = rosa.post(f"/registrations/{registration.id}/family", data={"leaving_reason": "Not a real reason"})
    assert response.status_code == 422
    assert "The selected leaving reason is invalid." in page_text(response)
    db.session.expire_all()
    assert registration.family.leaving_on is None


def test_leave_without_reason(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    response = rosa.post(f"/registrations/{registration.id}/family", data={"leaving_reason": ""})
    html = page_text(response)
    assert "The leaving reason field is required." in html
    assert "Reason for leaving" in html
    assert "Remove this family" in html
    db.session.expire_all()
    assert registration.family.leaving_on is None


def test_leave_family(rosa, store_world, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    registration = make_family_registration(store_world.elm)
    response = rosa.post(f"/registrations/{registration.id}/family", data={"leaving_reason": "moving out of centre area"})
    db.session.expire_all()
    assert response.status_code == 302
    assert response.headers["Location"] == "/registrations"
    family = registration.family
    assert (family.leave_amount, family.leaving_on, family.leaving_reason) == (1, datetime(2024, 6, 15, 9, 0), "moving out of centre area")
    assert "You have just marked Tess Ward as leaving the project." in page_text(rosa.get("/registrations"))


def test_left_family_cannot_leave_again(rosa, store_world):
    registration = make_family_registration(store_world.elm, leaving_on=datetime(2024, 1, 1), leaving_reason="no attendance")
    response = rosa.post(f"/registrations/{registration.id}/family", data={"leaving_reason": "found employment"}, follow_redirects=True)
    assert "This family has already left the project." in page_text(response)
    db.session.expire_all()
    family = registration.family
    assert (family.leave_amount, family.leaving_on, family.leaving_reason) == (1, datetime(2024, 1, 1), "no attendance")


@pytest.mark.parametrize("who, status", [("rosa", 302), ("nina", 302), ("uma", 403)])
def test_leave_route_by_user(store_client, store_world, who, status):
    registration = make_family_registration(store_world.elm)
    log_in(store_client, getattr(store_world, who))
    response = store_client.put(f"/registrations/{registration.id}/family", data={"leaving_reason": "found employment"})
    assert response.status_code == status


def test_leave_route_get_is_not_an_error(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    response = rosa.get(f"/registrations/{registration.id}/family", follow_redirects=True)
    assert response.status_code == 200


# Left family view and rejoin


@pytest.fixture
def left_registration(store_world, frozen_clock):
    frozen_clock(datetime(2023, 2, 14, 9, 30))
    return make_family_registration(
        store_world.elm,
        children=[date(2020, 1, 1), date(2021, 1, 1), date(2022, 1, 1)],
        leaving_on=datetime(2023, 1, 15, 10, 0),
        leaving_reason="moving out of centre area",
    )


def test_view_page_of_left_family(rosa, left_registration):
    html = page_text(rosa.get(f"/registrations/{left_registration.id}/view"))
    assert "<strong>Tess Ward</strong>" in html
    assert "This family has 3 children and left the project on 15-01-2023" in html
    assert " yr, " not in html
    assert "Jan 2020" not in html
    assert 'type="hidden" value="2020-01"' not in html


def test_rejoin(rosa, left_registration):
    response = rosa.post(f"/registrations/{left_registration.id}/rejoin")
    db.session.expire_all()
    family = left_registration.family
    assert response.headers["Location"] == f"/registrations/{left_registration.id}/edit"
    assert family.rejoin_on == datetime(2023, 2, 14, 9, 30)
    assert family.is_active
    assert (family.leaving_reason, family.leave_amount) == ("moving out of centre area", 1)


def test_rejoin_active_family_is_refused(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    response = rosa.post(f"/registrations/{registration.id}/rejoin", follow_redirects=True)
    assert "This family has not left the project, so it cannot rejoin." in page_text(response)
    db.session.expire_all()
    assert registration.family.rejoin_on is None


def test_view_page_of_active_family_redirects_to_edit(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    response = rosa.get(f"/registrations/{registration.id}/view")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/registrations/{registration.id}/edit"


def test_leave_and_rejoin_in_the_same_second(rosa, store_world, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    registration = make_family_registration(store_world.elm)
    rosa.post(f"/registrations/{registration.id}/family", data={"leaving_reason": "no attendance"})
    rosa.post(f"/registrations/{registration.id}/rejoin")
    db.session.expire_all()
    assert registration.family.is_active
    rosa.post(f"/registrations/{registration.id}/family", data={"leaving_reason": "no attendance"})
    db.session.expire_all()
    assert not registration.family.is_active
    assert registration.family.leave_amount == 2


# Search


def test_search_lists_area_families(rosa, store_world):
    elm_rows = [make_family_registration(store_world.elm, carers=(f"Carer {n}",)) for n in range(4)]
    make_family_registration(store_world.pine, carers=("Pine Person",))
    html = page_text(rosa.get("/registrations"))
    assert "Rosa" in html
    for registration in elm_rows:
        assert f'href="/registrations/{registration.id}/edit"' in html
    assert "Pine Person" not in html
    assert "Vouchers" in html
    assert f'href="/registrations/{elm_rows[0].id}/voucher-manager"' in html


def test_search_orders_names_naturally(rosa, store_world):
    for name in ("Ann 10", "bea", "Ann 2", "Cal", "Abe"):
        make_family_registration(store_world.elm, carers=(name,))
    html = page_text(rosa.get("/registrations"))
    cells = re.findall(r'<td class="pri_carer">\s*([^<]+?)\s*<', html)
    assert cells == ["Abe", "Ann 2", "Ann 10", "bea", "Cal"]
    descending = re.findall(r'<td class="pri_carer">\s*([^<]+?)\s*<', page_text(rosa.get("/registrations?direction=desc")))
    assert descending == list(reversed(cells))


def test_search_pages_of_ten(rosa, store_world):
    for n in range(15):
        make_family_registration(store_world.elm, carers=(f"Carer {n:02d}",))
    first = page_text(rosa.get("/registrations"))
    second = page_text(rosa.get("/registrations?page=2"))
    beyond = rosa.get("/registrations?page=9")
    assert first.count('<td class="pri_carer">') == 10
    assert "Showing 1 to 10 of 15 results" in first
    assert second.count('<td class="pri_carer">') == 5
    assert "Showing 11 to 15 of 15 results" in second
    assert beyond.status_code == 200
    assert "Showing 0 to 0 of 15 results" in page_text(beyond)


def test_search_exactly_ten(rosa, store_world):
    for n in range(10):
        make_family_registration(store_world.elm, carers=(f"Carer {n}",))
    assert page_text(rosa.get("/registrations")).count('<td class="pri_carer">') == 10


def test_search_hides_left_families(rosa, store_world):
    for n in range(9):
        make_family_registration(store_world.elm, carers=(f"Carer {n}",))
    make_family_registration(store_world.elm, carers=("Gone Away",), leaving_on=datetime(2024, 1, 1), leaving_reason="no attendance")
    default = page_text(rosa.get("/registrations"))
    with_left = page_text(rosa.get("/registrations?families_left=1"))
    assert "Gone Away" not in default
    assert with_left.count('<tr class="inactive">') == 1
    assert with_left.count('<tr class="active">') == 9
    assert 'aria-disabled="true">Vouchers' in with_left


def test_search_by_name(rosa, store_world):
    make_family_registration(store_world.elm, carers=("Tess Ward",))
    make_family_registration(store_world.elm, carers=("Kit Moss",))
    exact = page_text(rosa.get("/registrations?family_name=tess+ward"))
    nobody = page_text(rosa.get("/registrations?family_name=Nobody+Here"))
    reversed_words = page_text(rosa.get("/registrations?family_name=Ward+Tess&fuzzy=1"))
    assert "Tess Ward" in exact
    assert "Kit Moss" not in exact
    assert "Tess Ward" not in nobody
    assert "Kit Moss" not in nobody
    assert "No families match" in nobody
    assert "Tess Ward" in reversed_words
    assert "Kit Moss" not in reversed_words


def test_search_wildcards_are_literal(rosa, store_world):
    make_family_registration(store_world.elm, carers=("Tess Ward",))
    assert "Tess Ward" not in page_text(rosa.get("/registrations?family_name=%25"))
    assert "Tess Ward" not in page_text(rosa.get("/registrations?family_name=T_ss"))


def test_search_by_other_carer_name_does_not_match(rosa, store_world):
    make_family_registration(store_world.elm, carers=("Tess Ward", "Kit Moss"))
    assert "Tess Ward" not in page_text(rosa.get("/registrations?family_name=Kit"))


def test_search_user_without_centres_sees_nothing(store_client, store_world):
    from arc.centres.models import centre_centre_user

    make_family_registration(store_world.elm)
    user = factories.make_centre_user()
    db.session.execute(centre_centre_user.delete().where(centre_centre_user.c.centre_user_id == user.id))
    log_in(store_client, user)
    html = page_text(store_client.get("/registrations"))
    assert "Showing 0 to 0 of 0 results" in html
    assert "Tess Ward" not in html


def test_search_centre_parameter_narrows(rosa, store_world):
    make_family_registration(store_world.elm, carers=("Elm Person",))
    make_family_registration(store_world.oak, carers=("Oak Person",))
    make_family_registration(store_world.pine, carers=("Pine Person",))
    both = page_text(rosa.get("/registrations"))
    oak_only = page_text(rosa.get(f"/registrations?centre={store_world.oak.id}"))
    foreign = page_text(rosa.get(f"/registrations?centre={store_world.pine.id}"))
    assert "Elm Person" in both
    assert "Oak Person" in both
    assert '<div class="secondary_info">Oak Lane</div>' in both
    assert "Oak Person" in oak_only
    assert "Elm Person" not in oak_only
    assert '<div class="secondary_info">' not in oak_only
    assert "Pine Person" not in foreign


def test_family_with_two_registrations_lists_both(rosa, store_world):
    registration = make_family_registration(store_world.elm)
    db.session.add(Registration(family=registration.family, centre_id=store_world.oak.id))
    db.session.flush()
    assert page_text(rosa.get("/registrations")).count('<td class="pri_carer">') == 2


def test_search_ignores_invalid_parameters(rosa, store_world):
    make_family_registration(store_world.elm)
    response = rosa.get("/registrations?page=abc&centre=-3&direction=sideways&fuzzy=maybe")
    assert response.status_code == 200
    assert "Tess Ward" in page_text(response)


def test_unknown_family_has_no_rvid(db):
    family = Family()
    db.session.add(family)
    db.session.flush()
    assert family.rvid == "UNKNOWN"


# Social Prescribing pages and form tokens


def test_social_prescribing_edit_page(store_client, db, frozen_clock):
    frozen_clock(datetime(2024, 6, 15, 9, 0))
    area = factories.make_sponsor(programme=1)
    from arc.entitlement import social_prescribing

    add_rules(area, [(row.name, row.entity, row.purpose, row.value) for row in social_prescribing()])
    centre = factories.make_centre(area)
    registration = make_family_registration(
        centre, carers=("Sol Reed",), hsbs=None, nrpf=None,
        children=[{"dob": datetime(1983, 6, 1), "is_pri_carer": True}, date(2015, 6, 1)],
    )
    log_in(store_client, factories.make_centre_user(centre))
    html = page_text(store_client.get(f"/registrations/{registration.id}/edit"))
    assert "Main participant&#39;s full name" in html
    assert "41 yr" in html
    assert "9 yr" in html
    assert "Should collect <strong>17</strong> vouchers per week" in html
    assert 'name="eligibility_hsbs"' not in html
    assert "/print" not in html
    assert "Remove this household" in html

    response = store_client.post(f"/registrations/{registration.id}", data={
        "pri_carer": "Sol Reed", "children-0-id": str(registration.family.children[0].id), "children-0-dob": "1983-06",
        "children-0-is_pri_carer": "1", "children-1-id": str(registration.family.children[1].id), "children-1-dob": "2015-06",
        "children-1-is_pri_carer": "0", "version": input_value(html, "version"), **SAVE,
    })
    assert response.status_code == 302
    db.session.expire_all()
    assert [child.is_pri_carer for child in registration.family.children] == [True, False]


def test_leaving_needs_form_token(rosa, store_world, csrf_enabled):
    registration = make_family_registration(store_world.elm)
    edit_page = page_text(rosa.get(f"/registrations/{registration.id}/edit"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', edit_page).group(1)

    refused = rosa.post(f"/registrations/{registration.id}/family", data={"leaving_reason": "no attendance"})
    db.session.expire_all()
    assert refused.status_code == 302
    assert registration.family.leaving_on is None

    accepted = rosa.post(f"/registrations/{registration.id}/family", data={"leaving_reason": "no attendance", "csrf_token": token})
    db.session.expire_all()
    assert accepted.headers["Location"] == "/registrations"
    assert registration.family.leaving_on is not None


@pytest.mark.parametrize(
    "cause, message, attempts",
    [
        (Exception("database is locked"), "The database is not available just now", 1),
        (pymysql.err.OperationalError(1213, "Deadlock found"),
         "Other changes to the same records were being saved at the same moment", database.DEADLOCK_ATTEMPTS),
    ],
)
def test_failed_write_shows_unavailable_page(rosa, store_world, monkeypatch, cause, message, attempts):
    """A write that fails inside the database leaves the session needing a rollback; the error page still renders.

    A deadlock is first run again, up to the attempt limit.
    """
    monkeypatch.setattr(database, "DEADLOCK_PAUSE", (0, 0))
    registration = make_family_registration(store_world.elm, children=[date(2023, 1, 1)])
    data = edit_data(registration, pri_carer="New Name")
    flushes = []

    def fail(session, context):
        flushes.append(1)
        raise OperationalError("UPDATE carers", {}, cause)

    event.listen(Session, "after_flush", fail)
    try:
        response = rosa.post(f"/registrations/{registration.id}", data=data)
    finally:
        event.remove(Session, "after_flush", fail)

    assert response.status_code == 503
    assert message in page_text(response)
    assert len(flushes) == attempts
    db.session.expire_all()
    assert registration.family.carers[0].name == "Tess Ward"


def test_saved_unusual_names_still_save(rosa, store_world):
    registration = make_family_registration(store_world.elm, carers=("Carer #3 ", 'Gran "Nana" #2'))

    unchanged = rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, eligibility_nrpf="yes"))
    renamed = rosa.post(
        f"/registrations/{registration.id}", data=edit_data(registration, **{"collectors-0-name": 'Gran "Nan" #2'})
    )

    assert unchanged.status_code == 302
    assert renamed.status_code == 422
    db.session.expire_all()
    assert [carer.name for carer in registration.family.carers] == ["Carer #3", 'Gran "Nana" #2']


@pytest.mark.parametrize("separator", ["\u2028", "\u00a0", "  "])
def test_saved_name_respaced_is_a_change(rosa, store_world, separator):
    registration = make_family_registration(store_world.elm, carers=("Tess #Ward",))

    response = rosa.post(f"/registrations/{registration.id}", data=edit_data(registration, pri_carer=f"Tess{separator}#Ward"))

    assert response.status_code == 422
    db.session.expire_all()
    assert registration.family.carers[0].name == "Tess #Ward"


def test_new_collector_gets_no_saved_name_allowance(rosa, store_world):
    registration = make_family_registration(store_world.elm, carers=("Carer #2",))
    data = edit_data(registration, new_collector="Carer #2", add_collector="y", save=None)

    response = rosa.post(f"/registrations/{registration.id}", data=data)

    assert "The collector&#39;s name can only contain" in page_text(response)
