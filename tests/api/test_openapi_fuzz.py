"""Generated requests for every documented operation, sent by a logged-in trader.

Each operation gets a bounded number of examples. The checks are that nothing answers 500, and that
every status code, content type, header and body matches the OpenAPI document.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.api.conftest import make_delivered_voucher
from tests.factories import PASSWORD

EXAMPLES_PER_OPERATION = 25

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def operations(client):
    schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").get_json())
    return [result.ok() for result in schema.get_all_operations()]


def test_openapi_document_is_complete(service_client, db):
    document = service_client.get("/api/openapi.json").get_json()

    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


def log_in(client, user):
    response = client.post("/api/login", json={"username": user.email, "password": PASSWORD})
    return {"Authorization": "Bearer " + response.get_json()["access_token"]}


def test_generated_requests_never_fail(app, service_client, auth_headers, api_user, trader, db):
    for _ in range(3):
        make_delivered_voucher(db, trader.market.sponsor)
    found = operations(service_client)
    assert len(found) >= 12

    for operation in found:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # Logging out revokes the token, so that operation gets a fresh one each time.
            headers = log_in(service_client, api_user) if operation.path == "/api/logout" else auth_headers
            # A fresh application context per request, as in production (see HostClient in conftest).
            with app.app_context():
                response = case.call(app=app, base_url="http://admin.localhost", headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as error:  # noqa: BLE001 - name the operation, keep the details
            pytest.fail(f"{operation.label}: {error}")
