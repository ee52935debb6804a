"""Payment requests, each identified by a state token that groups the `confirm` history rows."""

import sqlalchemy as sa

from arc.columns import String, UnsignedInt, id_column, updated_at_column
from arc import clock
from arc.extensions import db


class StateToken(db.Model):
    """A trader's payment request; ``admin_user_id`` is set when a member of staff marks it paid."""

    __tablename__ = "state_tokens"

    id = id_column()
    uuid = db.Column(String, nullable=False, unique=True)
    # No foreign keys on these two in the live schema.
    user_id = db.Column(UnsignedInt, nullable=True)
    # Indexed for the payments page and the side-menu highlight, which read recent requests only.
    created_at = db.Column(sa.TIMESTAMP(), nullable=True, default=clock.now, index=True)
    admin_user_id = db.Column(UnsignedInt, nullable=True)
    updated_at = updated_at_column()

    voucher_states = db.relationship("VoucherState", back_populates="state_token", order_by="VoucherState.id")

    @property
    def is_paid(self):
        return self.admin_user_id is not None
