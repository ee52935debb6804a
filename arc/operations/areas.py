"""Adding areas (sponsors) and children's centres from the command line.

The admin portal's rules apply (``arc.sponsors.operations`` and ``arc.centres.operations``). So does
one rule of the previous service's console commands: a new area or centre may not share its name with
an existing one. Names are compared without regard to case, as the live MySQL collation compares them.
"""

import logging

import sqlalchemy as sa

from arc.centres.models import PRINT_PREFERENCES, Centre
from arc.centres.operations import create_centre, normalise_prefix
from arc.extensions import db
from arc.sponsors.models import Sponsor
from arc.sponsors.operations import create_sponsor, normalise_shortcode

logger = logging.getLogger(__name__)


class AreaExists(Exception):
    """An area with that name or voucher prefix exists already."""


class AreaNotFound(LookupError):
    """No area that is not deleted has that voucher prefix."""


class CentreExists(Exception):
    """A centre with that name or RVID prefix exists already."""


class InvalidPrintPreference(ValueError):
    """A print preference other than the ones the centres table allows."""


class InvalidName(ValueError):
    """An empty or over-long area or centre name."""


def _clean_name(name, kind):
    name = (name or "").strip()
    if not name:
        raise InvalidName(f"The {kind} name must not be empty.")
    if len(name) > 191:
        raise InvalidName(f"The {kind} name must be at most 191 characters, not {len(name)}.")
    return name


def add_area(name, shortcode, programme, can_tap, actor):
    """Create an area; raise AreaExists when its name or voucher prefix is taken.

    Raises InvalidName, or the portal's SponsorError for a malformed prefix or an unknown programme.
    The prefix check includes deleted areas, because their voucher codes still exist.
    """
    name = _clean_name(name, "area")
    shortcode = normalise_shortcode(shortcode)
    existing = db.session.scalars(
        sa.select(Sponsor)
        .where(
            sa.or_(
                sa.and_(sa.func.lower(Sponsor.name) == name.lower(), Sponsor.deleted_at.is_(None)),
                sa.func.upper(Sponsor.shortcode) == shortcode,
            )
        )
        .order_by(Sponsor.id)
        .limit(1)
    ).first()
    if existing is not None:
        raise AreaExists(
            f"Area {existing.name!r} with voucher prefix {existing.shortcode} exists already, "
            f"so {name!r} ({shortcode}) was not added."
        )
    sponsor = create_sponsor(name, shortcode, programme, can_tap, actor)
    logger.info("area %s (%s) added by %s", sponsor.id, sponsor.shortcode, actor.id)
    return sponsor


def add_centre(name, prefix, area_shortcode, print_pref, actor):
    """Create a centre in the area with voucher prefix ``area_shortcode``.

    Raises AreaNotFound, CentreExists (same name or RVID prefix), InvalidPrintPreference,
    InvalidName, or the portal's CentreError for a malformed prefix.
    """
    name = _clean_name(name, "centre")
    shortcode = normalise_shortcode(area_shortcode)
    sponsor = db.session.scalars(
        sa.select(Sponsor).where(sa.func.upper(Sponsor.shortcode) == shortcode, Sponsor.deleted_at.is_(None))
    ).first()
    if sponsor is None:
        raise AreaNotFound(f"No area has the voucher prefix {shortcode!r}, so the centre was not added.")

    prefix = normalise_prefix(prefix)
    existing = db.session.scalars(
        sa.select(Centre)
        .where(sa.or_(sa.func.lower(Centre.name) == name.lower(), sa.func.upper(Centre.prefix) == prefix))
        .order_by(Centre.id)
        .limit(1)
    ).first()
    if existing is not None:
        raise CentreExists(
            f"Centre {existing.name!r} with RVID prefix {existing.prefix} exists already, "
            f"so {name!r} ({prefix}) was not added."
        )
    if print_pref not in PRINT_PREFERENCES:
        raise InvalidPrintPreference(
            f"Invalid print preference {print_pref!r}: use {' or '.join(PRINT_PREFERENCES)}."
        )
    centre = create_centre(name, prefix, sponsor.id, print_pref, actor)
    logger.info("centre %s (%s) added to area %s by %s", centre.id, centre.prefix, sponsor.id, actor.id)
    return centre
