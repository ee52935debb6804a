"""Parallel submissions for the same vouchers, on a server database with row locks.

These tests commit for real, from several threads at once, and delete what they made afterwards.
"""

import threading

from arc.extensions import db
from arc.vouchers.models import Voucher, VoucherState
from tests.conftest import SERVICE_HOST


def run_in_parallel(app, requests):
    """Send each (headers, body) to POST /api/vouchers from its own thread, all at once."""
    barrier = threading.Barrier(len(requests))
    replies = [None] * len(requests)

    def send(index, headers, body):
        client = app.test_client()
        barrier.wait(timeout=10)
        response = client.post("/api/vouchers", json=body, headers=headers, base_url=f"http://{SERVICE_HOST}")
        replies[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return replies


def test_parallel_confirms_make_one_payment_request(server_database, committed):
    app = server_database
    body = {"trader_id": committed["traders"][0], "transition": "collect", "vouchers": committed["codes"]}
    run_in_parallel(app, [(committed["headers"][0], body)])
    confirm = {**body, "transition": "confirm"}

    replies = run_in_parallel(app, [(committed["headers"][0], confirm), (committed["headers"][0], confirm)])

    messages = sorted(str(reply[1]) for reply in replies)
    assert [reply[0] for reply in replies] == [200, 200]
    assert "payment request has been accepted" in messages[1]
    assert "5 duplicate(s)" in messages[0]
    with app.app_context():
        confirm_rows = db.session.query(VoucherState).filter(
            VoucherState.voucher_id.in_(committed["vouchers"]), VoucherState.transition == "confirm"
        )
        assert confirm_rows.count() == 5
        assert len({row.state_token_id for row in confirm_rows}) == 1
        states = {v.currentstate for v in db.session.query(Voucher).filter(Voucher.id.in_(committed["vouchers"]))}
        assert states == {"payment_pending"}


def test_parallel_collects_by_two_traders_record_once(server_database, committed):
    app = server_database
    code = committed["codes"][0]
    requests = [
        (committed["headers"][index], {"trader_id": committed["traders"][index], "transition": "collect", "vouchers": [code]})
        for index in (0, 1)
    ]

    replies = run_in_parallel(app, requests)

    bodies = [reply[1] for reply in replies]
    assert [reply[0] for reply in replies] == [200, 200]
    assert {"message": "Voucher is valid"} in bodies
    assert any("has been used already" in body.get("warning", "") for body in bodies)
    with app.app_context():
        voucher = db.session.get(Voucher, committed["vouchers"][0])
        assert voucher.currentstate == "recorded"
        assert voucher.trader_id in committed["traders"]
        collects = db.session.query(VoucherState).filter_by(voucher_id=voucher.id, transition="collect").count()
        assert collects == 1
