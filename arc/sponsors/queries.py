"""Read queries about areas (sponsors) for the admin portal."""

import sqlalchemy as sa

from arc.extensions import db
from arc.sponsors.models import Sponsor


def sponsor_listing():
    """Return a select of the areas that are not deleted, by name."""
    return sa.select(Sponsor).where(Sponsor.deleted_at.is_(None)).order_by(sa.func.lower(Sponsor.name), Sponsor.id)


def active_sponsors():
    return db.session.scalars(sponsor_listing()).all()
