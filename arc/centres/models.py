"""Children's centres and the link between centres and centre users."""

import sqlalchemy as sa

from arc.columns import String, UnsignedInt, created_at_column, foreign_key, id_column, updated_at_column
from arc.extensions import db

PRINT_PREFERENCES = ("collection", "individual")

centre_centre_user = db.Table(
    "centre_centre_user",
    db.Column(
        "centre_user_id",
        UnsignedInt,
        db.ForeignKey("centre_users.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    db.Column("centre_id", UnsignedInt, db.ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True, index=True),
    db.Column("homeCentre", sa.Boolean, nullable=False, default=False, server_default=sa.text("0")),
)


class Centre(db.Model):
    """A children's centre (or prescribing site) inside an area, where families register."""

    __tablename__ = "centres"

    id = id_column()
    name = db.Column(String, nullable=False)
    prefix = db.Column(sa.String(5), nullable=False, unique=True)
    sponsor_id = foreign_key("sponsors.id", nullable=False)
    print_pref = db.Column(
        sa.Enum(*PRINT_PREFERENCES, name="print_pref"),
        nullable=False,
        default="collection",
        server_default="collection",
    )
    created_at = created_at_column()
    updated_at = updated_at_column()

    sponsor = db.relationship("Sponsor", back_populates="centres")

    def __repr__(self):
        return f"<Centre {self.id} {self.prefix}>"
