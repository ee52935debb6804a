"""The voucher archive: finished vouchers and their history, moved out of the live tables.

Rows keep the ids, columns and values they had in ``vouchers`` and ``voucher_states``. The archive
has no foreign keys, so the areas, traders and bundles its rows name can still be deleted.
"""

import sqlalchemy as sa

from arc.columns import String, UnsignedInt
from arc.extensions import db


class ArchivedVoucher(db.Model):
    """A voucher as it was when archived; ``archived_at`` is NULL for rows the previous service archived."""

    __tablename__ = "archived_vouchers"

    id = db.Column(UnsignedInt, primary_key=True, autoincrement=False)
    bundle_id = db.Column(UnsignedInt, nullable=True)
    delivery_id = db.Column(UnsignedInt, nullable=True)
    trader_id = db.Column(UnsignedInt, nullable=True)
    code = db.Column(sa.String(32), nullable=False, index=True)
    currentstate = db.Column(sa.String(24), nullable=False)
    sponsor_id = db.Column(UnsignedInt, nullable=False)
    created_at = db.Column(sa.TIMESTAMP(), nullable=True)
    updated_at = db.Column(sa.TIMESTAMP(), nullable=True)
    deleted_at = db.Column(sa.TIMESTAMP(), nullable=True)
    archived_at = db.Column(sa.TIMESTAMP(), nullable=True)

    def __repr__(self):
        return f"<ArchivedVoucher {self.id} {self.code} {self.currentstate}>"


class ArchivedVoucherState(db.Model):
    """One history row of an archived voucher."""

    __tablename__ = "archived_voucher_states"

    id = db.Column(UnsignedInt, primary_key=True, autoincrement=False)
    transition = db.Column(String, nullable=False)
    from_state = db.Column("from", String, nullable=True)
    user_id = db.Column(UnsignedInt, nullable=True)
    user_type = db.Column(String, nullable=True)
    voucher_id = db.Column(UnsignedInt, nullable=False, index=True)
    to_state = db.Column("to", String, nullable=False)
    state_token_id = db.Column(UnsignedInt, nullable=True)
    source = db.Column(String, nullable=False)
    created_at = db.Column(sa.TIMESTAMP(), nullable=True)
    updated_at = db.Column(sa.TIMESTAMP(), nullable=True)
