"""The printable PDF sheets: one family's form, every form of a centre, and a centre's weekly collection sheet."""

import io
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from arc.centres.models import centre_centre_user
from arc.entitlement import evaluate_family, family_input_from
from arc.extensions import db
from arc.registrations import printouts
from arc.registrations.entitlements import rules_for_registration
from tests import factories
from tests.store.voucher_data import log_in, make_registration, make_world

# Fri 15 Mar 2024, the date of the mixed-family example.
MARCH_15 = date(2024, 3, 15)
A4_LANDSCAPE = (842, 595)


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def rosa(store_client, world):
    return log_in(store_client, world.rosa)


def pdf_pages(response):
    """Return the text of each page of a PDF response, with runs of whitespace made single spaces."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_reader(response):
    return PdfReader(io.BytesIO(response.data))


def attachment_name(response):
    return re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"]).group(1)


def mixed_family(world):
    """Ava under one, Ben a toddler, Cal at primary school and a pregnancy, on 15 Mar 2024."""
    return make_registration(
        world.elm,
        ("Zoë O'Neill-Ash", "Kit Moss"),
        dobs=(date(2023, 6, 1), date(2021, 10, 1), date(2019, 5, 1), date(2024, 7, 1)),
    )


def test_reason_lines_of_mixed_family(world):
    registration = mixed_family(world)

    sheet = printouts.family_sheet(registration, "Elm Street", MARCH_15)

    assert sheet.entitlement == 14
    assert sheet.reasons == (
        "6 vouchers because one child is under 1 year old",
        "4 vouchers because one child is between 1 and start of primary school age",
        "4 vouchers because someone in the family is pregnant",
    )
    assert sheet.reminders == ()
    assert sheet.main_carer_name == "Zoë O'Neill-Ash"


def test_reason_lines_count_several_children(world):
    registration = make_registration(world.elm, dobs=(date(2022, 1, 1), date(2021, 11, 1)))

    sheet = printouts.family_sheet(registration, "Elm Street", MARCH_15)

    assert sheet.reasons == ("8 vouchers because 2 children are between 1 and start of primary school age",)


def test_reminders_are_worded_notices(world):
    # Dan is almost primary school age and Eve almost one on 20 Jul 2024.
    registration = make_registration(world.elm, dobs=(date(2020, 3, 1), date(2023, 8, 1)))

    sheet = printouts.family_sheet(registration, "Elm Street", date(2024, 7, 20))

    assert set(sheet.reminders) == {"A child is almost primary school age", "A child is almost 1 year old"}


def test_reason_lines_of_household(world):
    household = make_registration(
        world.quay,
        ("Ray Reed",),
        dobs=((date(1983, 3, 1), {"is_pri_carer": True}), date(2015, 3, 1), date(1952, 3, 1)),
    )

    sheet = printouts.family_sheet(household, "Quay House", MARCH_15)

    assert sheet.entitlement == 24
    assert set(sheet.reasons) == {
        "21 vouchers because 3 participants are members of the household",
        "10 vouchers because the household exists",
        "7 vouchers taken off because the household's vouchers already cover the main participant",
    }
    result = evaluate_family(family_input_from(household.family), rules_for_registration(household), MARCH_15)
    assert result.weekly_total == 24


def test_family_form_pdf(rosa, world):
    registration = mixed_family(world)

    response = rosa.get(f"/registrations/{registration.id}/print")

    [text] = pdf_pages(response)
    assert re.fullmatch(r"Registration\d{14}\.pdf", attachment_name(response))
    assert pdf_reader(response).metadata.title == "Printable Family Sheet"
    assert "Page: 1 of 1" in text
    assert "Main Carer's Name: Zoë O'Neill-Ash" in text
    assert "Children's Centre Name: Elm Street" in text
    assert f"Their RV-ID is: {registration.family.rvid}" in text
    assert "This family should collect" in text
    assert "RV-ID Voucher allocation Vouchers given out Voucher numbers Date collected Signature" in text
    assert "Please do not photocopy blank copies" in text
    assert "every 4 weeks" in text


def test_family_form_is_a4_landscape(rosa, world):
    registration = mixed_family(world)

    page = pdf_reader(rosa.get(f"/registrations/{registration.id}/print")).pages[0]

    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_LANDSCAPE


def test_family_form_without_notices_says_so(rosa, world):
    registration = make_registration(world.elm, dobs=(date(2023, 1, 1),))

    [text] = pdf_pages(rosa.get(f"/registrations/{registration.id}/print"))

    assert "No reminders for this family." in text


def test_family_form_of_other_area_forbidden(store_client, world):
    registration = mixed_family(world)
    log_in(store_client, world.uma)

    assert store_client.get(f"/registrations/{registration.id}/print").status_code == 403


def test_batch_prints_active_families_of_current_centre(rosa, world):
    make_registration(world.elm, ("Ann 10",), dobs=(date(2023, 1, 1),))
    make_registration(world.elm, ("ann 2",), dobs=(date(2023, 1, 1),))
    make_registration(world.elm, ("Bea Cole",), dobs=(date(2023, 1, 1),))
    make_registration(world.elm, ("Left Family",), family_fields={"leaving_on": datetime(2024, 1, 5)})
    make_registration(world.oak, ("Oak Neighbour",))

    response = rosa.get("/registrations/print")

    pages = pdf_pages(response)
    assert re.fullmatch(r"Registrations_\d{14}\.pdf", attachment_name(response))
    assert [re.search(r"Main Carer's Name: (.+?) Children's", text).group(1) for text in pages] == [
        "ann 2", "Ann 10", "Bea Cole"
    ]
    assert [f"Page: {number} of 3" in text for number, text in enumerate(pages, start=1)] == [True] * 3
    assert all("Children's Centre Name: Elm Street" in text for text in pages)


def test_batch_for_centre_without_families_redirects(rosa, world):
    response = rosa.get("/registrations/print", follow_redirects=True)

    assert response.request.path == "/dashboard"
    assert "No Registrations in that centre: Elm Street has no active families to print forms for." in response.get_data(
        as_text=True
    )


def test_batch_without_current_centre_redirects(store_client, world):
    worker = factories.make_centre_user(world.elm, name="No Home")
    db.session.execute(
        centre_centre_user.update().where(centre_centre_user.c.centre_user_id == worker.id).values(homeCentre=False)
    )
    log_in(store_client, worker)

    response = store_client.get("/registrations/print", follow_redirects=True)

    assert response.request.path == "/dashboard"
    assert "There is no centre to print family forms for" in response.get_data(as_text=True)


def test_collection_sheet_lists_active_families(rosa, world):
    make_registration(world.elm, ("zed Young",), dobs=(date(2023, 1, 1),))
    make_registration(world.elm, ("Zoë O'Neill-Ash",), dobs=(date(2022, 1, 1),))
    make_registration(world.elm, ("Amy Brook",), dobs=(date(2022, 1, 1), date(2023, 1, 1)))
    make_registration(world.elm, ("Left Family",), family_fields={"leaving_on": datetime(2024, 1, 5)})

    response = rosa.get(f"/centres/{world.elm.id}/registrations/collection")

    [text] = pdf_pages(response)
    assert attachment_name(response).startswith(f"CC{world.elm.id}Regs_")
    assert pdf_reader(response).metadata.title == "Printable Register"
    assert "Weekly Voucher Collection Sheet" in text
    assert "Distribution Centre: Elm Street" in text
    assert "Week commencing" in text
    assert text.index("Amy Brook") < text.index("zed Young") < text.index("Zoë O'Neill-Ash")
    assert "Left Family" not in text
    assert "Hints & Tips" in text
    assert "Attention" in text
    assert "Page: 1 of 1" in text


def test_collection_sheet_numbers_every_page(rosa, world):
    for number in range(40):
        make_registration(world.elm, (f"Carer {number:02d}",), dobs=(date(2023, 1, 1),))

    pages = pdf_pages(rosa.get(f"/centres/{world.elm.id}/registrations/collection"))

    assert len(pages) > 1
    assert [f"Page: {number} of {len(pages)}" in text for number, text in enumerate(pages, start=1)] == [True] * len(pages)
    assert all(f"Carer {number:02d}" in " ".join(pages) for number in range(40))


def test_collection_rows_flag_families_with_notices(world):
    quiet = make_registration(world.elm, ("Quiet",), dobs=(date(2022, 1, 1),))
    busy = make_registration(world.elm, ("Busy",), dobs=(date(2020, 3, 1), date(2023, 8, 1)))

    rows = printouts.collection_rows([quiet, busy], date(2024, 7, 20))

    assert [(row.main_carer_name, row.needs_attention) for row in rows] == [("Quiet", False), ("Busy", True)]
    assert [row.entitlement for row in rows] == [4, 10]


def test_household_collection_sheet_shows_names(store_client, world):
    worker = factories.make_centre_user(world.quay, name="Sol Rivers")
    make_registration(world.quay, ("Ray Reed",), dobs=((date(1983, 3, 1), {"is_pri_carer": True}),))
    log_in(store_client, worker)

    [text] = pdf_pages(store_client.get(f"/centres/{world.quay.id}/registrations/collection"))

    assert "Ray Reed" in text
    assert "Centre: Quay House" in text
    assert "Children's Centre" not in text
    assert "Initials of person who collected" in text
    assert "Attention" not in text


def test_collection_sheet_without_families_redirects(rosa, world):
    response = rosa.get(f"/centres/{world.oak.id}/registrations/collection", follow_redirects=True)

    assert response.request.path == "/dashboard"
    assert "Oak Lane has no active families" in response.get_data(as_text=True)


@pytest.mark.parametrize(("centre", "status"), [("pine", 403), (None, 404)])
def test_collection_sheet_of_other_or_unknown_centre(rosa, world, centre, status):
    centre_id = getattr(world, centre).id if centre else 999999

    assert rosa.get(f"/centres/{centre_id}/registrations/collection").status_code == status
