"""Add the table of duplicate-voucher reports waiting to be e-mailed to the charity.

Each row is one attempt by a trader-app user to submit a voucher code that another trader had
already recorded. ``emailed_at`` stays NULL until the report goes out in the trader's next e-mail,
which is sent at most once an hour per trader. The table is new, so the upgrade changes no
existing data.

Revision ID: 0003_duplicate_voucher_reports
Revises: 0002_voucher_code_unique
Created: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003_duplicate_voucher_reports"
down_revision = "0002_voucher_code_unique"
branch_labels = None
depends_on = None

# INT UNSIGNED, as every id of the live schema; SQLite keeps a plain INTEGER so that the key is its rowid.
INT_UNSIGNED = sa.Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")
TABLE = "duplicate_voucher_reports"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", INT_UNSIGNED, nullable=False, autoincrement=True),
        sa.Column("trader_id", INT_UNSIGNED, nullable=False),
        sa.Column("user_id", INT_UNSIGNED, nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("created_at", sa.TIMESTAMP(), nullable=True),
        sa.Column("emailed_at", sa.TIMESTAMP(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=f"{TABLE}_pkey"),
        # Reports are deleted with their trader or user row.
        sa.ForeignKeyConstraint(
            ["trader_id"], ["traders.id"], name=f"{TABLE}_trader_id_foreign", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=f"{TABLE}_user_id_foreign", ondelete="CASCADE"),
        # The first index also serves the trader foreign key, so MySQL adds no index of its own for it.
        sa.Index(f"{TABLE}_trader_id_emailed_at_index", "trader_id", "emailed_at"),
        sa.Index(f"{TABLE}_user_id_index", "user_id"),
    )


def downgrade():
    op.drop_table(TABLE)
