"""Changes charity staff make to areas (sponsors) and their rule overrides.

Write functions flush, and the caller commits.
"""

import logging
import re
from dataclasses import dataclass

import sqlalchemy as sa

from arc.entitlement.rules import CATALOGUE, CHILD, CREDITS, FAMILY, PURPOSES
from arc.extensions import db
from arc.sponsors.models import PROGRAMMES, SOCIAL_PRESCRIBING_PROGRAMME, Evaluation, Sponsor

logger = logging.getLogger(__name__)

# Voucher codes are at most 32 characters long, and their numbers (up to 99,999,999) take 8 digits.
SHORTCODE_PATTERN = re.compile(r"[A-Z]{1,24}")

# Entity names as the evaluations table stores them, with a single backslash.
STORED_ENTITIES = {CHILD: "App\\Child", FAMILY: "App\\Family"}
RULE_NAMES = tuple(sorted(CATALOGUE))


class SponsorError(Exception):
    """A change to an area that the rules reject; ``field`` names the form field at fault, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RuleOverride:
    """One override row as staff edit it: value None switches the rule off for the area."""

    name: str
    entity: str
    purpose: str
    value: int | None


def normalise_shortcode(shortcode):
    return (shortcode or "").strip().upper()


def shortcode_taken(shortcode):
    """Return whether any area, deleted ones included, has this voucher prefix, ignoring case."""
    return db.session.execute(
        sa.select(Sponsor.id).where(sa.func.upper(Sponsor.shortcode) == normalise_shortcode(shortcode)).limit(1)
    ).first() is not None


def _check_programme(programme):
    if programme not in PROGRAMMES:
        raise SponsorError("Choose Standard or Social Prescribing.", "programme")


def create_sponsor(name, shortcode, programme, can_tap, actor):
    """Create an area with no rule overrides. The voucher prefix is upper-cased letters, unused by any area."""
    shortcode = normalise_shortcode(shortcode)
    if not SHORTCODE_PATTERN.fullmatch(shortcode):
        raise SponsorError("The voucher prefix must be 1 to 24 letters, with no digits or spaces.", "voucher_prefix")
    if shortcode_taken(shortcode):
        raise SponsorError(f"Another area already uses the voucher prefix {shortcode}.", "voucher_prefix")
    _check_programme(programme)
    sponsor = Sponsor(name=name, shortcode=shortcode, programme=programme, can_tap=bool(can_tap))
    db.session.add(sponsor)
    db.session.flush()
    logger.info("area %s created by admin %s", sponsor.id, actor.id)
    return sponsor


def update_sponsor(sponsor, name, programme, can_tap, actor):
    """Change an area's name, programme and whether its traders may use the app's tap page.

    The voucher prefix never changes: the area's voucher codes start with it.
    """
    _check_programme(programme)
    sponsor.name = name
    sponsor.programme = programme
    sponsor.can_tap = bool(can_tap)
    db.session.flush()
    logger.info("area %s updated by admin %s", sponsor.id, actor.id)


def _upsert_evaluation(sponsor, name, entity, purpose, value):
    row = db.session.scalars(
        sa.select(Evaluation).where(
            Evaluation.sponsor_id == sponsor.id, Evaluation.name == name, Evaluation.purpose == purpose
        )
    ).first()
    if row is None:
        row = Evaluation(sponsor_id=sponsor.id, name=name, purpose=purpose)
        db.session.add(row)
    row.entity = entity
    row.value = value


def household_values(sponsor):
    """Return (HouseholdExists value, HouseholdMember value) of an area, 0 for a missing row."""
    values = dict(
        db.session.execute(
            sa.select(Evaluation.name, Evaluation.value).where(
                Evaluation.sponsor_id == sponsor.id,
                Evaluation.name.in_(("HouseholdExists", "HouseholdMember")),
                Evaluation.purpose == CREDITS,
            )
        ).all()
    )
    return values.get("HouseholdExists") or 0, values.get("HouseholdMember") or 0


def set_household_values(sponsor, household_exists, household_member, actor):
    """Set a Social Prescribing area's household credits, creating the rows if missing.

    The carer deduction is always minus the member value, because the main carer is a household
    member row too and the household-exists credit already covers them.
    """
    if sponsor.programme != SOCIAL_PRESCRIBING_PROGRAMME:
        raise SponsorError(f"{sponsor.name} is not a Social Prescribing area.")
    for value, field in ((household_exists, "householdExistsValue"), (household_member, "householdMemberValue")):
        if value is None or value < 0:
            raise SponsorError("Enter a whole number of 0 or more.", field)
    _upsert_evaluation(sponsor, "HouseholdExists", STORED_ENTITIES[FAMILY], CREDITS, household_exists)
    _upsert_evaluation(sponsor, "HouseholdMember", STORED_ENTITIES[CHILD], CREDITS, household_member)
    _upsert_evaluation(sponsor, "DeductFromCarer", STORED_ENTITIES[FAMILY], CREDITS, -household_member)
    db.session.flush()
    logger.info("household values of area %s set by admin %s", sponsor.id, actor.id)


def check_override(override):
    """Return the problem with one override row as a message, or None when the evaluator would apply it."""
    definition = CATALOGUE.get(override.name)
    if definition is None:
        return f"{override.name} is not a known rule."
    if override.entity != STORED_ENTITIES[definition.entity]:
        return f"{override.name} applies to a {definition.entity}, so choose {definition.entity}."
    if override.purpose not in PURPOSES:
        return f"The purpose must be one of: {', '.join(PURPOSES)}."
    return None


def replace_overrides(sponsor, overrides, actor):
    """Make an area's override rows exactly ``overrides``: update kept rows, add new ones, delete the rest.

    Raises SponsorError when a row names an unknown rule, the wrong entity for its rule or an unknown
    purpose, or when two rows set the same rule for the same purpose.
    """
    seen = set()
    for override in overrides:
        problem = check_override(override)
        if problem:
            raise SponsorError(problem, "overrides")
        key = (override.name, override.purpose)
        if key in seen:
            raise SponsorError(f"{override.name} ({override.purpose}) is listed twice.", "overrides")
        seen.add(key)
    existing = db.session.scalars(sa.select(Evaluation).where(Evaluation.sponsor_id == sponsor.id)).all()
    for row in existing:
        if (row.name, row.purpose) not in seen:
            db.session.delete(row)
    for override in overrides:
        _upsert_evaluation(sponsor, override.name, override.entity, override.purpose, override.value)
    db.session.flush()
    logger.info("rule overrides of area %s replaced by admin %s (%s rows)", sponsor.id, actor.id, len(overrides))


def overrides_of(sponsor):
    """Return the area's override rows in id order, the order the evaluator applies them."""
    return [
        RuleOverride(row.name, row.entity, row.purpose, row.value)
        for row in db.session.scalars(
            sa.select(Evaluation).where(Evaluation.sponsor_id == sponsor.id).order_by(Evaluation.id)
        )
    ]
