"""Make voucher codes unique, and drop the foreign key from voucher history to trader-app users.

Before changing anything, the upgrade looks for voucher codes used by more than one row, comparing
codes in upper case with ASCII whitespace removed (the live MySQL collation ignores case, so
``RVNT0001`` and ``rvnt0001`` are the same code there). If it finds any, it stops with a list of
them and leaves the database as it was. Otherwise it replaces the plain index on ``vouchers.code``
with a unique one.

``voucher_states.user_id`` stores the id of a trader-app user, an admin user or a centre user, as
``user_type`` records, so a foreign key to ``users`` rejects legitimate history rows. The upgrade drops
that key and keeps an index on the column. The downgrade restores the key, which fails on MySQL if
history rows then hold ids that are not in ``users``.

Revision ID: 0002_voucher_code_unique
Revises: 0001_baseline
Created: 2026-12-05
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0002_voucher_code_unique"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

# Removed from codes before they are compared: space, tab, line feed, carriage return, vertical tab, form feed.
WHITESPACE = (" ", "\t", "\n", "\r", "\v", "\f")

USER_FOREIGN_KEY = "voucher_states_user_id_foreign"
USER_INDEX = "voucher_states_user_id_index"


class DuplicateVoucherCodesError(RuntimeError):
    """Existing vouchers share a code, so a unique index on the code cannot be created."""


def find_duplicate_codes(connection):
    """Return ``(code, rows)`` for each normalised code used by more than one voucher, soft-deleted ones included."""
    vouchers = sa.table("vouchers", sa.column("code", sa.String))
    stripped = vouchers.c.code
    for character in WHITESPACE:
        stripped = sa.func.replace(stripped, character, "")
    normalised = sa.select(sa.func.upper(stripped).label("code")).subquery()

    rows = sa.func.count().label("rows")
    query = (
        sa.select(normalised.c.code, rows)
        .group_by(normalised.c.code)
        .having(sa.func.count() > 1)
        .order_by(normalised.c.code)
    )
    return connection.execute(query).all()


def duplicate_codes_message(duplicates):
    lines = [
        f"Cannot make voucher codes unique: {len(duplicates)} code(s) are used by more than one voucher "
        "(codes compared in upper case with whitespace removed):"
    ]
    lines.extend(f"  {code}: {rows} vouchers" for code, rows in duplicates)
    lines.append(
        "Resolve these duplicates so that each code belongs to one voucher, soft-deleted vouchers included, "
        "then run the upgrade again. The database has not been changed."
    )
    return "\n".join(lines)


def upgrade():
    if context.is_offline_mode():
        raise RuntimeError(
            "Revision 0002_voucher_code_unique checks the existing voucher codes before it changes the schema, "
            "so it cannot be written out as SQL. Run the upgrade against the database, without --sql."
        )

    connection = op.get_bind()
    duplicates = find_duplicate_codes(connection)
    if duplicates:
        raise DuplicateVoucherCodesError(duplicate_codes_message(duplicates))

    # The unique index comes first, so that the code column is never left without an index.
    op.create_index("vouchers_code_unique", "vouchers", ["code"], unique=True)
    op.drop_index("vouchers_code_index", table_name="vouchers")

    with op.batch_alter_table("voucher_states") as batch_op:
        batch_op.drop_constraint(USER_FOREIGN_KEY, type_="foreignkey")

    index_names = {index["name"] for index in sa.inspect(connection).get_indexes("voucher_states")}
    if USER_FOREIGN_KEY in index_names:
        # MySQL built this index for the foreign key and keeps it after the key is dropped; renaming
        # it is instant, where building a new index on a large history table is not.
        op.execute(f"ALTER TABLE voucher_states RENAME INDEX {USER_FOREIGN_KEY} TO {USER_INDEX}")
    else:
        op.create_index(USER_INDEX, "voucher_states", ["user_id"])


def downgrade():
    if op.get_context().dialect.name in ("mysql", "mariadb"):
        # Give the index back the name MySQL uses for the index of a foreign key, and the key uses it.
        op.execute(f"ALTER TABLE voucher_states RENAME INDEX {USER_INDEX} TO {USER_FOREIGN_KEY}")
    else:
        op.drop_index(USER_INDEX, table_name="voucher_states")

    with op.batch_alter_table("voucher_states") as batch_op:
        batch_op.create_foreign_key(USER_FOREIGN_KEY, "users", ["user_id"], ["id"])

    op.create_index("vouchers_code_index", "vouchers", ["code"])
    op.drop_index("vouchers_code_unique", table_name="vouchers")
