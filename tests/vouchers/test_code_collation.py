"""Codes that only the database collation matches must not change a voucher.

MySQL and MariaDB compare ``utf8mb4_unicode_ci`` strings ignoring accents, width and zero-width
characters. A code that normalises to something other than the voucher's code is not that voucher.
"""

import pytest

from arc.vouchers.models import Voucher, VoucherState
from tests import factories
from tests.api.conftest import make_delivered_voucher
from tests.factories import PASSWORD

INCORRECT = "The voucher code you have added is incorrect. Please check the numbers and the letters and try again."


def fullwidth(code):
    return "".join(chr(ord(character) + 0xFEE0) for character in code)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(fullwidth, id="fullwidth"),
        pytest.param(lambda code: code[:2] + "\u200b" + code[2:], id="zero-width-space"),
        pytest.param(lambda code: code[0] + "\u0301" + code[1:], id="combining-accent"),
    ],
)
def test_lookalike_code_is_invalid(service_client, db, variant):
    sponsor = factories.make_sponsor()
    market = factories.make_market(sponsor=sponsor)
    trader = factories.make_trader(market=market)
    user = factories.make_trader_user(traders=[trader])
    voucher = make_delivered_voucher(db, sponsor)
    token = service_client.post("/api/login", json={"username": user.email, "password": PASSWORD}).get_json()
    headers = {"Authorization": "Bearer " + token["access_token"]}

    response = service_client.post(
        "/api/vouchers",
        json={"trader_id": trader.id, "transition": "collect", "vouchers": [variant(voucher.code)]},
        headers=headers,
    )

    assert response.status_code == 200
    assert response.get_json() == {"error": INCORRECT}
    db.session.expire_all()
    assert db.session.get(Voucher, voucher.id).currentstate == "dispatched"
    assert db.session.query(VoucherState).filter_by(voucher_id=voucher.id, transition="collect").count() == 0
