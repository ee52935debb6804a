"""Markets, the traders who trade at them, and the log table the trader app was meant to fill."""

import sqlalchemy as sa

from arc.columns import (
    LongText,
    String,
    UnsignedInt,
    created_at_column,
    deleted_at_column,
    foreign_key,
    id_column,
    updated_at_column,
)
from arc.extensions import db

trader_user = db.Table(
    "trader_user",
    db.Column("trader_id", UnsignedInt, db.ForeignKey("traders.id", ondelete="CASCADE"), primary_key=True, index=True),
    db.Column("user_id", UnsignedInt, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Market(db.Model):
    """A market inside an area, with the message telling its traders how to return paper vouchers."""

    __tablename__ = "markets"

    id = id_column()
    name = db.Column(String, nullable=False)
    location = db.Column(String, nullable=False)
    sponsor_id = foreign_key("sponsors.id", nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
    deleted_at = deleted_at_column()
    payment_message = db.Column(String, nullable=False, default="", server_default="")

    sponsor = db.relationship("Sponsor")
    traders = db.relationship("Trader", back_populates="market", order_by="Trader.id")


class Trader(db.Model):
    """A stall-holder who accepts vouchers; ``disabled_at`` set means its users can no longer act for it."""

    __tablename__ = "traders"

    id = id_column()
    name = db.Column(String, nullable=False)
    pic_url = db.Column(String, nullable=True)
    market_id = foreign_key("markets.id", nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
    deleted_at = deleted_at_column()
    disabled_at = db.Column(sa.TIMESTAMP(), nullable=True)

    market = db.relationship("Market", back_populates="traders")
    users = db.relationship("User", secondary=trader_user, back_populates="traders", order_by="User.id")

    @property
    def enabled(self):
        return self.disabled_at is None and self.deleted_at is None

    def __repr__(self):
        return f"<Trader {self.id}>"


class MarketLog(db.Model):
    """Client log entries from the trader app. The table exists in the live schema but stays empty."""

    __tablename__ = "market_logs"

    id = id_column()
    created_at = created_at_column()
    updated_at = updated_at_column()
    url = db.Column(String, nullable=False)
    status = db.Column(sa.Integer, nullable=False)
    created = db.Column(String, nullable=False)
    data = db.Column(LongText, nullable=False)
    hash = db.Column(String, nullable=False)
    trader_id = db.Column(sa.Integer, nullable=False)
