"""Traders recording vouchers, undoing that, and asking for payment, through both submission routes."""

from datetime import datetime, timedelta

import pytest

from arc import clock
from arc.jobs.models import JobStatus
from arc.payments.models import StateToken
from arc.vouchers.models import Voucher, VoucherState
from arc.vouchers.tasks import TRY_AGAIN, process_transition_job
from tests import factories
from tests.api.conftest import make_delivered_voucher
from tests.factories import PASSWORD

INCORRECT = "The voucher code you have added is incorrect. Please check the numbers and the letters and try again."


@pytest.fixture
def sponsor(trader):
    return trader.market.sponsor


@pytest.fixture
def voucher(db, sponsor):
    return make_delivered_voucher(db, sponsor)


def submit(client, headers, trader_id, transition, codes):
    return client.post(
        "/api/vouchers", json={"trader_id": trader_id, "transition": transition, "vouchers": codes}, headers=headers
    )


def reload(db, voucher):
    db.session.expire_all()
    return db.session.get(Voucher, voucher.id)


def history(db, voucher):
    return db.session.query(VoucherState).filter_by(voucher_id=voucher.id).order_by(VoucherState.id).all()


def test_collect_records_voucher(service_client, auth_headers, trader, api_user, voucher, db):
    response = submit(service_client, auth_headers, trader.id, "collect", [voucher.code])

    assert response.status_code == 200
    assert response.get_json() == {"message": "Voucher is valid"}
    stored = reload(db, voucher)
    assert stored.currentstate == "recorded"
    assert stored.trader_id == trader.id
    rows = history(db, voucher)
    assert [(row.transition, row.from_state, row.to_state) for row in rows] == [("collect", "dispatched", "recorded")]
    assert (rows[0].user_id, rows[0].user_type, rows[0].source) == (api_user.id, "User", "")


def test_collect_normalises_and_deduplicates_codes(service_client, auth_headers, trader, voucher, db):
    spaced = " " + voucher.code[:3] + " " + voucher.code[3:].lower() + " "

    response = submit(service_client, auth_headers, trader.id, "collect", [spaced, voucher.code])

    assert response.get_json() == {"message": "Voucher is valid"}
    assert len(history(db, voucher)) == 1


def test_collect_unknown_code_is_incorrect(service_client, auth_headers, trader, db):
    response = submit(service_client, auth_headers, trader.id, "collect", ["ZZZ88888888"])

    assert response.get_json() == {"error": INCORRECT}


def test_collect_twice_is_own_duplicate(service_client, auth_headers, trader, voucher):
    submit(service_client, auth_headers, trader.id, "collect", [voucher.code])

    response = submit(service_client, auth_headers, trader.id, "collect", [voucher.code])

    assert response.get_json() == {"warning": f"You have already submitted voucher code {voucher.code}."}


def test_undelivered_voucher_after_cut_off_is_refused(service_client, auth_headers, trader, sponsor, db):
    late = factories.make_voucher(sponsor=sponsor, currentstate="dispatched", created_at=datetime(2019, 9, 27))

    response = submit(service_client, auth_headers, trader.id, "collect", [late.code])

    assert response.get_json() == {"warning": INCORRECT}
    assert reload(db, late).currentstate == "dispatched"


def test_undelivered_voucher_before_cut_off_is_collected(service_client, auth_headers, trader, sponsor, db):
    early = factories.make_voucher(sponsor=sponsor, currentstate="printed", created_at=datetime(2019, 9, 25))

    response = submit(service_client, auth_headers, trader.id, "collect", [early.code])

    assert response.get_json() == {"message": "Voucher is valid"}


def test_batch_counts_undelivered_as_invalid(service_client, auth_headers, trader, sponsor, db):
    delivered = [make_delivered_voucher(db, sponsor) for _ in range(9)]
    late = factories.make_voucher(sponsor=sponsor)

    response = submit(service_client, auth_headers, trader.id, "collect", [v.code for v in delivered] + [late.code])

    assert response.get_json() == {
        "message": "Thanks! Your queue has been successfully submitted. 9 voucher(s) accepted, 0 duplicate(s) and 1 invalid."
    }


def test_confirm_creates_one_payment_request(service_client, auth_headers, trader, sponsor, db):
    vouchers = [make_delivered_voucher(db, sponsor) for _ in range(3)]
    codes = [v.code for v in vouchers]
    submit(service_client, auth_headers, trader.id, "collect", codes)

    response = submit(service_client, auth_headers, trader.id, "confirm", codes)

    assert response.get_json() == {"message": "Thanks, your payment request has been accepted."}
    tokens = db.session.query(StateToken).all()
    assert len(tokens) == 1
    for voucher in vouchers:
        assert reload(db, voucher).currentstate == "payment_pending"
        assert history(db, voucher)[-1].state_token_id == tokens[0].id


def test_confirm_with_nothing_confirmable_makes_no_payment_request(service_client, auth_headers, trader, db):
    response = submit(service_client, auth_headers, trader.id, "confirm", ["ZZZ99999"])

    assert response.get_json() == {"error": INCORRECT}
    assert db.session.query(StateToken).count() == 0


def test_confirm_leaves_other_traders_voucher_alone(service_client, auth_headers, trader, voucher, db):
    other = factories.make_trader()
    voucher.currentstate = "recorded"
    voucher.trader_id = other.id
    db.session.flush()

    response = submit(service_client, auth_headers, trader.id, "confirm", [voucher.code])

    assert "has been used already" in response.get_json()["warning"]
    stored = reload(db, voucher)
    assert (stored.currentstate, stored.trader_id) == ("recorded", other.id)
    assert db.session.query(StateToken).count() == 0


def test_reject_returns_voucher_to_previous_state(service_client, auth_headers, trader, voucher, db):
    submit(service_client, auth_headers, trader.id, "collect", [voucher.code])

    response = submit(service_client, auth_headers, trader.id, "reject", [voucher.code])

    assert response.get_json() == {"message": "Voucher removed"}
    stored = reload(db, voucher)
    assert (stored.currentstate, stored.trader_id) == ("dispatched", None)
    assert history(db, voucher)[-1].transition == "reject-to-dispatched"


def test_reject_without_history_fails_kindly(service_client, auth_headers, trader, voucher, db):
    voucher.currentstate = "recorded"
    voucher.trader_id = trader.id
    db.session.flush()

    response = submit(service_client, auth_headers, trader.id, "reject", [voucher.code])

    assert response.get_json()["warning"].startswith("I'm sorry, we couldn't undo that for you")


def test_reject_of_other_traders_voucher_is_refused(service_client, auth_headers, trader, voucher, db):
    other_trader = factories.make_trader()
    other_user = factories.make_trader_user(traders=[other_trader])
    token = service_client.post("/api/login", json={"username": other_user.email, "password": PASSWORD}).get_json()
    submit(service_client, {"Authorization": f"Bearer {token['access_token']}"}, other_trader.id, "collect", [voucher.code])

    response = submit(service_client, auth_headers, trader.id, "reject", [voucher.code])

    assert "has been used already" in response.get_json()["warning"]
    assert reload(db, voucher).trader_id == other_trader.id


@pytest.mark.parametrize(
    "body,message",
    [
        ({"transition": "collect", "vouchers": []}, "No voucher data"),
        ({"vouchers": ["X1"]}, "No transition"),
        ({"transition": "collect", "vouchers": "fish"}, "The vouchers must be an array."),
        ({"transition": 12345, "vouchers": ["X1"]}, "The transition must be a string."),
        ({"transition": "collect"}, "No voucher data"),
        ({"transition": "collect", "vouchers": ["X1", 7]}, "The vouchers.1 must be a string."),
        ({"transition": "payout", "vouchers": ["X1"]}, "The selected transition is invalid."),
        ({"transition": "void", "vouchers": ["X1"]}, "The selected transition is invalid."),
    ],
)
def test_invalid_submission_is_400_plain_text(service_client, auth_headers, trader, body, message):
    response = service_client.post("/api/vouchers", json={"trader_id": trader.id, **body}, headers=auth_headers)

    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == message


@pytest.mark.parametrize("trader_id", [None, 999999, "abc"])
def test_unknown_trader_is_404(service_client, auth_headers, trader_id):
    body = {"transition": "collect", "vouchers": ["X1"]}
    if trader_id is not None:
        body["trader_id"] = trader_id

    assert service_client.post("/api/vouchers", json=body, headers=auth_headers).status_code == 404


def test_trader_of_another_user_is_403(service_client, auth_headers, voucher, db):
    other = factories.make_trader()

    response = submit(service_client, auth_headers, other.id, "collect", [voucher.code])

    assert response.status_code == 403
    assert reload(db, voucher).currentstate == "dispatched"


def test_disabled_trader_is_403(service_client, auth_headers, trader, voucher, db):
    trader.disabled_at = clock.now()
    db.session.flush()

    assert submit(service_client, auth_headers, trader.id, "collect", [voucher.code]).status_code == 403


def test_submission_needs_token(service_client, trader, voucher):
    response = submit(service_client, {}, trader.id, "collect", [voucher.code])

    assert response.status_code == 401
    assert response.get_json() == {"error": "Unauthenticated."}


def queue(client, headers, trader_id, transition, codes):
    return client.post(
        "/api/vouchers/transitions",
        json={"trader_id": trader_id, "transition": transition, "vouchers": codes},
        headers=headers,
    )


def test_queued_submission_can_be_polled_to_its_result(service_client, auth_headers, trader, voucher, db):
    queued = queue(service_client, auth_headers, trader.id, "collect", [voucher.code])
    body = queued.get_json()

    poll = service_client.get(f"/api/queue/{body['id']}", headers=auth_headers)
    result = service_client.get(f"/api/vouchers/transitions/{body['id']}", headers=auth_headers)

    assert queued.status_code == 202
    assert body["location"] == f"http://admin.localhost/api/queue/{body['id']}"
    assert body["retry-after"] == 2
    assert poll.status_code == 202
    assert poll.headers["Location"] == f"http://admin.localhost/api/vouchers/transitions/{body['id']}"
    assert poll.get_json()["status"] == "finished"
    assert result.get_json() == {"message": "Voucher is valid"}
    assert reload(db, voucher).currentstate == "recorded"


def test_queued_submission_validates_like_the_direct_route(service_client, auth_headers, trader):
    response = queue(service_client, auth_headers, trader.id, "collect", [])

    assert response.status_code == 400
    assert response.get_data(as_text=True) == "No voucher data"


def test_other_users_cannot_see_a_job(service_client, auth_headers, trader, voucher, db):
    job_id = queue(service_client, auth_headers, trader.id, "collect", [voucher.code]).get_json()["id"]
    stranger = factories.make_trader_user(traders=[factories.make_trader()])
    token = service_client.post("/api/login", json={"username": stranger.email, "password": PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}

    assert service_client.get(f"/api/queue/{job_id}", headers=headers).status_code == 404
    assert service_client.get(f"/api/vouchers/transitions/{job_id}", headers=headers).status_code == 404


def test_unknown_job_is_404(service_client, auth_headers):
    assert service_client.get("/api/queue/999999", headers=auth_headers).status_code == 404
    assert service_client.get("/api/vouchers/transitions/999999", headers=auth_headers).status_code == 404


def test_unfinished_job_polls_again(service_client, auth_headers, trader, api_user, db):
    from arc.jobs.statuses import create_job_status

    status = create_job_status("App\\Jobs\\ProcessTransitionJob", api_user.id, {"trader_id": trader.id})

    poll = service_client.get(f"/api/queue/{status.id}", headers=auth_headers)
    result = service_client.get(f"/api/vouchers/transitions/{status.id}", headers=auth_headers)

    assert poll.status_code == 200
    assert poll.get_json() == {
        "location": f"http://admin.localhost/api/queue/{status.id}",
        "retry-after": 2,
        "id": status.id,
        "status": "queued",
    }
    assert result.status_code == 404
    assert result.get_json() == {}


def test_failed_job_ends_with_try_again_and_changes_nothing(service_client, auth_headers, trader, api_user, voucher, db):
    from arc.jobs.statuses import create_job_status

    # A stored submission that cannot be processed: its codes are not a list.
    data = {"trader_id": trader.id, "transition": "collect", "vouchers": 5}
    status = create_job_status("App\\Jobs\\ProcessTransitionJob", api_user.id, data)

    with pytest.raises(TypeError):
        process_transition_job(status.id)
    poll = service_client.get(f"/api/queue/{status.id}", headers=auth_headers)
    result = service_client.get(f"/api/vouchers/transitions/{status.id}", headers=auth_headers)

    assert db.session.get(JobStatus, status.id).status == "failed"
    assert poll.status_code == 202
    assert result.get_json() == TRY_AGAIN
    assert reload(db, voucher).currentstate == "dispatched"


def test_job_runs_at_most_once(api_user, trader, voucher, db):
    from arc.jobs.statuses import create_job_status

    data = {"trader_id": trader.id, "transition": "collect", "vouchers": [voucher.code]}
    status = create_job_status("App\\Jobs\\ProcessTransitionJob", api_user.id, data)

    process_transition_job(status.id)
    process_transition_job(status.id)

    assert len(history(db, voucher)) == 1


def test_job_for_a_trader_disabled_meanwhile_fails(api_user, trader, voucher, db):
    from arc.jobs.statuses import create_job_status, job_result

    data = {"trader_id": trader.id, "transition": "collect", "vouchers": [voucher.code]}
    status = create_job_status("App\\Jobs\\ProcessTransitionJob", api_user.id, data)
    trader.disabled_at = clock.now() - timedelta(seconds=1)
    db.session.flush()

    process_transition_job(status.id)

    assert status.status == "failed"
    assert job_result(status) == TRY_AGAIN
    assert reload(db, voucher).currentstate == "dispatched"
