"""Index payment requests by creation time.

The admin payments page and the highlight of its side-menu link read only the requests of the last
21 days; the index lets them do so without reading every request ever made. The upgrade adds an
index only, so it changes no data.

Revision ID: 0004_state_tokens_created_at
Revises: 0003_duplicate_voucher_reports
Created: 2026-12-06
"""

from alembic import op

revision = "0004_state_tokens_created_at"
down_revision = "0003_duplicate_voucher_reports"
branch_labels = None
depends_on = None

INDEX = "state_tokens_created_at_index"


def upgrade():
    op.create_index(INDEX, "state_tokens", ["created_at"])


def downgrade():
    op.drop_index(INDEX, table_name="state_tokens")
