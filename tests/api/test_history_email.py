"""E-mailing a trader's payment records to the user who requests them."""

from datetime import datetime, timedelta

import pytest

from arc import clock, mail
from tests import factories
from tests.conftest import SERVICE_HOST
from tests.mail.outbox import mail_settings, outbox  # noqa: F401  (fixtures)
from tests.mail.worker import redis_url, run_worker, smtp_server  # noqa: F401  (fixtures)
from tests.mail.records import make_confirmed_voucher

ALL_REPLY = "Thanks. If you don't receive an email with your voucher records, please try again later."
DAY_REPLY = (
    "Thanks, we've received your request for payment records from {}. "
    "If you don't receive an email with your voucher records, please try again later."
)


def url(trader):
    return f"/api/traders/{trader.id}/voucher-history-email"


@pytest.fixture
def history(db, trader):
    """Two vouchers sent for payment on 16 June 2025 and one on 18 June, recorded earlier."""
    monday = datetime(2025, 6, 16, 11, 0, 0)
    wednesday = datetime(2025, 6, 18, 15, 30, 0)
    return [
        make_confirmed_voucher(db, trader, monday - timedelta(hours=2), monday),
        make_confirmed_voucher(db, trader, monday - timedelta(hours=1), monday, reimbursed_at=wednesday),
        make_confirmed_voucher(db, trader, datetime(2025, 6, 17, 8, 0, 5), wednesday),
    ]


def test_email_all_records_replies_and_sends(service_client, auth_headers, trader, api_user, history, outbox):
    response = service_client.post(url(trader), json={"submission_date": None}, headers=auth_headers)

    assert response.status_code == 200
    assert response.get_json() == {"message": ALL_REPLY}
    assert len(outbox) == 1
    assert outbox[0]["To"] == f"{api_user.name} <{api_user.email}>"
    assert outbox[0]["Subject"] == "Rose Voucher Payment Records"


def test_email_all_records_content(service_client, auth_headers, trader, api_user, history, outbox):
    service_client.post(url(trader), json={"submission_date": None}, headers=auth_headers)

    text = mail.text_body(outbox[0])
    assert f"Hi {api_user.name}," in text
    assert f"a copy of {trader.name}'s payment records is attached" in text
    assert "The records cover payment requests from 16-06-2025 to 18-06-2025." in text
    assert "Total Vouchers: 3" in text
    assert "Total Value: £3" in text
    assert "Total Value: &pound;3" in mail.html_body(outbox[0])


def test_email_all_records_attaches_csv(service_client, auth_headers, trader, history, outbox):
    service_client.post(url(trader), json={"submission_date": None}, headers=auth_headers)

    attachments = mail.attachments_of(outbox[0])
    assert len(attachments) == 1
    assert attachments[0].filename == "rose-voucher-history.csv"
    assert attachments[0].mimetype == "text/csv"
    assert attachments[0].content.splitlines() == [
        f"16-06-2025,{history[0].code},16-06-2025 09:00:00",
        f"16-06-2025,{history[1].code},16-06-2025 10:00:00",
        f"18-06-2025,{history[2].code},17-06-2025 08:00:05",
    ]


def test_email_one_day(service_client, auth_headers, trader, history, outbox):
    response = service_client.post(url(trader), json={"submission_date": "16-06-2025"}, headers=auth_headers)

    assert response.status_code == 200
    assert response.get_json() == {"message": DAY_REPLY.format("16-06-2025")}
    text = mail.text_body(outbox[0])
    assert "The records cover payment requests on 16-06-2025." in text
    assert "Total Vouchers: 2" in text
    assert "Total Value: £2" in text
    lines = mail.attachments_of(outbox[0])[0].content.splitlines()
    assert [line.split(",")[1] for line in lines] == [history[0].code, history[1].code]


def test_email_single_day_history_names_day(service_client, auth_headers, trader, db, outbox):
    make_confirmed_voucher(db, trader, datetime(2025, 6, 1, 9), datetime(2025, 6, 2, 9))

    service_client.post(url(trader), json={}, headers=auth_headers)

    assert "The records cover payment requests on 02-06-2025." in mail.text_body(outbox[0])


def test_email_today_as_the_app_sends_it(service_client, auth_headers, trader, db, outbox):
    now = clock.now()
    make_confirmed_voucher(db, trader, now - timedelta(minutes=5), now)
    today = now.strftime("%d-%m-%Y")

    response = service_client.post(url(trader), json={"submission_date": today}, headers=auth_headers)

    assert response.get_json() == {"message": DAY_REPLY.format(today)}
    assert "Total Vouchers: 1" in mail.text_body(outbox[0])


@pytest.mark.parametrize("body", [{}, {"submission_date": ""}, {"submission_date": "  "}])
def test_email_without_date_sends_all(service_client, auth_headers, trader, history, outbox, body):
    response = service_client.post(url(trader), json=body, headers=auth_headers)

    assert response.get_json() == {"message": ALL_REPLY}
    assert "Total Vouchers: 3" in mail.text_body(outbox[0])


def test_email_form_body(service_client, auth_headers, trader, history, outbox):
    response = service_client.post(url(trader), data={"submission_date": "18-06-2025"}, headers=auth_headers)

    assert response.get_json() == {"message": DAY_REPLY.format("18-06-2025")}
    assert "Total Vouchers: 1" in mail.text_body(outbox[0])


def test_email_with_no_history_answers_and_says_so(service_client, auth_headers, trader, outbox):
    response = service_client.post(url(trader), json={"submission_date": None}, headers=auth_headers)

    assert response.status_code == 200
    assert response.get_json() == {"message": ALL_REPLY}
    assert len(outbox) == 1
    assert f"You asked for {trader.name}'s payment records, but there are no payment requests yet" in mail.text_body(
        outbox[0]
    )
    assert mail.attachments_of(outbox[0]) == []


def test_email_day_without_records_says_so(service_client, auth_headers, trader, history, outbox):
    response = service_client.post(url(trader), json={"submission_date": "17-06-2025"}, headers=auth_headers)

    assert response.get_json() == {"message": DAY_REPLY.format("17-06-2025")}
    assert "there are no payment requests on that day" in mail.text_body(outbox[0])
    assert mail.attachments_of(outbox[0]) == []


@pytest.mark.parametrize("value", ["2025-06-16", "31-02-2025", "16/06/2025", "1-6-2025", "today", 20250616])
def test_email_malformed_date_is_422(service_client, auth_headers, trader, outbox, value):
    response = service_client.post(url(trader), json={"submission_date": value}, headers=auth_headers)

    assert response.status_code == 422
    message = "The submission date must be a real date written DD-MM-YYYY, such as 18-06-2025."
    assert response.get_json() == {"message": message, "errors": {"submission_date": [message]}}
    assert outbox == []


def test_email_has_etag(service_client, auth_headers, trader, outbox):
    response = service_client.post(url(trader), json={}, headers=auth_headers)

    assert response.headers["ETag"].startswith('"')
    assert response.headers["ETag"].endswith('"')


def test_email_other_trader_is_403(service_client, auth_headers, db, outbox):
    other = factories.make_trader()

    response = service_client.post(url(other), json={}, headers=auth_headers)

    assert response.status_code == 403
    assert outbox == []


def test_email_unknown_trader_is_404(service_client, auth_headers, outbox):
    response = service_client.post("/api/traders/999999/voucher-history-email", json={}, headers=auth_headers)

    assert response.status_code == 404
    assert outbox == []


def test_email_needs_token_before_checking_body(service_client, trader, outbox):
    response = service_client.post(url(trader), json={"submission_date": "bad"})

    assert response.status_code == 401
    assert response.get_json() == {"error": "Unauthenticated."}


def test_email_sent_by_worker(app, redis_url, smtp_server, committed):
    server, received = smtp_server
    client = app.test_client()

    response = client.post(
        f"/api/traders/{committed['traders'][0]}/voucher-history-email",
        json={"submission_date": "18-06-2025"},
        headers=committed["headers"][0],
        base_url=f"http://{SERVICE_HOST}",
    )
    worker = run_worker(app, redis_url, server.port)

    assert response.get_json() == {"message": DAY_REPLY.format("18-06-2025")}
    assert worker.returncode == 0, worker.stderr
    assert received.recipients == [[committed["emails"][0]]]
    assert received.messages[0]["Subject"] == "Rose Voucher Payment Records"
    text = received.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "there are no payment requests on that day" in text
