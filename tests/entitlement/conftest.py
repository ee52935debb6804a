"""The entitlement rules are plain functions: their tests need no application or database."""

import pytest


@pytest.fixture(scope="session")
def fresh_rate_limits():
    """Replace the suite-wide rate-limit reset, which would start the application for every test."""
    yield
