"""Vouchers, their transition history, and the deliveries that send them to centres."""

import sqlalchemy as sa

from arc.columns import (
    String,
    UnsignedInt,
    created_at_column,
    deleted_at_column,
    foreign_key,
    id_column,
    updated_at_column,
)
from arc import clock
from arc.extensions import db


class Delivery(db.Model):
    """A consignment of printed vouchers sent to a centre; ``range`` is display text only."""

    __tablename__ = "deliveries"

    id = id_column()
    centre_id = foreign_key("centres.id", nullable=False)
    range = db.Column(String, nullable=False)
    dispatched_at = db.Column(sa.DateTime, nullable=False)
    created_at = created_at_column()
    updated_at = updated_at_column()

    centre = db.relationship("Centre")
    vouchers = db.relationship("Voucher", back_populates="delivery")


class Voucher(db.Model):
    """One paper voucher, identified by its printed code, moving through the voucher state machine."""

    __tablename__ = "vouchers"
    __table_args__ = (sa.Index("vouchers_code_unique", "code", unique=True),)

    id = id_column()
    bundle_id = foreign_key("bundles.id", nullable=True)
    delivery_id = foreign_key("deliveries.id", nullable=True)
    trader_id = foreign_key("traders.id", nullable=True)
    code = db.Column(sa.String(32), nullable=False)
    # The database default is a state the machine no longer has; every creation path sets `printed`.
    currentstate = db.Column(sa.String(24), nullable=False, server_default="requested", index=True)
    sponsor_id = foreign_key("sponsors.id", nullable=False)
    created_at = created_at_column()
    updated_at = updated_at_column()
    deleted_at = deleted_at_column()

    bundle = db.relationship("Bundle", back_populates="vouchers")
    delivery = db.relationship("Delivery", back_populates="vouchers")
    trader = db.relationship("Trader")
    sponsor = db.relationship("Sponsor")
    history = db.relationship("VoucherState", back_populates="voucher", order_by="VoucherState.id")

    def __repr__(self):
        return f"<Voucher {self.id} {self.code} {self.currentstate}>"


class VoucherState(db.Model):
    """One row of a voucher's transition history.

    ``user_id`` holds the id of whichever kind of user acted; ``user_type`` says which table it is in.
    """

    __tablename__ = "voucher_states"
    __table_args__ = (sa.Index("voucher_states_to_voucher_id_index", "to", "voucher_id"),)

    id = id_column()
    transition = db.Column(String, nullable=False)
    from_state = db.Column("from", String, nullable=True)
    # No foreign key: the id may be of a users, admin_users or centre_users row, as user_type records.
    user_id = db.Column(UnsignedInt, nullable=True, index=True)
    user_type = db.Column(String, nullable=True, server_default="")
    voucher_id = db.Column(UnsignedInt, db.ForeignKey("vouchers.id"), nullable=False, index=True)
    to_state = db.Column("to", String, nullable=False)
    state_token_id = foreign_key("state_tokens.id", nullable=True)
    source = db.Column(String, nullable=False)
    created_at = db.Column(sa.TIMESTAMP(), nullable=True, default=clock.now, index=True)
    updated_at = updated_at_column()

    voucher = db.relationship("Voucher", back_populates="history")
    state_token = db.relationship("StateToken", back_populates="voucher_states")
