"""Application settings, read from environment variables with development defaults."""

import base64
import os


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


ENVIRONMENTS = ("development", "staging", "production", "testing")


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def decode_app_key(value):
    """Return the 32 raw bytes of an `APP_KEY` written as ``base64:<data>``."""
    if not value or not value.startswith("base64:"):
        raise ConfigError("APP_KEY must be 'base64:' followed by 32 bytes encoded in base64.")
    try:
        key = base64.b64decode(value[len("base64:"):], validate=True)
    except ValueError as error:
        raise ConfigError(f"APP_KEY is not valid base64: {error}") from None
    if len(key) != 32:
        raise ConfigError(f"APP_KEY must decode to 32 bytes, not {len(key)}.")
    return key


# A fixed key for development and tests only; production refuses to start without its own.
DEVELOPMENT_APP_KEY = "base64:" + base64.b64encode(b"arc-development-key-not-secret!!").decode()


def load_config(environ=None):
    """Build the Flask configuration mapping from ``environ`` (default: the process environment).

    Raises ConfigError when a setting is invalid, or when production is missing a secret.
    """
    env = dict(os.environ if environ is None else environ)
    app_env = env.get("APP_ENV", "development").strip().lower()
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app_env!r}.")
    production = app_env == "production"
    if production:
        missing = [name for name in ("SECRET_KEY", "APP_KEY", "DATABASE_URL") if not env.get(name)]
        if missing:
            raise ConfigError(f"Production needs these settings: {', '.join(missing)}.")

    app_key = env.get("APP_KEY") or DEVELOPMENT_APP_KEY
    config = {
        "APP_ENV": app_env,
        "SECRET_KEY": env.get("SECRET_KEY") or "arc-development-secret",
        "APP_KEY": app_key,
        "APP_KEY_BYTES": decode_app_key(app_key),
        "APP_TIMEZONE": env.get("APP_TIMEZONE", "Europe/London"),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or "sqlite:///" + os.path.abspath(
            os.path.join(env.get("ARC_INSTANCE_PATH", "instance"), "arc.sqlite")
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": env.get("REDIS_URL") or None,
        # Login throttling counts must be shared by every web process, so they live in Redis when there is one.
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        "SESSION_COOKIE_NAME": "arc_session",
        "ARC_SERVICE_DOMAIN": env.get("ARC_SERVICE_DOMAIN", "admin.localhost:5000"),
        "ARC_STORE_DOMAIN": env.get("ARC_STORE_DOMAIN", "store.localhost:5000"),
        "ARC_MARKET_DOMAIN": env.get("ARC_MARKET_DOMAIN", "market.localhost:5000"),
        # Extra origins allowed to call the API from a browser in production, besides the market host.
        "ARC_CORS_ORIGINS": [origin.strip() for origin in env.get("ARC_CORS_ORIGINS", "").split(",") if origin.strip()],
        # The trader app's client log, written by PUT /api/log.
        "ARC_MARKET_LOG": os.path.abspath(
            env.get("ARC_MARKET_LOG") or os.path.join(env.get("ARC_INSTANCE_PATH", "instance"), "market-app.log")
        ),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Larger request bodies are refused with 413; a submission of 10,000 codes is about 200 KB.
        "MAX_CONTENT_LENGTH": int(env.get("ARC_MAX_REQUEST_BYTES", str(2 * 1024 * 1024))),
        "ARC_FIRST_DELIVERY_DATE": env.get("ARC_FIRST_DELIVERY_DATE", "2019-09-26"),
        "ARC_SCHOOL_MONTH": int(env.get("ARC_SCHOOL_MONTH", "9")),
        "ARC_SCOTTISH_SCHOOL_MONTH": int(env.get("ARC_SCOTTISH_SCHOOL_MONTH", "8")),
        "ARC_STORE_BUNDLE_MAX_VOUCHER_APPEND": int(env.get("ARC_STORE_BUNDLE_MAX_VOUCHER_APPEND", "100")),
        "ARC_DEFAULT_TO_HOME_CENTRE": _flag(env.get("ARC_DEFAULT_TO_HOME_CENTRE", "false")),
        # Master Voucher Log: encrypted archives (served by the store portal), and plain output for --plain.
        "ARC_MVL_DIR": os.path.abspath(
            env.get("ARC_MVL_DIR") or os.path.join(env.get("ARC_INSTANCE_PATH", "instance"), "mvl")
        ),
        "ARC_MVL_PLAIN_DIR": os.path.abspath(
            env.get("ARC_MVL_PLAIN_DIR") or os.path.join(env.get("ARC_INSTANCE_PATH", "instance"), "mvl-plain")
        ),
        "ARC_MVL_FILENAME": env.get("ARC_MVL_FILENAME", "MVLReport.zip"),
        # Vouchers reimbursed before this date are left out of the nightly log; the historic export covers them.
        "ARC_MVL_CUTOFF_DATE": env.get("ARC_MVL_CUTOFF_DATE", "2023-09-01"),
        # Maximum number of data rows in one PART file of the nightly log; Excel opens at most 1,048,576 rows.
        "ARC_MVL_ROW_LIMIT": int(env.get("ARC_MVL_ROW_LIMIT", "950000")),
        # `flask arc archive-vouchers` archives finished vouchers last changed before this date (YYYY-MM-DD).
        "ARC_ARCHIVE_CUTOFF_DATE": env.get("ARC_ARCHIVE_CUTOFF_DATE", "2023-09-01"),
        "ACCESS_TOKEN_LIFETIME": int(env.get("ACCESS_TOKEN_LIFETIME", str(24 * 3600))),
        "REFRESH_TOKEN_LIFETIME": int(env.get("REFRESH_TOKEN_LIFETIME", str(7 * 24 * 3600))),
        "PASSWORD_CLIENT": int(env.get("PASSWORD_CLIENT", "2")),
        "PASSWORD_CLIENT_SECRET": env.get("PASSWORD_CLIENT_SECRET") or None,
        "MAIL_SERVER": env.get("MAIL_HOST") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS", "true")),
        "MAIL_FROM_ADDRESS": env.get("MAIL_FROM_ADDRESS", "noreply@example.org"),
        "MAIL_FROM_NAME": env.get("MAIL_FROM_NAME", "Rose Vouchers"),
        "MAIL_TO_ADMIN_ADDRESS": env.get("MAIL_TO_ADMIN_ADDRESS", "arc@example.org"),
        "MAIL_TO_ADMIN_NAME": env.get("MAIL_TO_ADMIN_NAME", "Alexandra Rose Charity"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": production or app_env == "staging",
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESSION_LIFETIME", "120")) * 60,
        "WTF_CSRF_TIME_LIMIT": None,
        "TESTING": app_env == "testing",
    }
    return config
