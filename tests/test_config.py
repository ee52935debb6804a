"""Settings are read from the environment and checked at start-up."""

import base64
import re
from pathlib import Path

import pytest

from arc.config import ConfigError, load_config

GOOD_KEY = "base64:" + base64.b64encode(b"k" * 32).decode()


def test_development_defaults():
    config = load_config({})

    assert config["APP_ENV"] == "development"
    assert config["ARC_SERVICE_DOMAIN"] == "admin.localhost:5000"
    assert config["ARC_STORE_DOMAIN"] == "store.localhost:5000"
    assert config["ARC_MARKET_DOMAIN"] == "market.localhost:5000"
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["REDIS_URL"] is None


@pytest.mark.parametrize("missing", ["SECRET_KEY", "APP_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_secret(missing):
    environ = {
        "APP_ENV": "production",
        "SECRET_KEY": "s" * 40,
        "APP_KEY": GOOD_KEY,
        "DATABASE_URL": "mysql+pymysql://arcv@127.0.0.1/arcv",
    }
    del environ[missing]

    with pytest.raises(ConfigError, match=missing):
        load_config(environ)


def test_production_with_every_secret_starts():
    config = load_config(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "s" * 40,
            "APP_KEY": GOOD_KEY,
            "DATABASE_URL": "mysql+pymysql://arcv@127.0.0.1/arcv",
        }
    )

    assert config["APP_KEY_BYTES"] == b"k" * 32
    assert config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "key",
    ["k" * 44, "base64:not base64!", "base64:" + base64.b64encode(b"short").decode()],
    ids=["no prefix", "not base64", "wrong length"],
)
def test_malformed_app_key_is_rejected(key):
    with pytest.raises(ConfigError, match="APP_KEY"):
        load_config({"APP_KEY": key})


def test_unknown_environment_is_rejected():
    with pytest.raises(ConfigError, match="APP_ENV"):
        load_config({"APP_ENV": "live"})


def test_hosts_come_from_environment():
    config = load_config({"ARC_SERVICE_DOMAIN": "voucher-admin.example.org"})

    assert config["ARC_SERVICE_DOMAIN"] == "voucher-admin.example.org"


ROOT = Path(__file__).resolve().parents[1]


def test_env_example_lists_every_setting():
    source = (ROOT / "arc" / "config.py").read_text()
    read = set(re.findall(r'env(?:\.get\(|\[)"([A-Z][A-Z0-9_]*)"', source))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))

    assert {"APP_ENV", "DATABASE_URL", "ARC_MVL_DIR", "ARC_MARKET_LOG"} <= read
    assert read - listed == set()
