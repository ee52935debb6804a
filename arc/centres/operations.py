"""Changes charity staff make to children's centres. Write functions flush, and the caller commits."""

import logging
import re

import sqlalchemy as sa

from arc.centres.models import PRINT_PREFERENCES, Centre
from arc.extensions import db
from arc.sponsors.models import Sponsor

logger = logging.getLogger(__name__)

# Family numbers are the centre's prefix followed by a 4-digit sequence. The column is 5 characters wide.
PREFIX_PATTERN = re.compile(r"[A-Z]{1,5}")


class CentreError(Exception):
    """A change to a centre that the rules reject; ``field`` names the form field at fault, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def normalise_prefix(prefix):
    return (prefix or "").strip().upper()


def prefix_taken(prefix):
    return db.session.execute(
        sa.select(Centre.id).where(sa.func.upper(Centre.prefix) == normalise_prefix(prefix)).limit(1)
    ).first() is not None


def _check_print_pref(print_pref):
    if print_pref not in PRINT_PREFERENCES:
        raise CentreError(f"The printed form must be one of: {', '.join(PRINT_PREFERENCES)}.", "print_pref")


def create_centre(name, prefix, sponsor_id, print_pref, actor):
    """Create a centre in an area. The RVID prefix is upper-cased: 1 to 5 letters, unused by any centre."""
    prefix = normalise_prefix(prefix)
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise CentreError("The RVID prefix must be 1 to 5 letters.", "rvid_prefix")
    if prefix_taken(prefix):
        raise CentreError(f"Another centre already uses the RVID prefix {prefix}.", "rvid_prefix")
    sponsor = db.session.get(Sponsor, sponsor_id)
    if sponsor is None or sponsor.deleted_at is not None:
        raise CentreError(f"Area {sponsor_id} was not found. Choose an area from the list.", "sponsor")
    _check_print_pref(print_pref)
    centre = Centre(name=name, prefix=prefix, sponsor_id=sponsor.id, print_pref=print_pref)
    db.session.add(centre)
    db.session.flush()
    logger.info("centre %s created by admin %s", centre.id, actor.id)
    return centre


def update_centre(centre, name, print_pref, actor):
    """Rename a centre and set its printed form. Its prefix and area never change: family numbers use them."""
    _check_print_pref(print_pref)
    centre.name = name
    centre.print_pref = print_pref
    db.session.flush()
    logger.info("centre %s updated by admin %s", centre.id, actor.id)
