"""A queued payment request that fails must reach the trader app as a failure.

The app ignores the body of the final 2xx reply after polling and shows "payment request sent", so
only a non-2xx status makes it tell the trader to try again.
"""

from datetime import timedelta

from arc import clock
from arc.jobs.statuses import create_job_status
from arc.vouchers.tasks import TRANSITION_JOB_TYPE, process_transition_job
from tests import factories
from tests.factories import PASSWORD


def test_failed_confirm_result_is_not_2xx(service_client, db):
    trader = factories.make_trader()
    user = factories.make_trader_user(traders=[trader])
    token = service_client.post("/api/login", json={"username": user.email, "password": PASSWORD}).get_json()
    headers = {"Authorization": "Bearer " + token["access_token"]}
    voucher = factories.make_voucher(currentstate="recorded", trader_id=trader.id)
    data = {"trader_id": trader.id, "transition": "confirm", "vouchers": [voucher.code]}
    status = create_job_status(TRANSITION_JOB_TYPE, user.id, data)
    trader.disabled_at = clock.now() - timedelta(seconds=1)
    db.session.flush()
    process_transition_job(status.id)
    trader.disabled_at = None
    db.session.flush()

    poll = service_client.get(f"/api/queue/{status.id}", headers=headers)
    result = service_client.get(poll.get_json()["location"], headers=headers)

    assert db.session.get(type(status), status.id).status == "failed"
    assert poll.status_code == 202
    assert result.status_code >= 400
