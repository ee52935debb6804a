"""Read queries about children's centres for the admin portal."""

import sqlalchemy as sa

from arc.centres.models import Centre
from arc.extensions import db
from arc.sponsors.models import Sponsor


def centre_listing():
    """Return a select of (Centre, area name) ordered by area name, then centre name."""
    return (
        sa.select(Centre, Sponsor.name.label("area"))
        .join(Sponsor, Sponsor.id == Centre.sponsor_id)
        .order_by(sa.func.lower(Sponsor.name), sa.func.lower(Centre.name), Centre.id)
    )


def neighbours(centre):
    """Return the other centres of the centre's area, in id order."""
    return db.session.scalars(
        sa.select(Centre).where(Centre.sponsor_id == centre.sponsor_id, Centre.id != centre.id).order_by(Centre.id)
    ).all()


def centres_by_area():
    """Return [(area, [its centres by name])] for every area that has centres, areas by name."""
    rows = db.session.execute(
        sa.select(Sponsor, Centre)
        .join(Centre, Centre.sponsor_id == Sponsor.id)
        .order_by(sa.func.lower(Sponsor.name), Sponsor.id, sa.func.lower(Centre.name), Centre.id)
    ).all()
    groups = []
    for sponsor, centre in rows:
        if not groups or groups[-1][0].id != sponsor.id:
            groups.append((sponsor, []))
        groups[-1][1].append(centre)
    return groups
