"""Unusual numbers in store requests are treated as absent or invalid, never as a server error."""

import pytest


@pytest.mark.parametrize("query", ["page=²", "centre=²", "page=" + "9" * 5000, "page=-1"])
def test_registration_list_ignores_odd_numbers(logged_in_centre_user, query):
    response = logged_in_centre_user.get(f"/registrations?{query}")

    assert response.status_code == 200


@pytest.mark.parametrize("field,value", [("dob_month", "²"), ("dob_year", "²⁰²⁴"), ("children-0-id", "²")])
def test_create_form_with_odd_digits_is_not_a_server_error(logged_in_centre_user, field, value):
    response = logged_in_centre_user.post("/registrations", data={"carer": "Ann Lee", field: value})

    assert response.status_code < 500
