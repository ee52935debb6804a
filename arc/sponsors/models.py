"""Areas (sponsors) and their entitlement rule overrides."""

import sqlalchemy as sa

from arc.columns import String, created_at_column, deleted_at_column, id_column, updated_at_column
from arc.extensions import db

PROGRAMMES = {0: "Standard", 1: "Social Prescribing"}
STANDARD_PROGRAMME = 0
SOCIAL_PRESCRIBING_PROGRAMME = 1


class Sponsor(db.Model):
    """An area that funds vouchers; its shortcode prefixes every voucher code it owns."""

    __tablename__ = "sponsors"

    id = id_column()
    name = db.Column(String, nullable=False)
    shortcode = db.Column(String, nullable=False, unique=True)
    programme = db.Column(sa.Integer, nullable=False, default=0, server_default=sa.text("0"))
    created_at = created_at_column()
    updated_at = updated_at_column()
    deleted_at = deleted_at_column()
    can_tap = db.Column(sa.Boolean, nullable=False, default=False, server_default=sa.text("0"))

    centres = db.relationship("Centre", back_populates="sponsor", order_by="Centre.id")
    evaluations = db.relationship(
        "Evaluation",
        primaryjoin="Sponsor.id == foreign(Evaluation.sponsor_id)",
        order_by="Evaluation.id",
        viewonly=True,
    )

    @property
    def programme_name(self):
        return PROGRAMMES.get(self.programme, "Unknown")

    def __repr__(self):
        return f"<Sponsor {self.id} {self.shortcode}>"


class Evaluation(db.Model):
    """One override of an area's entitlement rules: a rule switched off (value NULL) or re-valued."""

    __tablename__ = "evaluations"
    __table_args__ = (sa.UniqueConstraint("sponsor_id", "name", "purpose", name="unique_sponsor_name"),)

    id = id_column()
    # The live schema has no foreign key here, and the column is signed.
    sponsor_id = db.Column(sa.Integer, nullable=False)
    name = db.Column(String, nullable=False)
    entity = db.Column(String, nullable=False)
    purpose = db.Column(String, nullable=False)
    value = db.Column(sa.Integer, nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
