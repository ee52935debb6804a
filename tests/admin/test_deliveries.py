"""Deliveries: sending a range of printed vouchers to a centre, and the list of what was sent."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from arc import clock
from arc.extensions import db
from arc.vouchers import deliveries
from arc.vouchers.codes import VoucherRange
from arc.vouchers.models import Delivery, Voucher
from tests import factories
from tests.admin.voucher_data import cell_texts, history_of, make_vouchers, move, page_of, states_by_code, text_of


@pytest.fixture
def tst(db):
    return factories.make_sponsor(shortcode="TST", name="Testshire")


@pytest.fixture
def centre(tst):
    return factories.make_centre(sponsor=tst, name="Acacia Road")


@pytest.fixture
def printed_runs(tst):
    """Printed, undelivered TST0101-0105, TST0201-0205 and TST0301-0305."""
    codes = [f"TST0{base + offset}" for base in (101, 201, 301) for offset in range(5)]
    return {voucher.code: voucher for voucher in make_vouchers(tst, codes)}


def delivery_form(centre, start="TST0102", end="TST0104", sent=None):
    return {
        "centre": str(centre.id),
        "voucher-start": start,
        "voucher-end": end,
        "date-sent": (sent or clock.today()).isoformat(),
    }


# Creating a delivery.


def test_create_delivery_dispatches_range(printed_runs, tst, centre, admin_user):
    sent_on = clock.today() - timedelta(days=2)

    delivery, count = deliveries.create_delivery(centre, tst.id, VoucherRange("TST", 102, 104), sent_on, admin_user)

    assert count == 3
    assert delivery.range == "TST102 - TST104"
    assert delivery.centre_id == centre.id
    assert delivery.dispatched_at.date() == sent_on
    dispatched = db.session.scalars(sa.select(Voucher).where(Voucher.delivery_id == delivery.id)).all()
    assert sorted(voucher.code for voucher in dispatched) == ["TST0102", "TST0103", "TST0104"]
    assert {voucher.currentstate for voucher in dispatched} == {"dispatched"}
    assert states_by_code()["TST0101"] == states_by_code()["TST0105"] == "printed"


def test_create_delivery_history_has_real_from(printed_runs, tst, centre, admin_user):
    delivery, _count = deliveries.create_delivery(
        centre, tst.id, VoucherRange("TST", 102, 102), clock.today(), admin_user
    )

    [row] = history_of("TST0102")
    assert (row.transition, row.from_state, row.to_state) == ("dispatch", "printed", "dispatched")
    assert (row.user_id, row.user_type) == (admin_user.id, "AdminUser")
    assert row.created_at == delivery.created_at


def test_create_delivery_of_one_voucher(printed_runs, tst, centre, admin_user):
    delivery, count = deliveries.create_delivery(
        centre, tst.id, VoucherRange("TST", 205, 205), clock.today(), admin_user
    )

    assert count == 1
    assert delivery.range == "TST205 - TST205"


def test_create_delivery_rejects_delivered_voucher(printed_runs, tst, centre, admin_user):
    deliveries.create_delivery(centre, tst.id, VoucherRange("TST", 103, 103), clock.today(), admin_user)

    with pytest.raises(deliveries.RangeNotDeliverable) as raised:
        deliveries.create_delivery(centre, tst.id, VoucherRange("TST", 102, 104), clock.today(), admin_user)

    assert raised.value.problems == ["1 voucher cannot be sent: TST0103 (already delivered)."]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 1
    assert states_by_code()["TST0102"] == "printed"


def test_create_delivery_rejects_gap_in_range(printed_runs, tst, centre, admin_user):
    with pytest.raises(deliveries.RangeNotDeliverable) as raised:
        deliveries.create_delivery(centre, tst.id, VoucherRange("TST", 104, 202), clock.today(), admin_user)

    [problem] = raised.value.problems
    assert problem.startswith("95 numbers of the range have no voucher: TST106, TST107,")
    assert "and 85 more" in problem
    assert set(states_by_code().values()) == {"printed"}


def test_create_delivery_rejects_voucher_not_printed(printed_runs, tst, centre, admin_user):
    move(printed_runs["TST0302"], ["collect"])

    with pytest.raises(deliveries.RangeNotDeliverable) as raised:
        deliveries.create_delivery(centre, tst.id, VoucherRange("TST", 301, 305), clock.today(), admin_user)

    assert raised.value.problems == ["1 voucher cannot be sent: TST0302 (recorded)."]


def test_create_delivery_rejects_deleted_voucher(printed_runs, tst, centre, admin_user):
    printed_runs["TST0202"].deleted_at = clock.now()
    db.session.flush()

    with pytest.raises(deliveries.RangeNotDeliverable):
        deliveries.create_delivery(centre, tst.id, VoucherRange("TST", 201, 203), clock.today(), admin_user)


# Listing deliveries.


@pytest.fixture
def three_deliveries(db):
    """Deliveries to Adriatic (yesterday), Zanzibar (tomorrow) and Medditeranean (now), in that order."""
    sponsor = factories.make_sponsor()
    now = clock.now()
    made = []
    for name, dispatched_at, text in (
        ("Adriatic", now - timedelta(days=1), "ABC101-ABC200"),
        ("Zanzibar", now + timedelta(days=1), "XYZ101-XYZ200"),
        ("Medditeranean", now, "ABC201-ABC300"),
    ):
        centre = factories.make_centre(sponsor=sponsor, name=name)
        delivery = Delivery(centre_id=centre.id, range=text, dispatched_at=dispatched_at)
        db.session.add(delivery)
        db.session.flush()
        made.append(delivery)
    return made


@pytest.mark.parametrize("order_by", ["centre", "dispatchDate", "range"])
def test_list_deliveries_sorts_each_way(three_deliveries, order_by):
    adriatic, zanzibar, medditeranean = three_deliveries

    ascending = deliveries.list_deliveries(order_by, "asc").deliveries
    descending = deliveries.list_deliveries(order_by, "desc").deliveries

    assert ascending == [adriatic, medditeranean, zanzibar]
    assert descending == [zanzibar, medditeranean, adriatic]


def test_list_deliveries_pages_and_counts(three_deliveries, tst, centre, admin_user):
    make_vouchers(tst, ["TST0001", "TST0002"])
    delivery, _count = deliveries.create_delivery(centre, tst.id, VoucherRange("TST", 1, 2), clock.today(), admin_user)

    second = deliveries.list_deliveries("dispatchDate", "asc", page=2, per_page=2)

    assert second.total == 4
    assert second.last_page == 2
    assert len(second.deliveries) == 2
    assert second.voucher_counts == {delivery.id: 2}


def test_list_deliveries_rejects_unknown_order(db):
    with pytest.raises(ValueError):
        deliveries.list_deliveries("id", "asc")


# The pages.


def test_send_form_lists_centres_in_order(logged_in_admin, db):
    sponsor = factories.make_sponsor(name="One Area")
    names = ["Acacia Road", "Birch Lane", "Cedar Close", "Damson Way", "Elm Row"]
    for name in names:
        factories.make_centre(sponsor=sponsor, name=name)

    response = logged_in_admin.get("/deliveries/create")

    page = page_of(response)
    assert response.status_code == 200
    assert page.find("h1").text == "Send vouchers"
    assert "Choose the children's centre" in page.find("p", id="delivery-instructions").text
    assert page.find("label", **{"for": "centre"}).text == "Centre"
    assert page.find("select", name="centre") is not None
    assert page.find("label", **{"for": "voucher-start"}).text == "Start voucher"
    assert page.find("label", **{"for": "voucher-end"}).text == "End voucher"
    assert page.find("label", **{"for": "date-sent"}).text == "Date sent"
    assert page.find("input", name="date-sent").attrs["type"] == "date"
    assert page.find("input", name="date-sent").attrs["value"] == clock.today().isoformat()
    assert page.find("button", id="createDelivery").text == "Create Delivery"
    options = [option.text for option in page.find_all("option")]
    assert options[0] == "Choose one"
    assert [option for option in options if option in names] == names
    assert page.find("optgroup", label="One Area") is not None


def test_send_with_codes_that_are_not_codes(logged_in_admin, centre):
    response = logged_in_admin.post("/deliveries/store", data=delivery_form(centre, start="10", end="1"))

    page = page_of(response)
    assert response.status_code == 422
    assert page.find("label", role="alert", **{"for": "voucher-start"}) is not None
    assert page.find("label", role="alert", **{"for": "voucher-end"}) is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0


def test_send_with_centre_not_a_number(logged_in_admin, centre):
    response = logged_in_admin.post("/deliveries/store", data={"centre": "not a number but a wombat"})

    page = page_of(response)
    assert response.status_code == 422
    assert page.find("label", role="alert", **{"for": "centre"}) is not None


def test_send_with_end_before_start(logged_in_admin, printed_runs, centre):
    response = logged_in_admin.post("/deliveries/store", data=delivery_form(centre, start="TST0104", end="TST0102"))

    error = page_of(response).find("label", role="alert", **{"for": "voucher-end"})
    assert response.status_code == 422
    assert "a number no lower" in error.text


def test_send_creates_delivery_and_confirms(logged_in_admin, printed_runs, centre):
    logged_in_admin.get("/deliveries/create")

    response = logged_in_admin.post("/deliveries/store", data=delivery_form(centre))
    followed = logged_in_admin.get(response.headers["Location"])

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/deliveries?")
    assert "Sent 3 vouchers (TST102 - TST104) to Acacia Road" in text_of(followed)
    assert "TST102 - TST104" in cell_texts(followed)
    vouchers = db.session.scalars(sa.select(Voucher).where(Voucher.currentstate == "dispatched")).all()
    assert len(vouchers) == 3
    for voucher in vouchers:
        assert voucher.delivery.centre_id == centre.id
        assert voucher.delivery.dispatched_at.date() == clock.today()


def test_send_single_voucher(logged_in_admin, printed_runs, centre):
    response = logged_in_admin.post("/deliveries/store", data=delivery_form(centre, start="TST0301", end="TST0301"))

    assert response.status_code == 302
    assert states_by_code()["TST0301"] == "dispatched"


def test_send_already_delivered_shows_error(logged_in_admin, printed_runs, tst, centre, admin_user):
    deliveries.create_delivery(centre, tst.id, VoucherRange("TST", 103, 103), clock.today(), admin_user)

    response = logged_in_admin.post("/deliveries/store", data=delivery_form(centre))

    page = page_of(response)
    assert response.status_code == 422
    assert "already delivered" in page.find("div", role="alert").text
    assert page.find("input", name="voucher-start").attrs["value"] == "TST0102"
    assert states_by_code()["TST0102"] == "printed"


def test_send_store_by_get_goes_to_form(logged_in_admin):
    response = logged_in_admin.get("/deliveries/store")

    assert response.status_code == 302
    assert response.headers["Location"] == "/deliveries/create"


def test_list_page_has_sort_links(logged_in_admin, three_deliveries):
    response = logged_in_admin.get("/deliveries", query_string={"orderBy": "centre", "direction": "desc"})

    page = page_of(response)
    cells = cell_texts(response)
    assert response.status_code == 200
    assert page.find("h1").text == "Sent vouchers"
    assert cells.index("Zanzibar") < cells.index("Medditeranean") < cells.index("Adriatic")
    links = [link.attrs["href"] for link in page.find_all("a", class_="sort")]
    assert "/deliveries?orderBy=centre&direction=asc" in links
    assert "/deliveries?orderBy=range&direction=asc" in links


def test_list_page_rejects_unknown_sort(logged_in_admin):
    response = logged_in_admin.get("/deliveries", query_string={"orderBy": "wombat"})

    assert response.status_code == 302
    assert "not valid" in text_of(logged_in_admin.get(response.headers["Location"]))


@pytest.mark.parametrize("sent", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_send_rejects_mistyped_year(logged_in_admin, printed_runs, centre, sent):
    data = delivery_form(centre)
    data["date-sent"] = sent

    response = logged_in_admin.post("/deliveries/store", data=data)

    assert response.status_code == 422
    assert "looks mistyped" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0
