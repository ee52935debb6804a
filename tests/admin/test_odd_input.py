"""Odd input on the admin pages gets a 404 or a message on the form, never a server error."""

import pytest
import sqlalchemy as sa

from arc.extensions import db
from arc.users.models import CentreUser
from arc.vouchers.models import Voucher
from tests import factories

HUGE = "9" * 24


@pytest.mark.parametrize(
    "path",
    [f"/vouchers/{HUGE}", f"/payments/trader-payment-history/{HUGE}", f"/data/vouchers/{HUGE}", f"/workers/{HUGE}/edit"],
)
def test_id_too_large_for_the_database_is_404(logged_in_admin, path):
    assert logged_in_admin.get(path).status_code == 404


def test_history_page_too_large_is_not_an_error(logged_in_admin, db):
    trader = factories.make_trader()

    response = logged_in_admin.get(f"/payments/trader-payment-history/{trader.id}?page={HUGE}")

    assert response.status_code == 200


def test_batch_for_area_without_valid_prefix_is_a_message(logged_in_admin, db):
    sponsor = factories.make_sponsor()
    sponsor.shortcode = ""
    db.session.flush()

    response = logged_in_admin.post("/vouchers", data={"sponsor_id": str(sponsor.id), "start": "1", "end": "3"})

    assert response.status_code == 422
    assert "has no valid voucher prefix" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Voucher).where(Voucher.sponsor_id == sponsor.id)) == 0


def test_batch_codes_are_upper_case_for_a_lower_case_prefix(logged_in_admin, db):
    sponsor = factories.make_sponsor(shortcode="lowc")

    response = logged_in_admin.post("/vouchers", data={"sponsor_id": str(sponsor.id), "start": "1", "end": "2"})

    codes = db.session.scalars(sa.select(Voucher.code).where(Voucher.sponsor_id == sponsor.id).order_by(Voucher.code))
    assert response.status_code == 302
    assert list(codes) == ["LOWC00001", "LOWC00002"]


@pytest.mark.parametrize("name", ["   ", "\x00nul"])
def test_worker_name_must_be_real_text(logged_in_admin, db, name):
    centre = factories.make_centre()

    response = logged_in_admin.post(
        "/workers", data={"name": name, "email": "blank@example.org", "worker_centre": str(centre.id)}
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(CentreUser).where(CentreUser.email == "blank@example.org")) is None
