"""Vouchers in the admin portal: printing a batch, voiding or expiring a range, the list, search and one voucher."""

import pytest
import sqlalchemy as sa

from arc import clock
from arc.admin.forms import VoidVouchersForm
from arc.extensions import db
from arc.vouchers import listing, operations, ranges
from arc.vouchers.codes import VoucherRange
from arc.vouchers.models import Voucher, VoucherState
from tests import factories
from tests.admin.voucher_data import cell_texts, history_of, make_vouchers, move, page_of, states_by_code, text_of


@pytest.fixture
def wxyz(db):
    return factories.make_sponsor(shortcode="WXYZ", name="Wixey Zed")


@pytest.fixture
def tst(db):
    return factories.make_sponsor(shortcode="TST", name="Testshire")


@pytest.fixture
def dispatched_tst(tst, admin_user):
    """TST0101-0106, TST0201-0205 and TST0301-0305, all dispatched."""
    codes = [f"TST0{base + offset}" for base, count in ((101, 6), (201, 5), (301, 5)) for offset in range(count)]
    return make_vouchers(tst, codes, "dispatched", admin_user)


def codes_in(sponsor):
    return db.session.scalars(sa.select(Voucher.code).where(Voucher.sponsor_id == sponsor.id).order_by(Voucher.code)).all()


# Printing a batch.


def test_create_batch_pads_codes_to_five_digits(wxyz, admin_user):
    created = operations.create_batch(wxyz, 50, 59, admin_user)

    vouchers = db.session.scalars(sa.select(Voucher).where(Voucher.sponsor_id == wxyz.id)).all()
    assert created == 10
    assert sorted(voucher.code for voucher in vouchers) == [f"WXYZ000{number}" for number in range(50, 60)]
    assert {voucher.currentstate for voucher in vouchers} == {"printed"}


def test_create_batch_writes_no_history(wxyz, admin_user):
    operations.create_batch(wxyz, 1, 3, admin_user)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoucherState)) == 0


def test_create_batch_keeps_long_numbers_whole(wxyz, admin_user):
    operations.create_batch(wxyz, 123456, 123457, admin_user)

    assert codes_in(wxyz) == ["WXYZ123456", "WXYZ123457"]


def test_create_batch_inserts_in_chunks(wxyz, admin_user):
    created = operations.create_batch(wxyz, 1, operations.INSERT_CHUNK_SIZE * 2 + 5, admin_user)

    assert created == 2005
    assert len(codes_in(wxyz)) == 2005


def test_create_batch_rejects_existing_codes(wxyz, admin_user):
    make_vouchers(wxyz, ["WXYZ00005", "WXYZ00007"])

    with pytest.raises(operations.CodesAlreadyExist) as raised:
        operations.create_batch(wxyz, 1, 10, admin_user)

    assert raised.value.codes == ["WXYZ00005", "WXYZ00007"]
    assert raised.value.count == 2
    assert "WXYZ00005, WXYZ00007" in str(raised.value)
    assert codes_in(wxyz) == ["WXYZ00005", "WXYZ00007"]


def test_create_batch_rejects_same_number_padded_otherwise(wxyz, admin_user):
    make_vouchers(wxyz, ["WXYZ0050"])

    with pytest.raises(operations.CodesAlreadyExist) as raised:
        operations.create_batch(wxyz, 45, 55, admin_user)

    assert raised.value.codes == ["WXYZ0050"]


def test_create_batch_counts_deleted_vouchers(wxyz, admin_user):
    make_vouchers(wxyz, ["WXYZ00003"], deleted_at=clock.now())

    with pytest.raises(operations.CodesAlreadyExist):
        operations.create_batch(wxyz, 1, 5, admin_user)


def test_create_batch_lists_first_codes_and_count(wxyz, admin_user):
    operations.create_batch(wxyz, 1, 30, admin_user)

    with pytest.raises(operations.CodesAlreadyExist) as raised:
        operations.create_batch(wxyz, 1, 40, admin_user)

    assert raised.value.count == 30
    assert len(raised.value.codes) == operations.LISTED_CODES
    assert "and 10 more" in str(raised.value)


def test_create_batch_ignores_longer_shortcodes(wxyz, admin_user):
    other = factories.make_sponsor(shortcode="WXYZA")
    make_vouchers(other, ["WXYZA00001"])

    assert operations.create_batch(wxyz, 1, 1, admin_user) == 1


def test_create_batch_rejects_too_many(wxyz, admin_user):
    with pytest.raises(operations.BatchTooLarge):
        operations.create_batch(wxyz, 1, operations.MAX_BATCH_SIZE + 1, admin_user)

    assert codes_in(wxyz) == []


# Voiding and expiring a range.


@pytest.mark.parametrize("transition,middle_state", [("void", "voided"), ("expire", "expired")])
def test_retire_range_retires_dispatched(dispatched_tst, tst, admin_user, transition, middle_state):
    result = operations.retire_range(tst.id, VoucherRange("TST", 102, 104), transition, admin_user)

    assert result.retired_codes == ["TST0102", "TST0103", "TST0104"]
    assert result.not_retired_count == 0
    current = states_by_code()
    assert [code for code, state in current.items() if state == "retired"] == ["TST0102", "TST0103", "TST0104"]
    for code in ("TST0102", "TST0103", "TST0104"):
        rows = [(row.transition, row.from_state, row.to_state) for row in history_of(code)[1:]]
        assert rows == [(transition, "dispatched", middle_state), ("retire", middle_state, "retired")]


def test_retire_range_records_the_admin(dispatched_tst, tst, admin_user):
    operations.retire_range(tst.id, VoucherRange("TST", 102, 102), "void", admin_user)

    rows = history_of("TST0102")[1:]
    assert {(row.user_id, row.user_type) for row in rows} == {(admin_user.id, "AdminUser")}


@pytest.mark.parametrize("transition,middle_state", [("void", "voided"), ("expire", "expired")])
def test_retire_range_leaves_undispatched(dispatched_tst, tst, admin_user, transition, middle_state):
    for voucher in dispatched_tst:
        if voucher.code in ("TST0104", "TST0106"):
            move(voucher, ["collect", "reject-to-printed"])

    result = operations.retire_range(tst.id, VoucherRange("TST", 102, 106), transition, admin_user)

    assert result.retired_codes == ["TST0102", "TST0103", "TST0105"]
    assert result.not_retired == [("TST0104", "printed"), ("TST0106", "printed")]
    assert result.not_retired_count == 2
    current = states_by_code()
    assert sorted(code for code, state in current.items() if state == "retired") == ["TST0102", "TST0103", "TST0105"]
    assert current["TST0104"] == current["TST0106"] == "printed"
    for code in ("TST0102", "TST0103", "TST0105"):
        assert [row.to_state for row in history_of(code)[1:]] == [middle_state, "retired"]


def test_retire_range_rejects_range_with_nothing_dispatched(tst, admin_user):
    make_vouchers(tst, ["TST0001", "TST0002"])

    with pytest.raises(operations.NothingToVoid):
        operations.retire_range(tst.id, VoucherRange("TST", 1, 2), "void", admin_user)

    assert set(states_by_code().values()) == {"printed"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoucherState)) == 0


def test_retire_range_keeps_earlier_voided_voucher(dispatched_tst, tst, admin_user):
    operations.retire_range(tst.id, VoucherRange("TST", 101, 101), "void", admin_user)
    db.session.execute(sa.update(Voucher).where(Voucher.code == "TST0102").values(currentstate="voided"))

    result = operations.retire_range(tst.id, VoucherRange("TST", 101, 103), "void", admin_user)

    assert result.retired_codes == ["TST0103"]
    assert result.not_retired == [("TST0101", "retired"), ("TST0102", "voided")]
    assert states_by_code()["TST0102"] == "voided"


def test_retire_range_rejects_other_transitions(dispatched_tst, tst, admin_user):
    with pytest.raises(ValueError):
        operations.retire_range(tst.id, VoucherRange("TST", 101, 102), "payout", admin_user)


# Narrow range look-ups and locks by primary key.


def test_code_prefixes_follow_common_digits():
    prefixes = ranges.code_prefixes("TST", 100, 199)

    assert prefixes[:3] == ["TST1", "TST01", "TST001"]
    assert prefixes[-1] == "TST" + "0" * 26 + "1"
    assert ranges.code_prefixes("TST", 5, 5)[0] == "TST5"


@pytest.mark.parametrize("start,end", [(1, 10), (0, 9), (99, 100)])
def test_code_prefixes_need_common_digits(start, end):
    assert ranges.code_prefixes("TST", start, end) is None


def test_range_condition_matches_any_padding_and_case(tst):
    make_vouchers(tst, ["TST0101", "TST00102", "tst0103", "TST0200", "TST1", "TST0099"])

    matched = db.session.scalars(
        sa.select(Voucher.code).where(ranges.range_condition(tst.id, VoucherRange("TST", 100, 199))).order_by(Voucher.id)
    ).all()

    assert matched == ["TST0101", "TST00102", "tst0103"]


def test_range_condition_reads_code_index_ranges(tst):
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        pytest.skip("SQLite's LIKE ignores case, so it cannot use the binary code index")
    make_vouchers(tst, ["TST0101", "TST0201"])
    query = sa.select(Voucher.id).where(ranges.range_condition(tst.id, VoucherRange("TST", 100, 199)))
    compiled = query.compile(connection, compile_kwargs={"literal_binds": True})

    [plan] = connection.exec_driver_sql(f"EXPLAIN {compiled}").mappings().all()

    assert "vouchers_code" in (plan["possible_keys"] or ""), plan


def test_range_condition_with_too_long_numbers_matches_nothing(tst):
    make_vouchers(tst, ["TST0101"])
    number = 10 ** 29

    condition = ranges.range_condition(tst.id, VoucherRange("TST", number, number))

    assert db.session.scalars(sa.select(Voucher.code).where(condition)).all() == []


def test_lock_in_state_skips_other_states(tst):
    made = make_vouchers(tst, ["TST0001", "TST0002"]) + make_vouchers(tst, ["TST0003"], "dispatched")

    locked = ranges.lock_in_state([voucher.id for voucher in made], "printed")

    assert [row.code for row in locked] == ["TST0001", "TST0002"]


# The void form's rules.


@pytest.fixture
def void_rules_data(db):
    tst = factories.make_sponsor(shortcode="TST")
    err = factories.make_sponsor(shortcode="ERR")
    make_vouchers(tst, [f"TST010{number}" for number in range(1, 6)])
    make_vouchers(err, ["ERR0105"])


VALID_VOID = {"transition": "void", "voucher-start": "TST0101", "voucher-end": "TST0105"}


@pytest.mark.parametrize(
    "changes,error_field",
    [
        ({}, None),
        ({"transition": "expire"}, None),
        ({"voucher-end": "TST0101"}, None),
        ({"voucher-start": " tst 0101 ", "voucher-end": "tst0105"}, None),
        ({"transition": None}, "transition"),
        ({"transition": "1"}, "transition"),
        ({"voucher-start": None}, "voucher_start"),
        ({"voucher-end": None}, "voucher_end"),
        ({"voucher-start": "TST0105", "voucher-end": "TST0101"}, "voucher_end"),
        ({"voucher-start": "TST0100"}, "voucher_start"),
        ({"voucher-end": "TST0106"}, "voucher_end"),
        ({"voucher-end": "ERR0105"}, "voucher_end"),
        ({"voucher-start": "InvalidCode"}, "voucher_start"),
    ],
)
def test_void_form_rules(app, void_rules_data, changes, error_field):
    data = {name: value for name, value in {**VALID_VOID, **changes}.items() if value is not None}

    with app.test_request_context("/vouchers/void", method="POST", data=data):
        form = VoidVouchersForm()
        valid = form.validate()

    if error_field is None:
        assert valid, form.errors
        assert form.voucher_range.shortcode == "TST"
    else:
        assert not valid
        assert getattr(form, error_field).errors


# Listing, searching and showing.


@pytest.fixture
def efgh(db):
    sponsor = factories.make_sponsor(shortcode="EFGH")
    return make_vouchers(sponsor, ["EFGH4455", "EFGH7788"], "dispatched")


def test_list_page_has_search_and_reset(logged_in_admin):
    response = logged_in_admin.get("/vouchers")

    page = page_of(response)
    assert response.status_code == 200
    assert "View live vouchers" in page.find("h1").text
    assert any("Search" in button.text for button in page.find_all("button"))
    assert any("Reset" in link.text for link in page.find_all("a"))


def test_list_shows_vouchers_and_search_finds_one(logged_in_admin, efgh):
    assert {"EFGH4455", "EFGH7788"} <= set(cell_texts(logged_in_admin.get("/vouchers")))

    response = logged_in_admin.get("/vouchers/search", query_string={"voucher_code": "EFGH4455", "search": ""})

    cells = cell_texts(response)
    assert response.status_code == 200
    assert "EFGH4455" in cells
    assert "EFGH7788" not in cells


def test_search_normalises_the_code(logged_in_admin, efgh):
    response = logged_in_admin.get("/vouchers/search", query_string={"voucher_code": " efgh 4455", "search": ""})

    assert "EFGH4455" in cell_texts(response)


def test_search_result_links_to_voucher_page(logged_in_admin, db):
    [voucher] = make_vouchers(factories.make_sponsor(shortcode="JKLM"), ["JKLM5566"], "dispatched")
    results = page_of(logged_in_admin.get("/vouchers/search", query_string={"voucher_code": "JKLM5566", "search": ""}))

    link = results.find("a", name="edit")
    response = logged_in_admin.get(link.attrs["href"])

    assert link.attrs["href"] == f"/vouchers/{voucher.id}"
    assert "Voucher Code: JKLM5566" in page_of(response).find("h1").text


def test_reset_link_returns_to_full_list(logged_in_admin, efgh):
    results = page_of(logged_in_admin.get("/vouchers/search", query_string={"voucher_code": "EFGH4455", "search": ""}))

    reset = results.find("a", name="reset")
    response = logged_in_admin.get(reset.attrs["href"])

    assert reset.attrs["href"] == "/vouchers"
    assert {"EFGH4455", "EFGH7788"} <= set(cell_texts(response))


def test_search_without_parameters_lists_normally(logged_in_admin):
    response = logged_in_admin.get("/vouchers/search")

    assert response.status_code == 302
    assert response.headers["Location"] == "/vouchers"


@pytest.mark.parametrize("code", ["InvalidCode", "1234", "", "AB-12"])
def test_search_invalid_code_shows_error(logged_in_admin, efgh, code):
    response = logged_in_admin.get("/vouchers/search", query_string={"voucher_code": code, "search": ""})

    page = page_of(response)
    assert response.status_code == 422
    assert page.find("label", role="alert", **{"for": "voucher_code"}) is not None
    assert "EFGH4455" not in cell_texts(response)


def test_search_unknown_code_says_so(logged_in_admin, efgh):
    response = logged_in_admin.get("/vouchers/search", query_string={"voucher_code": "EFGH0001", "search": ""})

    assert response.status_code == 200
    assert "No voucher has the code EFGH0001" in text_of(response)


def test_list_pages_fifty_at_a_time(db):
    sponsor = factories.make_sponsor(shortcode="PG")
    made = make_vouchers(sponsor, [f"PG{number:05d}" for number in range(1, 121)])
    newest_first = [voucher.id for voucher in reversed(made)]

    first = listing.list_vouchers()
    second = listing.list_vouchers(after=first.next_after)
    third = listing.list_vouchers(after=second.next_after)
    back = listing.list_vouchers(before=third.previous_before)

    assert [voucher.id for voucher in first.vouchers] == newest_first[:50]
    assert first.previous_before is None
    assert [voucher.id for voucher in second.vouchers] == newest_first[50:100]
    assert [voucher.id for voucher in third.vouchers] == newest_first[100:]
    assert third.next_after is None
    assert [voucher.id for voucher in back.vouchers] == newest_first[50:100]


def test_list_sorts_by_code(db):
    sponsor = factories.make_sponsor(shortcode="SRT")
    make_vouchers(sponsor, ["SRT00003", "SRT00001", "SRT00002"])

    page = listing.list_vouchers(sort="code", direction="asc", per_page=2)
    following = listing.list_vouchers(sort="code", direction="asc", after=page.next_after, per_page=2)

    assert [voucher.code for voucher in page.vouchers] == ["SRT00001", "SRT00002"]
    assert [voucher.code for voucher in following.vouchers] == ["SRT00003"]


def test_list_leaves_out_deleted_vouchers(db):
    sponsor = factories.make_sponsor(shortcode="DEL")
    make_vouchers(sponsor, ["DEL00001"])
    make_vouchers(sponsor, ["DEL00002"], deleted_at=clock.now())

    codes = [voucher.code for voucher in listing.list_vouchers().vouchers]

    assert "DEL00001" in codes
    assert "DEL00002" not in codes


def test_list_page_links_to_next_page(logged_in_admin, db):
    sponsor = factories.make_sponsor(shortcode="NX")
    make_vouchers(sponsor, [f"NX{number:05d}" for number in range(1, 56)])

    first = page_of(logged_in_admin.get("/vouchers"))
    next_link = first.find("a", rel="next")
    second = logged_in_admin.get(next_link.attrs["href"])

    assert "NX00005" in cell_texts(second)
    assert "NX00055" not in cell_texts(second)


def test_list_page_rejects_invalid_position(logged_in_admin):
    response = logged_in_admin.get("/vouchers", query_string={"after": "not-a-number"})

    assert response.status_code == 302
    assert "first page is shown" in text_of(logged_in_admin.get(response.headers["Location"]))


def test_voucher_total_counts_vouchers(db):
    sponsor = factories.make_sponsor(shortcode="CNT")
    make_vouchers(sponsor, ["CNT00001", "CNT00002"])

    total = listing.voucher_total()

    if total.exact:
        assert total.count == db.session.scalar(sa.select(sa.func.count()).select_from(Voucher))
    else:
        assert total.count >= 0


def test_unknown_voucher_is_404(logged_in_admin):
    assert logged_in_admin.get("/vouchers/999999").status_code == 404


def test_voucher_page_shows_history_of_legacy_rows(logged_in_admin, db, admin_user):
    sponsor = factories.make_sponsor(shortcode="OLD")
    worker = factories.make_centre_user(name="Wendy Worker")
    trader_user = factories.make_trader_user(name="Terry Trader")
    [voucher] = make_vouchers(sponsor, ["OLD00001"], "dispatched", admin_user)
    legacy = [
        ("lose", None, "lost", worker.id, "App\\CentreUser"),
        ("collect", "", "recorded", trader_user.id, "User"),
        ("order", "requested", "ordered", 77, "Robot"),
        ("print", "ordered", "printed", None, ""),
        ("payout", "payment_pending", "reimbursed", 999999, "AdminUser"),
    ]
    for transition, from_state, to_state, user_id, user_type in legacy:
        db.session.add(VoucherState(voucher_id=voucher.id, transition=transition, from_state=from_state,
                                    to_state=to_state, user_id=user_id, user_type=user_type, source=""))
    db.session.flush()

    response = logged_in_admin.get(f"/vouchers/{voucher.id}")

    cells = cell_texts(response)
    assert response.status_code == 200
    assert f"{admin_user.name} (charity staff)" in cells
    assert "Wendy Worker (centre worker)" in cells
    assert "Terry Trader (trader app)" in cells
    assert "User 77 (unknown type 'Robot')" in cells
    assert "No one logged in" in cells
    assert "Charity staff user 999999 (no longer exists)" in cells
    assert cells.count("Not recorded") == 2
    assert "lose" in cells


# The batch-create page.


def test_batch_form_lists_areas(logged_in_admin, wxyz):
    page = page_of(logged_in_admin.get("/vouchers/create"))

    options = page.find_all("option")
    assert options[0].text == "Please select an area"
    assert options[0].attrs["value"] == ""
    assert "Wixey Zed (WXYZ)" in [option.text for option in options]
    assert page.find("button", id="createVouchers").text == "Create vouchers"
    assert page.find("label", role="alert") is None


def test_batch_post_with_empty_fields_shows_errors(logged_in_admin, wxyz):
    response = logged_in_admin.post("/vouchers", data={"sponsor_id": "", "start": "", "end": ""})

    page = page_of(response)
    assert response.status_code == 422
    for field in ("sponsor_id", "start", "end"):
        assert page.find("label", role="alert", **{"for": field}) is not None, field
    assert codes_in(wxyz) == []


def test_batch_post_with_end_before_start_shows_error(logged_in_admin, wxyz):
    response = logged_in_admin.post("/vouchers", data={"sponsor_id": str(wxyz.id), "start": "10", "end": "1"})

    error = page_of(response).find("label", role="alert", **{"for": "end"})
    assert response.status_code == 422
    assert "greater than or equal to the starting number" in error.text


@pytest.mark.parametrize("start,end", [("1a", "5"), ("-1", "5"), ("1", "100000000"), ("1", "200001")])
def test_batch_post_rejects_bad_numbers(logged_in_admin, wxyz, start, end):
    response = logged_in_admin.post("/vouchers", data={"sponsor_id": str(wxyz.id), "start": start, "end": end})

    assert response.status_code == 422
    assert codes_in(wxyz) == []


def test_batch_post_creates_and_confirms(logged_in_admin, wxyz):
    response = logged_in_admin.post("/vouchers", data={"sponsor_id": str(wxyz.id), "start": "1", "end": "10"})

    page = text_of(logged_in_admin.get(response.headers["Location"]))
    assert response.status_code == 302
    assert response.headers["Location"] == "/vouchers"
    assert "Created 10 printed vouchers from WXYZ00001 to WXYZ00010 for Wixey Zed." in page
    assert len(codes_in(wxyz)) == 10


def test_batch_post_with_existing_codes_changes_nothing(logged_in_admin, wxyz):
    make_vouchers(wxyz, ["WXYZ00003"])

    response = logged_in_admin.post("/vouchers", data={"sponsor_id": str(wxyz.id), "start": "1", "end": "5"})

    assert response.status_code == 422
    assert "WXYZ00003" in text_of(response)
    assert codes_in(wxyz) == ["WXYZ00003"]


def test_batch_post_unknown_area_is_an_error(logged_in_admin, wxyz):
    response = logged_in_admin.post("/vouchers", data={"sponsor_id": "999999", "start": "1", "end": "5"})

    assert response.status_code == 422
    assert page_of(response).find("label", role="alert", **{"for": "sponsor_id"}) is not None


# The void page.


def test_void_form_page(logged_in_admin):
    page = page_of(logged_in_admin.get("/vouchers/void"))

    assert page.find("h1").text == "Void vouchers"
    assert page.find("label", **{"for": "voucher-start"}).text == "Start voucher"
    assert page.find("label", **{"for": "voucher-end"}).text == "End voucher"
    buttons = {button.attrs["value"]: button.text for button in page.find_all("button", name="transition")}
    assert buttons == {"expire": "Expire vouchers", "void": "Void vouchers"}


@pytest.mark.parametrize(
    "method,path,form_method",
    [("patch", "/vouchers", None), ("post", "/vouchers/void", None), ("post", "/vouchers", "PATCH")],
)
def test_void_request_retires_and_reports(logged_in_admin, dispatched_tst, method, path, form_method):
    data = {"voucher-start": "TST0102", "voucher-end": "TST0104", "transition": "void"}
    if form_method:
        data["_method"] = form_method

    response = getattr(logged_in_admin, method)(path, data=data)

    page = text_of(logged_in_admin.get(response.headers["Location"]))
    assert response.headers["Location"] == "/vouchers"
    assert "Voided and retired 3 vouchers: TST0102 TST0103 TST0104." in page
    assert "could not be retired" not in page
    assert list(states_by_code().values()).count("retired") == 3


def test_void_request_reports_vouchers_left_alone(logged_in_admin, dispatched_tst):
    for voucher in dispatched_tst:
        if voucher.code in ("TST0104", "TST0106"):
            move(voucher, ["collect", "reject-to-printed"])
    data = {"voucher-start": "TST0102", "voucher-end": "TST0106", "transition": "expire"}

    response = logged_in_admin.post("/vouchers/void", data=data)

    page = text_of(logged_in_admin.get(response.headers["Location"]))
    assert "Expired and retired 3 vouchers: TST0102 TST0103 TST0105." in page
    assert "2 vouchers in the range could not be retired because they were not dispatched: " \
           "TST0104 (printed) TST0106 (printed)." in page


def test_void_request_with_nothing_voidable_changes_nothing(logged_in_admin, tst):
    make_vouchers(tst, ["TST0001", "TST0002"])

    response = logged_in_admin.post(
        "/vouchers/void", data={"voucher-start": "TST0001", "voucher-end": "TST0002", "transition": "void"}
    )

    page = page_of(response)
    assert response.status_code == 422
    assert "none can be voided or expired" in text_of(response)
    assert page.find("input", name="voucher-start").attrs["value"] == "TST0001"
    assert set(states_by_code().values()) == {"printed"}


def test_void_request_with_bad_codes_shows_field_errors(logged_in_admin, dispatched_tst):
    response = logged_in_admin.post(
        "/vouchers/void", data={"voucher-start": "TST0100", "voucher-end": "TST0102", "transition": "void"}
    )

    error = page_of(response).find("label", role="alert", **{"for": "voucher-start"})
    assert response.status_code == 422
    assert "No voucher has the code TST0100" in error.text


def test_voucher_page_voids_one_voucher(logged_in_admin, dispatched_tst):
    voucher = dispatched_tst[0]
    page = page_of(logged_in_admin.get(f"/vouchers/{voucher.id}"))
    form = page.find("form", action="/vouchers/void")
    hidden = {field.attrs["name"]: field.attrs["value"] for field in page.find_all("input", type="hidden")
              if field.attrs["name"] != "csrf_token"}

    response = logged_in_admin.post(form.attrs["action"], data={**hidden, "transition": "void"})

    assert hidden == {"voucher-start": voucher.code, "voucher-end": voucher.code}
    assert response.status_code == 302
    assert states_by_code()[voucher.code] == "retired"
