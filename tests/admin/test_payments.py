"""Payment requests: the list of the last 21 days, one request, paying it, and a trader's payment history."""

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from arc import clock
from arc.extensions import db
from arc.payments import operations
from arc.payments.models import StateToken
from arc.vouchers.models import Voucher, VoucherState
from tests import factories
from tests.admin.voucher_data import cell_texts, history_of, make_request, make_vouchers, move, page_of, states_by_code, text_of


@pytest.fixture
def area(db):
    return factories.make_sponsor(shortcode="RVNT", name="Real Virtual Project")


@pytest.fixture
def trader(area):
    market = factories.make_market(sponsor=area, name="Sea Breeze Cape")
    return factories.make_trader(market=market, name="The Happy Fruit Company")


@pytest.fixture
def app_user(trader):
    return factories.make_trader_user(traders=[trader], name="Greta Furbanks")


@pytest.fixture
def one_voucher_request(area, trader):
    """Voucher TEST12345, confirmed into the request "a-real-uuid", which has no requesting user."""
    requester = factories.make_trader_user(traders=[trader])
    [voucher] = make_vouchers(area, ["TEST12345"], "recorded")
    token = make_request([voucher], requester, trader, uuid="a-real-uuid")
    token.user_id = None
    db.session.flush()
    return token


@pytest.fixture
def five_voucher_request(area, trader, app_user):
    vouchers = make_vouchers(area, [f"RVNT000{number}" for number in range(5)], "recorded")
    return make_request(vouchers, app_user, trader)


def start_of_window():
    return datetime.combine(clock.today() - timedelta(days=operations.REQUEST_WINDOW_DAYS), time.min)


# The open requests.


def test_open_requests_summarise_each_request(five_voucher_request, app_user):
    other_area = factories.make_sponsor(name="Another Area")
    [extra] = make_vouchers(other_area, ["OTHER0001"], "recorded")
    trader = five_voucher_request.voucher_states[0].voucher.trader
    second = make_request([extra], app_user, trader)

    summaries = operations.open_requests()

    assert [summary.token for summary in summaries] == [second, five_voucher_request]
    first = summaries[1]
    assert first.requester == "Greta Furbanks"
    assert first.trader_name == "The Happy Fruit Company"
    assert first.market_name == "Sea Breeze Cape"
    assert first.area_name == "Real Virtual Project"
    assert first.voucher_areas == [("Real Virtual Project", 5)]
    assert first.total == 5
    assert summaries[0].voucher_areas == [("Another Area", 1)]


def test_open_requests_put_unpaid_first(five_voucher_request, area, trader, app_user, admin_user):
    [later] = make_vouchers(area, ["RVNT0100"], "recorded")
    paid = make_request([later], app_user, trader)
    operations.pay_request(paid, admin_user)

    summaries = operations.open_requests()

    assert [summary.token for summary in summaries] == [five_voucher_request, paid]


def test_open_requests_window_starts_at_midnight(area, trader, app_user):
    inside = make_request(make_vouchers(area, ["RVNT0201"], "recorded"), app_user, trader,
                          created_at=start_of_window())
    outside = make_request(make_vouchers(area, ["RVNT0202"], "recorded"), app_user, trader,
                           created_at=start_of_window() - timedelta(seconds=1))

    tokens = [summary.token for summary in operations.open_requests()]

    assert inside in tokens
    assert outside not in tokens


def test_open_requests_leave_out_anonymous_and_empty(one_voucher_request, app_user):
    empty = StateToken(uuid="no-vouchers", user_id=app_user.id)
    db.session.add(empty)
    db.session.flush()

    assert operations.open_requests() == []


def test_open_requests_tolerate_trader_without_market(area, app_user):
    trader = factories.make_trader()
    trader.market_id = None
    db.session.flush()
    make_request(make_vouchers(area, ["RVNT0301"], "recorded"), app_user, trader)

    [summary] = operations.open_requests()

    assert (summary.trader_name, summary.market_name, summary.area_name) == (trader.name, None, None)


def test_outstanding_requests_follow_the_list(five_voucher_request, admin_user):
    assert operations.has_outstanding_requests()

    operations.pay_request(five_voucher_request, admin_user)

    assert not operations.has_outstanding_requests()


def test_outstanding_requests_ignore_old_and_anonymous(one_voucher_request, area, trader, app_user):
    make_request(make_vouchers(area, ["RVNT0401"], "recorded"), app_user, trader,
                 created_at=start_of_window() - timedelta(minutes=1))

    assert not operations.has_outstanding_requests()


# One request.


def test_request_detail_lists_vouchers_with_dates(five_voucher_request, admin_user):
    detail = operations.request_detail(five_voucher_request)

    assert [voucher.code for voucher in detail.vouchers] == [f"RVNT000{number}" for number in range(5)]
    assert detail.pending_count == 5
    assert detail.trader_name == "The Happy Fruit Company"
    assert detail.requester == "Greta Furbanks"
    assert all(voucher.entered_state_at is not None for voucher in detail.vouchers)


# Paying.


def test_pay_request_pays_every_voucher(five_voucher_request, admin_user):
    paid = operations.pay_request(five_voucher_request, admin_user)

    assert paid.paid_count == 5
    assert paid.already_reimbursed_count == 0
    assert five_voucher_request.admin_user_id == admin_user.id
    assert set(states_by_code().values()) == {"reimbursed"}
    for number in range(5):
        last = history_of(f"RVNT000{number}")[-1]
        assert (last.transition, last.from_state, last.to_state) == ("payout", "payment_pending", "reimbursed")
        assert (last.user_id, last.user_type) == (admin_user.id, "AdminUser")


def test_pay_request_twice_changes_nothing(five_voucher_request, admin_user):
    operations.pay_request(five_voucher_request, admin_user)
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(VoucherState))
    other_admin = factories.make_admin_user()

    with pytest.raises(operations.RequestAlreadyPaid):
        operations.pay_request(five_voucher_request, other_admin)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoucherState)) == rows
    assert five_voucher_request.admin_user_id == admin_user.id


@pytest.mark.parametrize("blocking_state", ["recorded", "voided", "deleted"])
def test_pay_request_is_all_or_nothing(five_voucher_request, admin_user, blocking_state):
    if blocking_state == "deleted":
        db.session.execute(sa.update(Voucher).where(Voucher.code == "RVNT0003").values(deleted_at=clock.now()))
    else:
        db.session.execute(sa.update(Voucher).where(Voucher.code == "RVNT0003").values(currentstate=blocking_state))
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(VoucherState))

    with pytest.raises(operations.RequestNotPayable) as raised:
        operations.pay_request(five_voucher_request, admin_user)

    assert raised.value.vouchers == [("RVNT0003", blocking_state)]
    assert "RVNT0003" in str(raised.value)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoucherState)) == rows
    assert five_voucher_request.admin_user_id is None
    assert "reimbursed" not in states_by_code().values()


def test_pay_request_counts_vouchers_paid_before(five_voucher_request, admin_user):
    voucher = db.session.scalar(sa.select(Voucher).where(Voucher.code == "RVNT0000"))
    move(voucher, ["payout"], admin_user)

    paid = operations.pay_request(five_voucher_request, admin_user)

    assert (paid.paid_count, paid.already_reimbursed_count) == (4, 1)
    assert five_voucher_request.is_paid


def test_pay_request_without_vouchers_is_refused(app_user, admin_user):
    token = StateToken(uuid="empty-request", user_id=app_user.id)
    db.session.add(token)
    db.session.flush()

    with pytest.raises(operations.RequestNotPayable):
        operations.pay_request(token, admin_user)

    assert not token.is_paid


# A trader's payment history.


def test_trader_history_groups_by_day(area, trader, app_user, admin_user):
    today = make_vouchers(area, ["RVNT0501", "RVNT0502"], "recorded")
    earlier = make_vouchers(area, ["RVNT0503"], "recorded")
    make_request(today, app_user, trader)
    token = make_request(earlier, app_user, trader)
    pended = db.session.scalar(sa.select(VoucherState).where(VoucherState.state_token_id == token.id))
    pended.created_at = pended.created_at - timedelta(days=3)
    operations.pay_request(token, admin_user)

    history = operations.trader_payment_history(trader.id)

    assert [day.pended_on.date() for day in history.days] == [clock.today(), clock.today() - timedelta(days=3)]
    assert sorted(voucher.code for voucher in history.days[0].vouchers) == ["RVNT0501", "RVNT0502"]
    [old] = history.days[1].vouchers
    assert old.code == "RVNT0503"
    assert old.recorded_on is not None
    assert old.reimbursed_on is not None
    assert history.days[0].vouchers[0].reimbursed_on is None


def test_trader_history_pages_fifteen_days(area, trader, app_user):
    for day in range(17):
        [voucher] = make_vouchers(area, [f"RVNT07{day:02d}"], "recorded")
        token = make_request([voucher], app_user, trader)
        pended = db.session.scalar(sa.select(VoucherState).where(VoucherState.state_token_id == token.id))
        pended.created_at = pended.created_at - timedelta(days=day)
    db.session.flush()

    first = operations.trader_payment_history(trader.id, 1)
    second = operations.trader_payment_history(trader.id, 2)
    beyond = operations.trader_payment_history(trader.id, 3)

    assert (len(first.days), len(second.days), len(beyond.days)) == (15, 2, 0)
    assert first.last_page == 2


def test_trader_history_leaves_out_recorded_vouchers(area, trader, app_user):
    vouchers = make_vouchers(area, ["RVNT0601", "RVNT0602"], "recorded")
    make_request(vouchers, app_user, trader)
    db.session.execute(sa.update(Voucher).where(Voucher.code == "RVNT0602").values(currentstate="recorded"))

    [day] = operations.trader_payment_history(trader.id).days

    assert [voucher.code for voucher in day.vouchers] == ["RVNT0601"]


# The pages.


def test_payments_page_has_columns(logged_in_admin, one_voucher_request):
    response = logged_in_admin.get("/payments")

    page = page_of(response)
    assert response.status_code == 200
    assert "No payment requests have been made in the last 21 days." in cell_texts(response)
    assert page.find("h1").text == "Payment Requests"
    headers = page.texts("th", scope="col")
    for header in ("Name", "Market", "Area", "Requested By", "Voucher Area", "Total"):
        assert header in headers


def test_payments_page_lists_request_with_link(logged_in_admin, five_voucher_request):
    response = logged_in_admin.get("/payments")

    cells = cell_texts(response)
    links = [link.attrs["href"] for link in page_of(response).find_all("a")]
    assert {"The Happy Fruit Company", "Sea Breeze Cape", "Greta Furbanks", "All", "5"} <= set(cells)
    assert f"/payments/payment-request/{five_voucher_request.uuid}" in links


def test_unknown_request_page_is_404_with_warning(logged_in_admin, one_voucher_request):
    response = logged_in_admin.get("/payments/payment-request/a-made-up-uuid")

    page = page_of(response)
    warning = page.find("p", class_="content-warning")
    assert response.status_code == 404
    assert "center" in warning.classes
    assert "invalid or has expired" in warning.text
    assert page.find("table") is None
    assert page.find("span", class_="requested") is None
    assert page.find("span", class_="paid") is None


def test_request_page_shows_vouchers_then_paid(logged_in_admin, one_voucher_request):
    pending = page_of(logged_in_admin.get("/payments/payment-request/a-real-uuid"))

    assert pending.texts("th", scope="col") == ["Voucher Code", "Status", "Date"]
    [requested] = pending.find_all("span", class_="requested")
    assert requested.attrs["class"] == "link-button link-button-small requested"
    assert requested.text == "Requested"
    button = pending.find("button", class_="btn")
    assert button.attrs["class"] == "btn link-button"
    assert button.text == "Pay 1 Vouchers"

    logged_in_admin.post("/payments/payment-request/a-real-uuid")
    paid = page_of(logged_in_admin.get("/payments/payment-request/a-real-uuid"))

    [badge] = paid.find_all("span", class_="paid")
    assert badge.attrs["class"] == "status paid"
    assert badge.text == "Paid"
    assert paid.find("button", class_="btn") is None


def test_request_page_lists_all_five_codes(logged_in_admin, five_voucher_request):
    response = logged_in_admin.get(f"/payments/payment-request/{five_voucher_request.uuid}")

    assert response.status_code == 200
    for number in range(5):
        assert f"RVNT000{number}" in cell_texts(response)


@pytest.mark.parametrize("method", ["post", "put"])
def test_pay_page_pays_and_confirms(logged_in_admin, five_voucher_request, method):
    response = getattr(logged_in_admin, method)(f"/payments/payment-request/{five_voucher_request.uuid}")

    page = text_of(logged_in_admin.get(response.headers["Location"]))
    assert response.headers["Location"] == "/payments"
    assert "Vouchers Paid! 5 vouchers marked as paid, and the request from Greta Furbanks is closed." in page
    assert set(states_by_code().values()) == {"reimbursed"}


def test_pay_page_twice_says_already_paid(logged_in_admin, five_voucher_request):
    path = f"/payments/payment-request/{five_voucher_request.uuid}"
    logged_in_admin.post(path)
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(VoucherState))

    response = logged_in_admin.post(path)

    assert response.headers["Location"] == path
    assert "already paid, so nothing was changed" in text_of(logged_in_admin.get(path))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoucherState)) == rows


def test_pay_needs_csrf_token(app, logged_in_admin, five_voucher_request):
    path = f"/payments/payment-request/{five_voucher_request.uuid}"
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = logged_in_admin.post(path)
        unpaid_state = set(states_by_code().values())
        token = page_of(logged_in_admin.get(path)).find("input", name="csrf_token").attrs["value"]
        accepted = logged_in_admin.post(path, data={"csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

    assert refused.headers["Location"] == path
    assert unpaid_state == {"payment_pending"}
    assert accepted.headers["Location"] == "/payments"
    assert set(states_by_code().values()) == {"reimbursed"}


def test_pay_page_unknown_request_is_404(logged_in_admin):
    assert logged_in_admin.post("/payments/payment-request/a-made-up-uuid").status_code == 404


def test_pay_page_refusal_is_shown(logged_in_admin, five_voucher_request):
    db.session.execute(sa.update(Voucher).where(Voucher.code == "RVNT0001").values(currentstate="voided"))
    path = f"/payments/payment-request/{five_voucher_request.uuid}"

    response = logged_in_admin.post(path)

    page = page_of(logged_in_admin.get(path))
    assert response.headers["Location"] == path
    assert "Nothing was paid" in page.find("div", role="alert").text
    assert "RVNT0001 (voided)" in page.find("div", role="alert").text
    db.session.refresh(five_voucher_request)
    assert not five_voucher_request.is_paid


def test_menu_highlights_waiting_requests(logged_in_admin, five_voucher_request, admin_user):
    before = page_of(logged_in_admin.get("/"))
    operations.pay_request(five_voucher_request, admin_user)
    after = page_of(logged_in_admin.get("/"))

    assert before.find("a", href="/payments").classes == ["payments"]
    assert after.find("a", href="/payments").classes == []


def test_trader_history_page(logged_in_admin, one_voucher_request, trader):
    response = logged_in_admin.get(f"/payments/trader-payment-history/{trader.id}")

    page = page_of(response)
    headers = page.texts("th", scope="col")
    assert response.status_code == 200
    assert page.find("h1").text == "Payment History"
    for header in ("Request Date", "Vouchers", "Total"):
        assert header in headers
    assert "£1" in cell_texts(response)
    assert "TEST12345" in cell_texts(response)


def test_trader_history_page_unknown_or_deleted_trader_is_404(logged_in_admin, trader):
    assert logged_in_admin.get("/payments/trader-payment-history/999999").status_code == 404
    trader.deleted_at = clock.now()
    db.session.flush()
    assert logged_in_admin.get(f"/payments/trader-payment-history/{trader.id}").status_code == 404


# Two members of staff paying the same request at once (needs row locks: MariaDB or MySQL).


@pytest.fixture
def committed_request(app):
    """A request of three vouchers and two admins, committed so that two sessions can see them."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite allows one writer at a time; racing payments need MariaDB or MySQL.")
        sponsor = factories.make_sponsor()
        trader = factories.make_trader(market=factories.make_market(sponsor=sponsor))
        user = factories.make_trader_user(traders=[trader])
        vouchers = make_vouchers(sponsor, [f"{sponsor.shortcode}9{number:04d}" for number in range(3)], "recorded")
        token = make_request(vouchers, user, trader)
        admins = [factories.make_admin_user() for _ in range(2)]
        made = {
            "uuid": token.uuid,
            "token": token.id,
            "admins": [admin.id for admin in admins],
            "vouchers": [voucher.id for voucher in vouchers],
            "ids": (sponsor.id, trader.market_id, trader.id, user.id),
        }
        db.session.commit()
    yield made
    with app.app_context():
        from arc.markets.models import Market, Trader, trader_user
        from arc.sponsors.models import Sponsor
        from arc.users.models import AdminUser, User

        sponsor_id, market_id, trader_id, user_id = made["ids"]
        db.session.execute(sa.delete(VoucherState).where(VoucherState.voucher_id.in_(made["vouchers"])))
        db.session.execute(sa.delete(StateToken).where(StateToken.id == made["token"]))
        db.session.execute(sa.delete(Voucher).where(Voucher.id.in_(made["vouchers"])))
        db.session.execute(sa.delete(trader_user).where(trader_user.c.user_id == user_id))
        db.session.execute(sa.delete(User).where(User.id == user_id))
        db.session.execute(sa.delete(Trader).where(Trader.id == trader_id))
        db.session.execute(sa.delete(Market).where(Market.id == market_id))
        db.session.execute(sa.delete(Sponsor).where(Sponsor.id == sponsor_id))
        db.session.execute(sa.delete(AdminUser).where(AdminUser.id.in_(made["admins"])))
        db.session.commit()


def pay_in_own_session(app, uuid, admin_id, barrier, outcomes):
    from arc.users.models import AdminUser

    with app.app_context():
        try:
            admin = db.session.get(AdminUser, admin_id)
            token = operations.find_request(uuid)
            barrier.wait(timeout=10)
            paid = operations.pay_request(token, admin)
            db.session.commit()
            outcomes.append(("paid", paid.paid_count))
        except operations.RequestAlreadyPaid:
            db.session.rollback()
            outcomes.append(("already paid", 0))
        except Exception as error:  # reported to the test thread, which fails on it
            db.session.rollback()
            outcomes.append(("error", repr(error)))
        finally:
            db.session.remove()


def test_racing_payments_pay_once(app, committed_request):
    import threading

    barrier = threading.Barrier(2)
    outcomes = []
    threads = [
        threading.Thread(target=pay_in_own_session, args=(app, committed_request["uuid"], admin_id, barrier, outcomes))
        for admin_id in committed_request["admins"]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    with app.app_context():
        payouts = db.session.scalar(
            sa.select(sa.func.count()).select_from(VoucherState).where(
                VoucherState.voucher_id.in_(committed_request["vouchers"]), VoucherState.transition == "payout"
            )
        )
        token = db.session.get(StateToken, committed_request["token"])
        assert sorted(outcomes) == [("already paid", 0), ("paid", 3)]
        assert payouts == 3
        assert token.admin_user_id in committed_request["admins"]
