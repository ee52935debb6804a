"""The migrated database has the live schema: every table, column, key and index, with the live names.

The expected tables below are written from the description of the live MySQL database, not from the
models, so a model and a migration that drift together are still caught. Types are written as MySQL
names; ``ENGINE_TYPES`` gives how each one looks when read back from MySQL/MariaDB or from SQLite.
"""

import re
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from arc.extensions import db as _db

NULL = True
NOT_NULL = False

ENGINE_TYPES = {
    "mysql": {
        "int unsigned": "INTEGER UNSIGNED",
        "int": "INTEGER",
        "bigint unsigned": "BIGINT UNSIGNED",
        "bigint": "BIGINT",
        "tinyint unsigned": "TINYINT UNSIGNED",
        "bool": "TINYINT(1)",
        "text": "TEXT",
        "longtext": "LONGTEXT",
        "timestamp": "TIMESTAMP",
        "datetime": "DATETIME",
        "print_pref enum": "ENUM('collection','individual')",
    },
    # SQLite has no unsigned or sized integers, and integer keys are INTEGER so that they alias the rowid.
    "sqlite": {
        "int unsigned": "INTEGER",
        "int": "INTEGER",
        "bigint unsigned": "INTEGER",
        "bigint": "INTEGER",
        "tinyint unsigned": "SMALLINT",
        "bool": "BOOLEAN",
        "text": "TEXT",
        "longtext": "TEXT",
        "timestamp": "TIMESTAMP",
        "datetime": "DATETIME",
        "print_pref enum": "VARCHAR(10)",
    },
}


@dataclass
class Table:
    columns: list
    primary_key: list = field(default_factory=lambda: ["id"])
    unique: dict = field(default_factory=dict)
    indexes: dict = field(default_factory=dict)
    # name: (columns, referred table, ON DELETE rule or None for the default RESTRICT)
    foreign_keys: dict = field(default_factory=dict)


def column(name, type_name, nullable, default=None):
    return (name, type_name, nullable, default)


ID = column("id", "int unsigned", NOT_NULL)
CREATED_AT = column("created_at", "timestamp", NULL)
UPDATED_AT = column("updated_at", "timestamp", NULL)
DELETED_AT = column("deleted_at", "timestamp", NULL)
VARCHAR = "varchar(191)"

EXPECTED = {
    "sponsors": Table(
        columns=[
            ID,
            column("name", VARCHAR, NOT_NULL),
            column("shortcode", VARCHAR, NOT_NULL),
            column("programme", "int", NOT_NULL, "0"),
            CREATED_AT,
            UPDATED_AT,
            DELETED_AT,
            column("can_tap", "bool", NOT_NULL, "0"),
        ],
        unique={"sponsors_shortcode_unique": ["shortcode"]},
    ),
    "centres": Table(
        columns=[
            ID,
            column("name", VARCHAR, NOT_NULL),
            column("prefix", "varchar(5)", NOT_NULL),
            column("sponsor_id", "int unsigned", NOT_NULL),
            column("print_pref", "print_pref enum", NOT_NULL, "collection"),
            CREATED_AT,
            UPDATED_AT,
        ],
        unique={"centres_prefix_unique": ["prefix"]},
        foreign_keys={"centres_sponsor_id_foreign": (["sponsor_id"], "sponsors", None)},
    ),
    "markets": Table(
        columns=[
            ID,
            column("name", VARCHAR, NOT_NULL),
            column("location", VARCHAR, NOT_NULL),
            column("sponsor_id", "int unsigned", NULL),
            CREATED_AT,
            UPDATED_AT,
            DELETED_AT,
            column("payment_message", VARCHAR, NOT_NULL, ""),
        ],
        foreign_keys={"markets_sponsor_id_foreign": (["sponsor_id"], "sponsors", None)},
    ),
    "traders": Table(
        columns=[
            ID,
            column("name", VARCHAR, NOT_NULL),
            column("pic_url", VARCHAR, NULL),
            column("market_id", "int unsigned", NULL),
            CREATED_AT,
            UPDATED_AT,
            DELETED_AT,
            column("disabled_at", "timestamp", NULL),
        ],
        foreign_keys={"traders_market_id_foreign": (["market_id"], "markets", None)},
    ),
    "users": Table(
        columns=[
            ID,
            column("name", VARCHAR, NOT_NULL),
            column("email", VARCHAR, NOT_NULL),
            column("password", VARCHAR, NOT_NULL),
            column("remember_token", "varchar(100)", NULL),
            CREATED_AT,
            UPDATED_AT,
            DELETED_AT,
        ],
        unique={"users_email_unique": ["email"]},
    ),
    "trader_user": Table(
        columns=[
            column("trader_id", "int unsigned", NOT_NULL),
            column("user_id", "int unsigned", NOT_NULL),
        ],
        primary_key=["trader_id", "user_id"],
        indexes={"trader_user_trader_id_index": ["trader_id"], "trader_user_user_id_index": ["user_id"]},
        foreign_keys={
            "trader_user_trader_id_foreign": (["trader_id"], "traders", "CASCADE"),
            "trader_user_user_id_foreign": (["user_id"], "users", "CASCADE"),
        },
    ),
    "admin_users": Table(
        columns=[
            ID,
            column("name", VARCHAR, NOT_NULL),
            column("email", VARCHAR, NOT_NULL),
            column("password", VARCHAR, NOT_NULL),
            column("remember_token", "varchar(100)", NULL),
            CREATED_AT,
            UPDATED_AT,
            DELETED_AT,
        ],
        unique={"admin_users_email_unique": ["email"]},
    ),
    "centre_users": Table(
        columns=[
            ID,
            column("name", VARCHAR, NOT_NULL),
            column("email", VARCHAR, NOT_NULL),
            column("password", VARCHAR, NOT_NULL),
            column("role", VARCHAR, NOT_NULL, "centre_user"),
            column("downloader", "bool", NOT_NULL, "0"),
            column("remember_token", "varchar(100)", NULL),
            column("centre_id", "int unsigned", NULL),
            CREATED_AT,
            UPDATED_AT,
            DELETED_AT,
        ],
        unique={"centre_users_email_unique": ["email"]},
        foreign_keys={"centre_users_centre_id_foreign": (["centre_id"], "centres", None)},
    ),
    "centre_centre_user": Table(
        columns=[
            column("centre_user_id", "int unsigned", NOT_NULL),
            column("centre_id", "int unsigned", NOT_NULL),
            column("homeCentre", "bool", NOT_NULL, "0"),
        ],
        primary_key=["centre_user_id", "centre_id"],
        indexes={
            "centre_centre_user_centre_user_id_index": ["centre_user_id"],
            "centre_centre_user_centre_id_index": ["centre_id"],
        },
        foreign_keys={
            "centre_centre_user_centre_user_id_foreign": (["centre_user_id"], "centre_users", "CASCADE"),
            "centre_centre_user_centre_id_foreign": (["centre_id"], "centres", "CASCADE"),
        },
    ),
    "families": Table(
        columns=[
            ID,
            column("initial_centre_id", "int unsigned", NULL),
            column("centre_sequence", "int", NULL),
            column("leaving_on", "datetime", NULL),
            column("leaving_reason", "varchar(128)", NULL),
            CREATED_AT,
            UPDATED_AT,
            column("rejoin_on", "timestamp", NULL),
            column("leave_amount", "int", NOT_NULL, "0"),
        ],
        foreign_keys={"families_initial_centre_id_foreign": (["initial_centre_id"], "centres", None)},
    ),
    "carers": Table(
        columns=[
            ID,
            column("name", VARCHAR, NOT_NULL),
            column("family_id", "int unsigned", NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
            DELETED_AT,
            column("ethnicity", VARCHAR, NULL),
            column("language", VARCHAR, NULL),
        ],
        foreign_keys={"carers_family_id_foreign": (["family_id"], "families", None)},
    ),
    "children": Table(
        columns=[
            ID,
            column("dob", "datetime", NOT_NULL),
            column("born", "bool", NOT_NULL, "1"),
            column("verified", "bool", NULL),
            column("family_id", "int unsigned", NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
            column("deferred", "bool", NULL, "0"),
            column("is_pri_carer", "bool", NULL),
        ],
        foreign_keys={"children_family_id_foreign": (["family_id"], "families", None)},
    ),
    "registrations": Table(
        columns=[
            ID,
            column("family_id", "int unsigned", NOT_NULL),
            column("centre_id", "int unsigned", NOT_NULL),
            column("eligibility_nrpf", VARCHAR, NULL),
            column("eligibility_hsbs", VARCHAR, NULL),
            column("consented_on", "datetime", NULL),
            CREATED_AT,
            UPDATED_AT,
            column("eligible_from", "timestamp", NULL),
        ],
        foreign_keys={
            "registrations_family_id_foreign": (["family_id"], "families", None),
            "registrations_centre_id_foreign": (["centre_id"], "centres", None),
        },
    ),
    "bundles": Table(
        columns=[
            ID,
            column("entitlement", "int unsigned", NOT_NULL),
            column("registration_id", "int unsigned", NOT_NULL),
            column("collecting_carer_id", "int unsigned", NULL),
            column("disbursing_centre_id", "int unsigned", NULL),
            column("disbursing_user_id", "int unsigned", NULL),
            column("disbursed_at", "timestamp", NULL),
            CREATED_AT,
            UPDATED_AT,
        ],
        foreign_keys={
            "bundles_registration_id_foreign": (["registration_id"], "registrations", None),
            "bundles_collecting_carer_id_foreign": (["collecting_carer_id"], "carers", None),
            "bundles_disbursing_centre_id_foreign": (["disbursing_centre_id"], "centres", None),
            "bundles_disbursing_user_id_foreign": (["disbursing_user_id"], "centre_users", None),
        },
    ),
    "deliveries": Table(
        columns=[
            ID,
            column("centre_id", "int unsigned", NOT_NULL),
            column("range", VARCHAR, NOT_NULL),
            column("dispatched_at", "datetime", NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
        ],
        foreign_keys={"deliveries_centre_id_foreign": (["centre_id"], "centres", None)},
    ),
    "vouchers": Table(
        columns=[
            ID,
            column("bundle_id", "int unsigned", NULL),
            column("delivery_id", "int unsigned", NULL),
            column("trader_id", "int unsigned", NULL),
            column("code", "varchar(32)", NOT_NULL),
            column("currentstate", "varchar(24)", NOT_NULL, "requested"),
            column("sponsor_id", "int unsigned", NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
            DELETED_AT,
        ],
        # The live database's plain vouchers_code_index becomes unique at revision 0002.
        unique={"vouchers_code_unique": ["code"]},
        indexes={"vouchers_currentstate_index": ["currentstate"]},
        foreign_keys={
            "vouchers_bundle_id_foreign": (["bundle_id"], "bundles", None),
            "vouchers_delivery_id_foreign": (["delivery_id"], "deliveries", None),
            "vouchers_trader_id_foreign": (["trader_id"], "traders", None),
            "vouchers_sponsor_id_foreign": (["sponsor_id"], "sponsors", None),
        },
    ),
    "voucher_states": Table(
        columns=[
            ID,
            column("transition", VARCHAR, NOT_NULL),
            column("from", VARCHAR, NULL),
            column("user_id", "int unsigned", NULL),
            column("user_type", VARCHAR, NULL, ""),
            column("voucher_id", "int unsigned", NOT_NULL),
            column("to", VARCHAR, NOT_NULL),
            column("state_token_id", "int unsigned", NULL),
            column("source", VARCHAR, NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
        ],
        indexes={
            "voucher_states_to_voucher_id_index": ["to", "voucher_id"],
            "voucher_states_created_at_index": ["created_at"],
            "voucher_states_voucher_id_index": ["voucher_id"],
            "voucher_states_user_id_index": ["user_id"],
        },
        # user_id has no foreign key because it stores ids from users, admin_users or centre_users (see user_type).
        foreign_keys={
            "voucher_states_voucher_id_foreign": (["voucher_id"], "vouchers", None),
            "voucher_states_state_token_id_foreign": (["state_token_id"], "state_tokens", None),
        },
    ),
    "state_tokens": Table(
        columns=[
            ID,
            column("uuid", VARCHAR, NOT_NULL),
            column("user_id", "int unsigned", NULL),
            CREATED_AT,
            column("admin_user_id", "int unsigned", NULL),
            UPDATED_AT,
        ],
        unique={"state_tokens_uuid_unique": ["uuid"]},
        indexes={"state_tokens_created_at_index": ["created_at"]},
    ),
    "evaluations": Table(
        columns=[
            ID,
            column("sponsor_id", "int", NOT_NULL),
            column("name", VARCHAR, NOT_NULL),
            column("entity", VARCHAR, NOT_NULL),
            column("purpose", VARCHAR, NOT_NULL),
            column("value", "int", NULL),
            CREATED_AT,
            UPDATED_AT,
        ],
        unique={"unique_sponsor_name": ["sponsor_id", "name", "purpose"]},
    ),
    "notes": Table(
        columns=[
            ID,
            column("content", "text", NOT_NULL),
            column("family_id", "int unsigned", NOT_NULL),
            column("user_id", "int unsigned", NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
        ],
        foreign_keys={
            "notes_family_id_foreign": (["family_id"], "families", None),
            "notes_user_id_foreign": (["user_id"], "centre_users", None),
        },
    ),
    "market_logs": Table(
        columns=[
            ID,
            CREATED_AT,
            UPDATED_AT,
            column("url", VARCHAR, NOT_NULL),
            column("status", "int", NOT_NULL),
            column("created", VARCHAR, NOT_NULL),
            column("data", "longtext", NOT_NULL),
            column("hash", VARCHAR, NOT_NULL),
            column("trader_id", "int", NOT_NULL),
        ],
    ),
    "migrations": Table(
        columns=[
            ID,
            column("migration", VARCHAR, NOT_NULL),
            column("batch", "int", NOT_NULL),
        ],
    ),
    "password_resets": Table(
        columns=[
            column("email", VARCHAR, NOT_NULL),
            column("token", VARCHAR, NOT_NULL),
            CREATED_AT,
        ],
        primary_key=[],
        indexes={"password_resets_email_index": ["email"]},
    ),
    "oauth_auth_codes": Table(
        columns=[
            column("id", "varchar(100)", NOT_NULL),
            column("user_id", "bigint unsigned", NOT_NULL),
            column("client_id", "bigint unsigned", NOT_NULL),
            column("scopes", "text", NULL),
            column("revoked", "bool", NOT_NULL),
            column("expires_at", "datetime", NULL),
        ],
        indexes={"oauth_auth_codes_user_id_index": ["user_id"]},
    ),
    "oauth_access_tokens": Table(
        columns=[
            column("id", "varchar(100)", NOT_NULL),
            column("user_id", "bigint unsigned", NULL),
            column("client_id", "bigint unsigned", NOT_NULL),
            column("name", VARCHAR, NULL),
            column("scopes", "text", NULL),
            column("revoked", "bool", NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
            column("expires_at", "datetime", NULL),
        ],
        indexes={"oauth_access_tokens_user_id_index": ["user_id"]},
    ),
    "oauth_refresh_tokens": Table(
        columns=[
            column("id", "varchar(100)", NOT_NULL),
            column("access_token_id", "varchar(100)", NOT_NULL),
            column("revoked", "bool", NOT_NULL),
            column("expires_at", "datetime", NULL),
        ],
        indexes={"oauth_refresh_tokens_access_token_id_index": ["access_token_id"]},
    ),
    "oauth_clients": Table(
        columns=[
            column("id", "bigint unsigned", NOT_NULL),
            column("user_id", "bigint", NULL),
            column("name", VARCHAR, NOT_NULL),
            column("secret", "varchar(100)", NULL),
            column("provider", VARCHAR, NULL),
            column("redirect", "text", NOT_NULL),
            column("personal_access_client", "bool", NOT_NULL),
            column("password_client", "bool", NOT_NULL),
            column("revoked", "bool", NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
        ],
        indexes={"oauth_clients_user_id_index": ["user_id"]},
    ),
    "oauth_personal_access_clients": Table(
        columns=[
            column("id", "bigint unsigned", NOT_NULL),
            column("client_id", "bigint", NOT_NULL),
            CREATED_AT,
            UPDATED_AT,
        ],
    ),
    "jobs": Table(
        columns=[
            column("id", "bigint unsigned", NOT_NULL),
            column("queue", VARCHAR, NOT_NULL),
            column("payload", "longtext", NOT_NULL),
            column("attempts", "tinyint unsigned", NOT_NULL),
            column("reserved_at", "int unsigned", NULL),
            column("available_at", "int unsigned", NOT_NULL),
            column("created_at", "int unsigned", NOT_NULL),
        ],
        indexes={"jobs_queue_index": ["queue"]},
    ),
    "failed_jobs": Table(
        columns=[
            column("id", "bigint unsigned", NOT_NULL),
            column("uuid", VARCHAR, NOT_NULL),
            column("connection", "text", NOT_NULL),
            column("queue", "text", NOT_NULL),
            column("payload", "longtext", NOT_NULL),
            column("exception", "longtext", NOT_NULL),
            column("failed_at", "timestamp", NOT_NULL, "CURRENT_TIMESTAMP"),
        ],
        unique={"failed_jobs_uuid_unique": ["uuid"]},
    ),
    "job_statuses": Table(
        columns=[
            ID,
            column("job_id", VARCHAR, NULL),
            column("type", VARCHAR, NOT_NULL),
            column("queue", VARCHAR, NULL),
            column("attempts", "int", NOT_NULL, "0"),
            column("progress_now", "int", NOT_NULL, "0"),
            column("progress_max", "int", NOT_NULL, "0"),
            column("status", "varchar(16)", NOT_NULL, "queued"),
            column("input", "longtext", NULL),
            column("output", "longtext", NULL),
            CREATED_AT,
            UPDATED_AT,
            column("started_at", "timestamp", NULL),
            column("finished_at", "timestamp", NULL),
        ],
        indexes={
            "job_statuses_job_id_index": ["job_id"],
            "job_statuses_type_index": ["type"],
            "job_statuses_queue_index": ["queue"],
            "job_statuses_status_index": ["status"],
        },
    ),
    "alembic_version": Table(
        columns=[column("version_num", "varchar(32)", NOT_NULL)],
        primary_key=["version_num"],
    ),
}

INTEGER_ID_TABLES = sorted(
    name
    for name, table in EXPECTED.items()
    if table.primary_key == ["id"] and table.columns[0][1] in ("int unsigned", "bigint unsigned")
)


def expected_type(type_name, dialect_name):
    if type_name.startswith("varchar"):
        return type_name.upper()
    return ENGINE_TYPES[dialect_name][type_name]


def reflected_type(column_type, dialect):
    """Return the compiled type without integer display widths, which MySQL 8 no longer reports.

    ``TINYINT(1)`` keeps its width, because that is how MySQL spells a boolean.
    """
    compiled = column_type.compile(dialect=dialect)
    if compiled.startswith("TINYINT(1)"):
        return compiled
    return re.sub(r"^(TINYINT|SMALLINT|INTEGER|BIGINT)\(\d+\)", r"\1", compiled)


def reflected_default(default):
    """Return a reflected server default as a bare value: no quotes, no brackets, no NULL."""
    if default is None or default.upper() == "NULL":
        return None
    value = default.strip()
    while value.startswith("(") and value.endswith(")"):
        value = value[1:-1]
    if value.lower() in ("current_timestamp", "current_timestamp()"):
        return "CURRENT_TIMESTAMP"
    if len(value) >= 2 and value[0] == value[-1] == "'":
        value = value[1:-1]
    return value


@pytest.fixture(scope="module")
def engine(app):
    with app.app_context():
        yield _db.engine


@pytest.fixture(scope="module")
def inspector(engine):
    return sa.inspect(engine)


@pytest.fixture
def columns(inspector, table):
    return inspector.get_columns(table)


@pytest.fixture(params=sorted(EXPECTED))
def table(request):
    return request.param


def test_every_live_table_exists(inspector):
    # Later revisions may add tables of their own. The comparison of models and database covers those.
    missing = set(EXPECTED) - set(inspector.get_table_names())
    assert missing == set()


def test_column_names_in_order(table, columns):
    assert [reflected["name"] for reflected in columns] == [name for name, *_ in EXPECTED[table].columns]


def test_column_types(table, columns, engine):
    dialect_name = engine.dialect.name
    actual = {reflected["name"]: reflected_type(reflected["type"], engine.dialect) for reflected in columns}
    expected = {name: expected_type(type_name, dialect_name) for name, type_name, *_ in EXPECTED[table].columns}
    assert actual == expected


def test_column_nullability(table, columns):
    actual = {reflected["name"]: reflected["nullable"] for reflected in columns}
    expected = {name: nullable for name, _type, nullable, _default in EXPECTED[table].columns}
    assert actual == expected


def test_column_server_defaults(table, columns):
    actual = {reflected["name"]: reflected_default(reflected.get("default")) for reflected in columns}
    expected = {name: default for name, _type, _nullable, default in EXPECTED[table].columns}
    assert actual == expected


def test_primary_key(table, inspector):
    assert inspector.get_pk_constraint(table)["constrained_columns"] == EXPECTED[table].primary_key


@pytest.mark.parametrize("table", INTEGER_ID_TABLES)
def test_integer_id_numbers_itself(table, engine, columns):
    id_column = columns[0]
    if engine.dialect.name == "sqlite":
        # A single INTEGER primary key is SQLite's rowid, which numbers new rows.
        assert reflected_type(id_column["type"], engine.dialect) == "INTEGER"
    else:
        assert id_column["autoincrement"] is True


def test_unique_keys(table, inspector):
    unique = {constraint["name"]: constraint["column_names"] for constraint in inspector.get_unique_constraints(table)}
    unique.update(
        {index["name"]: index["column_names"] for index in inspector.get_indexes(table) if index["unique"]}
    )
    assert unique == EXPECTED[table].unique


def test_named_indexes(table, inspector):
    # MySQL gives every foreign key an index named after the key. Those belong to the keys, not here.
    foreign_key_names = {key["name"] for key in inspector.get_foreign_keys(table)}
    indexes = {
        index["name"]: index["column_names"]
        for index in inspector.get_indexes(table)
        if not index["unique"] and index["name"] not in foreign_key_names
    }
    assert indexes == EXPECTED[table].indexes


def test_foreign_keys(table, inspector):
    keys = {
        key["name"]: (key["constrained_columns"], key["referred_table"], key["options"].get("ondelete"))
        for key in inspector.get_foreign_keys(table)
    }
    assert keys == EXPECTED[table].foreign_keys


def test_foreign_keys_refer_to_ids(table, inspector):
    for key in inspector.get_foreign_keys(table):
        assert key["referred_columns"] == ["id"], key["name"]
