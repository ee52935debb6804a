"""Baseline: the schema of the live database as the previous service left it.

Upgrading an empty database to this revision builds the tables, columns, keys and indexes that the
previous (Laravel) service's migrations produced on MySQL, with the same names. An existing live
database already has this schema: adopt it with ``flask --app wsgi db stamp 0001_baseline``, which
records the revision without running it.

Revision ID: 0001_baseline
Revises:
Created: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

# Column types of the live MySQL schema. SQLite gets plain INTEGER for the integer keys, so that an
# integer primary key is its rowid and numbers itself.
INT_UNSIGNED = sa.Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")
BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BIGINT_UNSIGNED = (
    sa.BigInteger().with_variant(mysql.BIGINT(unsigned=True), "mysql", "mariadb").with_variant(sa.Integer(), "sqlite")
)
TINYINT_UNSIGNED = sa.SmallInteger().with_variant(mysql.TINYINT(unsigned=True), "mysql", "mariadb")
LONGTEXT = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
# The previous service capped default string columns at 191 characters, so that a utf8mb4 index
# fits MySQL's old 767-byte key limit.
VARCHAR = sa.String(191)

PRINT_PREFERENCES = ("collection", "individual")

# Tables in creation order: every table comes after the tables its foreign keys refer to.
TABLES = (
    "sponsors",
    "centres",
    "markets",
    "traders",
    "users",
    "trader_user",
    "admin_users",
    "centre_users",
    "centre_centre_user",
    "families",
    "carers",
    "children",
    "registrations",
    "bundles",
    "deliveries",
    "vouchers",
    "state_tokens",
    "voucher_states",
    "evaluations",
    "notes",
    "market_logs",
    "migrations",
    "password_resets",
    "oauth_auth_codes",
    "oauth_access_tokens",
    "oauth_refresh_tokens",
    "oauth_clients",
    "oauth_personal_access_clients",
    "jobs",
    "failed_jobs",
    "job_statuses",
)


def id_column():
    """Return the auto-increment ``INT UNSIGNED`` key that every domain table has."""
    return sa.Column("id", INT_UNSIGNED, nullable=False, autoincrement=True)


def reference(name, nullable):
    """Return an ``INT UNSIGNED`` column holding another table's id."""
    return sa.Column(name, INT_UNSIGNED, nullable=nullable)


def timestamp(name):
    return sa.Column(name, sa.TIMESTAMP(), nullable=True)


def create_domain_tables():
    op.create_table(
        "sponsors",
        id_column(),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("shortcode", VARCHAR, nullable=False),
        sa.Column("programme", sa.Integer(), nullable=False, server_default=sa.text("0")),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("deleted_at"),
        sa.Column("can_tap", sa.Boolean(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="sponsors_pkey"),
        sa.UniqueConstraint("shortcode", name="sponsors_shortcode_unique"),
    )
    op.create_table(
        "centres",
        id_column(),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("prefix", sa.String(5), nullable=False),
        reference("sponsor_id", nullable=False),
        sa.Column(
            "print_pref",
            sa.Enum(*PRINT_PREFERENCES, name="print_pref"),
            nullable=False,
            server_default="collection",
        ),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="centres_pkey"),
        sa.UniqueConstraint("prefix", name="centres_prefix_unique"),
        sa.ForeignKeyConstraint(["sponsor_id"], ["sponsors.id"], name="centres_sponsor_id_foreign"),
    )
    op.create_table(
        "markets",
        id_column(),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("location", VARCHAR, nullable=False),
        reference("sponsor_id", nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("deleted_at"),
        sa.Column("payment_message", VARCHAR, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="markets_pkey"),
        sa.ForeignKeyConstraint(["sponsor_id"], ["sponsors.id"], name="markets_sponsor_id_foreign"),
    )
    op.create_table(
        "traders",
        id_column(),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("pic_url", VARCHAR, nullable=True),
        reference("market_id", nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("deleted_at"),
        timestamp("disabled_at"),
        sa.PrimaryKeyConstraint("id", name="traders_pkey"),
        sa.ForeignKeyConstraint(["market_id"], ["markets.id"], name="traders_market_id_foreign"),
    )
    op.create_table(
        "users",
        id_column(),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("email", VARCHAR, nullable=False),
        sa.Column("password", VARCHAR, nullable=False),
        sa.Column("remember_token", sa.String(100), nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("deleted_at"),
        sa.PrimaryKeyConstraint("id", name="users_pkey"),
        sa.UniqueConstraint("email", name="users_email_unique"),
    )
    op.create_table(
        "trader_user",
        reference("trader_id", nullable=False),
        reference("user_id", nullable=False),
        sa.PrimaryKeyConstraint("trader_id", "user_id", name="trader_user_pkey"),
        sa.ForeignKeyConstraint(
            ["trader_id"], ["traders.id"], name="trader_user_trader_id_foreign", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="trader_user_user_id_foreign", ondelete="CASCADE"),
        sa.Index("trader_user_trader_id_index", "trader_id"),
        sa.Index("trader_user_user_id_index", "user_id"),
    )
    op.create_table(
        "admin_users",
        id_column(),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("email", VARCHAR, nullable=False),
        sa.Column("password", VARCHAR, nullable=False),
        sa.Column("remember_token", sa.String(100), nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("deleted_at"),
        sa.PrimaryKeyConstraint("id", name="admin_users_pkey"),
        sa.UniqueConstraint("email", name="admin_users_email_unique"),
    )
    op.create_table(
        "centre_users",
        id_column(),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("email", VARCHAR, nullable=False),
        sa.Column("password", VARCHAR, nullable=False),
        sa.Column("role", VARCHAR, nullable=False, server_default="centre_user"),
        sa.Column("downloader", sa.Boolean(), nullable=False, server_default=sa.text("0")),
        sa.Column("remember_token", sa.String(100), nullable=True),
        reference("centre_id", nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("deleted_at"),
        sa.PrimaryKeyConstraint("id", name="centre_users_pkey"),
        sa.UniqueConstraint("email", name="centre_users_email_unique"),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"], name="centre_users_centre_id_foreign"),
    )
    op.create_table(
        "centre_centre_user",
        reference("centre_user_id", nullable=False),
        reference("centre_id", nullable=False),
        sa.Column("homeCentre", sa.Boolean(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("centre_user_id", "centre_id", name="centre_centre_user_pkey"),
        sa.ForeignKeyConstraint(
            ["centre_user_id"],
            ["centre_users.id"],
            name="centre_centre_user_centre_user_id_foreign",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centres.id"], name="centre_centre_user_centre_id_foreign", ondelete="CASCADE"
        ),
        sa.Index("centre_centre_user_centre_user_id_index", "centre_user_id"),
        sa.Index("centre_centre_user_centre_id_index", "centre_id"),
    )
    op.create_table(
        "families",
        id_column(),
        reference("initial_centre_id", nullable=True),
        sa.Column("centre_sequence", sa.Integer(), nullable=True),
        sa.Column("leaving_on", sa.DateTime(), nullable=True),
        sa.Column("leaving_reason", sa.String(128), nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("rejoin_on"),
        sa.Column("leave_amount", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="families_pkey"),
        sa.ForeignKeyConstraint(["initial_centre_id"], ["centres.id"], name="families_initial_centre_id_foreign"),
    )
    op.create_table(
        "carers",
        id_column(),
        sa.Column("name", VARCHAR, nullable=False),
        reference("family_id", nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("deleted_at"),
        sa.Column("ethnicity", VARCHAR, nullable=True),
        sa.Column("language", VARCHAR, nullable=True),
        sa.PrimaryKeyConstraint("id", name="carers_pkey"),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"], name="carers_family_id_foreign"),
    )
    op.create_table(
        "children",
        id_column(),
        sa.Column("dob", sa.DateTime(), nullable=False),
        sa.Column("born", sa.Boolean(), nullable=False, server_default=sa.text("1")),
        sa.Column("verified", sa.Boolean(), nullable=True),
        reference("family_id", nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.Column("deferred", sa.Boolean(), nullable=True, server_default=sa.text("0")),
        sa.Column("is_pri_carer", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="children_pkey"),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"], name="children_family_id_foreign"),
    )
    op.create_table(
        "registrations",
        id_column(),
        reference("family_id", nullable=False),
        reference("centre_id", nullable=False),
        sa.Column("eligibility_nrpf", VARCHAR, nullable=True),
        sa.Column("eligibility_hsbs", VARCHAR, nullable=True),
        sa.Column("consented_on", sa.DateTime(), nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("eligible_from"),
        sa.PrimaryKeyConstraint("id", name="registrations_pkey"),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"], name="registrations_family_id_foreign"),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"], name="registrations_centre_id_foreign"),
    )
    op.create_table(
        "bundles",
        id_column(),
        sa.Column("entitlement", INT_UNSIGNED, nullable=False),
        reference("registration_id", nullable=False),
        reference("collecting_carer_id", nullable=True),
        reference("disbursing_centre_id", nullable=True),
        reference("disbursing_user_id", nullable=True),
        timestamp("disbursed_at"),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="bundles_pkey"),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"], name="bundles_registration_id_foreign"),
        sa.ForeignKeyConstraint(["collecting_carer_id"], ["carers.id"], name="bundles_collecting_carer_id_foreign"),
        sa.ForeignKeyConstraint(
            ["disbursing_centre_id"], ["centres.id"], name="bundles_disbursing_centre_id_foreign"
        ),
        sa.ForeignKeyConstraint(
            ["disbursing_user_id"], ["centre_users.id"], name="bundles_disbursing_user_id_foreign"
        ),
    )
    op.create_table(
        "deliveries",
        id_column(),
        reference("centre_id", nullable=False),
        sa.Column("range", VARCHAR, nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="deliveries_pkey"),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"], name="deliveries_centre_id_foreign"),
    )
    op.create_table(
        "vouchers",
        id_column(),
        reference("bundle_id", nullable=True),
        reference("delivery_id", nullable=True),
        reference("trader_id", nullable=True),
        sa.Column("code", sa.String(32), nullable=False),
        # 'requested' is a state the voucher state machine no longer has.
        sa.Column("currentstate", sa.String(24), nullable=False, server_default="requested"),
        reference("sponsor_id", nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("deleted_at"),
        sa.PrimaryKeyConstraint("id", name="vouchers_pkey"),
        sa.ForeignKeyConstraint(["bundle_id"], ["bundles.id"], name="vouchers_bundle_id_foreign"),
        sa.ForeignKeyConstraint(["delivery_id"], ["deliveries.id"], name="vouchers_delivery_id_foreign"),
        sa.ForeignKeyConstraint(["trader_id"], ["traders.id"], name="vouchers_trader_id_foreign"),
        sa.ForeignKeyConstraint(["sponsor_id"], ["sponsors.id"], name="vouchers_sponsor_id_foreign"),
        # Not unique: the previous service could create the same code twice.
        sa.Index("vouchers_code_index", "code"),
        sa.Index("vouchers_currentstate_index", "currentstate"),
    )
    op.create_table(
        "state_tokens",
        id_column(),
        sa.Column("uuid", VARCHAR, nullable=False),
        # Neither user column has a foreign key in the live schema.
        sa.Column("user_id", INT_UNSIGNED, nullable=True),
        timestamp("created_at"),
        sa.Column("admin_user_id", INT_UNSIGNED, nullable=True),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="state_tokens_pkey"),
        sa.UniqueConstraint("uuid", name="state_tokens_uuid_unique"),
    )
    op.create_table(
        "voucher_states",
        id_column(),
        sa.Column("transition", VARCHAR, nullable=False),
        sa.Column("from", VARCHAR, nullable=True),
        reference("user_id", nullable=True),
        sa.Column("user_type", VARCHAR, nullable=True, server_default=""),
        reference("voucher_id", nullable=False),
        sa.Column("to", VARCHAR, nullable=False),
        reference("state_token_id", nullable=True),
        sa.Column("source", VARCHAR, nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="voucher_states_pkey"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="voucher_states_user_id_foreign"),
        sa.ForeignKeyConstraint(["voucher_id"], ["vouchers.id"], name="voucher_states_voucher_id_foreign"),
        sa.ForeignKeyConstraint(
            ["state_token_id"], ["state_tokens.id"], name="voucher_states_state_token_id_foreign"
        ),
        sa.Index("voucher_states_to_voucher_id_index", "to", "voucher_id"),
        sa.Index("voucher_states_created_at_index", "created_at"),
        sa.Index("voucher_states_voucher_id_index", "voucher_id"),
    )
    op.create_table(
        "evaluations",
        id_column(),
        # Signed, and with no foreign key to sponsors, as in the live schema.
        sa.Column("sponsor_id", sa.Integer(), nullable=False),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("entity", VARCHAR, nullable=False),
        sa.Column("purpose", VARCHAR, nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="evaluations_pkey"),
        sa.UniqueConstraint("sponsor_id", "name", "purpose", name="unique_sponsor_name"),
    )
    op.create_table(
        "notes",
        id_column(),
        sa.Column("content", sa.Text(), nullable=False),
        reference("family_id", nullable=False),
        reference("user_id", nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="notes_pkey"),
        sa.ForeignKeyConstraint(["family_id"], ["families.id"], name="notes_family_id_foreign"),
        sa.ForeignKeyConstraint(["user_id"], ["centre_users.id"], name="notes_user_id_foreign"),
    )
    op.create_table(
        "market_logs",
        id_column(),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.Column("url", VARCHAR, nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("created", VARCHAR, nullable=False),
        sa.Column("data", LONGTEXT, nullable=False),
        sa.Column("hash", VARCHAR, nullable=False),
        sa.Column("trader_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="market_logs_pkey"),
    )


def create_framework_tables():
    """Create the previous framework's own tables: migrations record, password resets, OAuth, queue."""
    op.create_table(
        "migrations",
        id_column(),
        sa.Column("migration", VARCHAR, nullable=False),
        sa.Column("batch", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="migrations_pkey"),
    )
    # No primary key, as in the live schema.
    op.create_table(
        "password_resets",
        sa.Column("email", VARCHAR, nullable=False),
        sa.Column("token", VARCHAR, nullable=False),
        timestamp("created_at"),
        sa.Index("password_resets_email_index", "email"),
    )
    op.create_table(
        "oauth_auth_codes",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("user_id", BIGINT_UNSIGNED, nullable=False),
        sa.Column("client_id", BIGINT_UNSIGNED, nullable=False),
        sa.Column("scopes", sa.Text(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="oauth_auth_codes_pkey"),
        sa.Index("oauth_auth_codes_user_id_index", "user_id"),
    )
    op.create_table(
        "oauth_access_tokens",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("user_id", BIGINT_UNSIGNED, nullable=True),
        sa.Column("client_id", BIGINT_UNSIGNED, nullable=False),
        sa.Column("name", VARCHAR, nullable=True),
        sa.Column("scopes", sa.Text(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="oauth_access_tokens_pkey"),
        sa.Index("oauth_access_tokens_user_id_index", "user_id"),
    )
    op.create_table(
        "oauth_refresh_tokens",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("access_token_id", sa.String(100), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="oauth_refresh_tokens_pkey"),
        sa.Index("oauth_refresh_tokens_access_token_id_index", "access_token_id"),
    )
    op.create_table(
        "oauth_clients",
        sa.Column("id", BIGINT_UNSIGNED, nullable=False, autoincrement=True),
        sa.Column("user_id", BIGINT, nullable=True),
        sa.Column("name", VARCHAR, nullable=False),
        sa.Column("secret", sa.String(100), nullable=True),
        sa.Column("provider", VARCHAR, nullable=True),
        sa.Column("redirect", sa.Text(), nullable=False),
        sa.Column("personal_access_client", sa.Boolean(), nullable=False),
        sa.Column("password_client", sa.Boolean(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="oauth_clients_pkey"),
        sa.Index("oauth_clients_user_id_index", "user_id"),
    )
    op.create_table(
        "oauth_personal_access_clients",
        sa.Column("id", BIGINT_UNSIGNED, nullable=False, autoincrement=True),
        sa.Column("client_id", BIGINT, nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="oauth_personal_access_clients_pkey"),
    )
    op.create_table(
        "jobs",
        sa.Column("id", BIGINT_UNSIGNED, nullable=False, autoincrement=True),
        sa.Column("queue", VARCHAR, nullable=False),
        sa.Column("payload", LONGTEXT, nullable=False),
        sa.Column("attempts", TINYINT_UNSIGNED, nullable=False),
        # Unix times in seconds.
        sa.Column("reserved_at", INT_UNSIGNED, nullable=True),
        sa.Column("available_at", INT_UNSIGNED, nullable=False),
        sa.Column("created_at", INT_UNSIGNED, nullable=False),
        sa.PrimaryKeyConstraint("id", name="jobs_pkey"),
        sa.Index("jobs_queue_index", "queue"),
    )
    op.create_table(
        "failed_jobs",
        sa.Column("id", BIGINT_UNSIGNED, nullable=False, autoincrement=True),
        sa.Column("uuid", VARCHAR, nullable=False),
        sa.Column("connection", sa.Text(), nullable=False),
        sa.Column("queue", sa.Text(), nullable=False),
        sa.Column("payload", LONGTEXT, nullable=False),
        sa.Column("exception", LONGTEXT, nullable=False),
        sa.Column("failed_at", sa.TIMESTAMP(), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")),
        sa.PrimaryKeyConstraint("id", name="failed_jobs_pkey"),
        sa.UniqueConstraint("uuid", name="failed_jobs_uuid_unique"),
    )
    op.create_table(
        "job_statuses",
        id_column(),
        sa.Column("job_id", VARCHAR, nullable=True),
        sa.Column("type", VARCHAR, nullable=False),
        sa.Column("queue", VARCHAR, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("progress_now", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("progress_max", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("status", sa.String(16), nullable=False, server_default="queued"),
        sa.Column("input", LONGTEXT, nullable=True),
        sa.Column("output", LONGTEXT, nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        timestamp("started_at"),
        timestamp("finished_at"),
        sa.PrimaryKeyConstraint("id", name="job_statuses_pkey"),
        sa.Index("job_statuses_job_id_index", "job_id"),
        sa.Index("job_statuses_type_index", "type"),
        sa.Index("job_statuses_queue_index", "queue"),
        sa.Index("job_statuses_status_index", "status"),
    )


def upgrade():
    create_domain_tables()
    create_framework_tables()


def downgrade():
    # Dropping a table drops its indexes and keys; children go before the tables they refer to.
    for table in reversed(TABLES):
        op.drop_table(table)
