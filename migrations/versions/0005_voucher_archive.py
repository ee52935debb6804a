"""Add the voucher archive: tables for finished vouchers and their history moved out of the live tables.

``flask --app wsgi arc archive-vouchers`` copies vouchers in a finished state, with their
``voucher_states`` rows, into ``archived_vouchers`` and ``archived_voucher_states`` and then deletes
the originals. The archive rows keep their original ids; neither table has foreign keys.

The previous service's archive command created tables of the same names with CREATE TABLE ... AS
SELECT, so they had no keys, plus a scratch table ``archive_voucher_ids``. When the upgrade finds
those tables, it renames them aside, creates the new tables, copies every row across and drops the
old tables, so earlier archives are kept; on a large archive the copy takes a while. The scratch
table only lists ids that the archive holds too, and is dropped.

The downgrade drops both tables, and stops without changing anything while either holds rows.

Revision ID: 0005_voucher_archive
Revises: 0004_state_tokens_created_at
Created: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0005_voucher_archive"
down_revision = "0004_state_tokens_created_at"
branch_labels = None
depends_on = None

# INT UNSIGNED, as every id of the live schema; SQLite keeps a plain INTEGER.
INT_UNSIGNED = sa.Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")
VARCHAR = sa.String(191)

VOUCHERS = "archived_vouchers"
STATES = "archived_voucher_states"
SCRATCH_TABLE = "archive_voucher_ids"
PREVIOUS_SUFFIX = "_previous_service"

VOUCHER_COLUMNS = (
    "id", "bundle_id", "delivery_id", "trader_id", "code", "currentstate", "sponsor_id",
    "created_at", "updated_at", "deleted_at",
)
STATE_COLUMNS = (
    "id", "transition", "from", "user_id", "user_type", "voucher_id", "to", "state_token_id", "source",
    "created_at", "updated_at",
)


class PreviousArchiveError(RuntimeError):
    """An archive table of the previous service lacks a column that the copy needs."""


class ArchiveNotEmptyError(RuntimeError):
    """The downgrade would drop archived rows."""


def create_archive_tables():
    op.create_table(
        VOUCHERS,
        sa.Column("id", INT_UNSIGNED, nullable=False, autoincrement=False),
        sa.Column("bundle_id", INT_UNSIGNED, nullable=True),
        sa.Column("delivery_id", INT_UNSIGNED, nullable=True),
        sa.Column("trader_id", INT_UNSIGNED, nullable=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("currentstate", sa.String(24), nullable=False),
        sa.Column("sponsor_id", INT_UNSIGNED, nullable=False),
        sa.Column("created_at", sa.TIMESTAMP(), nullable=True),
        sa.Column("updated_at", sa.TIMESTAMP(), nullable=True),
        sa.Column("deleted_at", sa.TIMESTAMP(), nullable=True),
        sa.Column("archived_at", sa.TIMESTAMP(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=f"{VOUCHERS}_pkey"),
        sa.Index(f"{VOUCHERS}_code_index", "code"),
    )
    op.create_table(
        STATES,
        sa.Column("id", INT_UNSIGNED, nullable=False, autoincrement=False),
        sa.Column("transition", VARCHAR, nullable=False),
        sa.Column("from", VARCHAR, nullable=True),
        sa.Column("user_id", INT_UNSIGNED, nullable=True),
        sa.Column("user_type", VARCHAR, nullable=True),
        sa.Column("voucher_id", INT_UNSIGNED, nullable=False),
        sa.Column("to", VARCHAR, nullable=False),
        sa.Column("state_token_id", INT_UNSIGNED, nullable=True),
        sa.Column("source", VARCHAR, nullable=False),
        sa.Column("created_at", sa.TIMESTAMP(), nullable=True),
        sa.Column("updated_at", sa.TIMESTAMP(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=f"{STATES}_pkey"),
        sa.Index(f"{STATES}_voucher_id_index", "voucher_id"),
    )


def copy_previous_rows(connection, table, columns):
    """Copy ``columns`` of every row of the renamed previous-service table into the new ``table``."""
    previous = table + PREVIOUS_SUFFIX
    present = {column["name"] for column in sa.inspect(connection).get_columns(previous)}
    missing = [name for name in columns if name not in present]
    if missing:
        raise PreviousArchiveError(
            f"The previous service's table {table} has no column {', '.join(missing)}, so its rows cannot be "
            f"copied into the new archive. Check that table, then run the upgrade again."
        )
    target = sa.table(table, *(sa.column(name) for name in columns))
    source = sa.table(previous, *(sa.column(name) for name in columns))
    connection.execute(sa.insert(target).from_select(list(columns), sa.select(*source.c)))


def upgrade():
    connection = op.get_bind()
    existing = set(sa.inspect(connection).get_table_names())
    previous_tables = [table for table in (VOUCHERS, STATES) if table in existing]
    for table in previous_tables:
        op.rename_table(table, table + PREVIOUS_SUFFIX)

    create_archive_tables()

    for table in previous_tables:
        copy_previous_rows(connection, table, VOUCHER_COLUMNS if table == VOUCHERS else STATE_COLUMNS)
        op.drop_table(table + PREVIOUS_SUFFIX)
    if SCRATCH_TABLE in existing:
        op.drop_table(SCRATCH_TABLE)


def downgrade():
    connection = op.get_bind()
    counts = {table: connection.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()
              for table in (VOUCHERS, STATES)}
    if any(counts.values()):
        held = ", ".join(f"{table} holds {count} rows" for table, count in counts.items())
        raise ArchiveNotEmptyError(
            f"Downgrading would drop archived vouchers: {held}. Back up or move those rows first "
            "(for example with mysqldump --tables), empty both tables, then downgrade again."
        )
    op.drop_table(STATES)
    op.drop_table(VOUCHERS)
