"""Families, their carers and children, their registrations at centres, bundles and notes."""

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
from arc.extensions import db

LEAVING_REASONS = (
    "moving out of centre area",
    "found employment",
    "no longer meets criteria",
    "travel to get/spend vouchers too expensive",
    "disliked market shopping",
    "no attendance",
    "too challenging to use vouchers with health conditions",
    "reached time limit on project",
    "unspecified",
)


class Family(db.Model):
    """A household on the scheme, numbered by the centre that first registered it (the RVID)."""

    __tablename__ = "families"

    id = id_column()
    initial_centre_id = foreign_key("centres.id", nullable=True)
    centre_sequence = db.Column(sa.Integer, nullable=True)
    leaving_on = db.Column(sa.DateTime, nullable=True)
    leaving_reason = db.Column(sa.String(128), nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
    rejoin_on = db.Column(sa.TIMESTAMP(), nullable=True)
    leave_amount = db.Column(sa.Integer, nullable=False, default=0, server_default=sa.text("0"))

    initial_centre = db.relationship("Centre")
    carers = db.relationship("Carer", back_populates="family", order_by="Carer.id")
    children = db.relationship("Child", back_populates="family", order_by="Child.id")
    registrations = db.relationship("Registration", back_populates="family", order_by="Registration.id")

    @property
    def rvid(self):
        """Return the family reference: centre prefix and sequence padded to four digits."""
        if self.initial_centre is None or self.centre_sequence is None:
            return "UNKNOWN"
        return f"{self.initial_centre.prefix}{self.centre_sequence:04d}"

    @property
    def is_active(self):
        return self.leaving_on is None or (self.rejoin_on is not None and self.rejoin_on > self.leaving_on)


class Carer(db.Model):
    """An adult of a family who may collect vouchers; the lowest id is the main carer."""

    __tablename__ = "carers"

    id = id_column()
    name = db.Column(String, nullable=False)
    family_id = foreign_key("families.id", nullable=False)
    created_at = created_at_column()
    updated_at = updated_at_column()
    deleted_at = deleted_at_column()
    ethnicity = db.Column(String, nullable=True)
    language = db.Column(String, nullable=True)

    family = db.relationship("Family", back_populates="carers")


class Child(db.Model):
    """A child of a family, or a pregnancy (``dob`` is then the due month)."""

    __tablename__ = "children"

    id = id_column()
    dob = db.Column(sa.DateTime, nullable=False)
    born = db.Column(sa.Boolean, nullable=False, default=True, server_default=sa.text("1"))
    verified = db.Column(sa.Boolean, nullable=True)
    family_id = foreign_key("families.id", nullable=False)
    created_at = created_at_column()
    updated_at = updated_at_column()
    deferred = db.Column(sa.Boolean, nullable=True, default=False, server_default=sa.text("0"))
    is_pri_carer = db.Column(sa.Boolean, nullable=True)

    family = db.relationship("Family", back_populates="children")


class Registration(db.Model):
    """A family's registration at the centre responsible for it, with consent and eligibility answers."""

    __tablename__ = "registrations"

    id = id_column()
    family_id = foreign_key("families.id", nullable=False)
    centre_id = foreign_key("centres.id", nullable=False)
    eligibility_nrpf = db.Column(String, nullable=True)
    eligibility_hsbs = db.Column(String, nullable=True)
    consented_on = db.Column(sa.DateTime, nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
    eligible_from = db.Column(sa.TIMESTAMP(), nullable=True)

    family = db.relationship("Family", back_populates="registrations")
    centre = db.relationship("Centre")
    bundles = db.relationship("Bundle", back_populates="registration", order_by="Bundle.id")


class Bundle(db.Model):
    """A weekly allocation of vouchers for a registration; ``disbursed_at`` is set once handed over."""

    __tablename__ = "bundles"

    id = id_column()
    entitlement = db.Column(UnsignedInt, nullable=False)
    registration_id = foreign_key("registrations.id", nullable=False)
    collecting_carer_id = foreign_key("carers.id", nullable=True)
    disbursing_centre_id = foreign_key("centres.id", nullable=True)
    disbursing_user_id = foreign_key("centre_users.id", nullable=True)
    disbursed_at = db.Column(sa.TIMESTAMP(), nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()

    registration = db.relationship("Registration", back_populates="bundles")
    collecting_carer = db.relationship("Carer")
    disbursing_centre = db.relationship("Centre")
    disbursing_user = db.relationship("CentreUser")
    vouchers = db.relationship("Voucher", back_populates="bundle", order_by="Voucher.id")


class Note(db.Model):
    """A free-text note about a family by a centre worker. No screen writes notes at present."""

    __tablename__ = "notes"

    id = id_column()
    content = db.Column(sa.Text, nullable=False)
    family_id = foreign_key("families.id", nullable=False)
    user_id = foreign_key("centre_users.id", nullable=False)
    created_at = created_at_column()
    updated_at = updated_at_column()
