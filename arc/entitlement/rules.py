"""The catalogue of entitlement rules: each rule's name, entity, reason text and condition.

A rule only decides whether it fires. Whether a firing rule credits vouchers, raises a notice or
disqualifies, and with what value, comes from an area's rule set (``ruleset.py``).

Rule names and reason texts are the ones the evaluations table and the pages use, unchanged.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from arc.entitlement.dates import (
    PRIMARY_STAGE_YEARS,
    SECONDARY_STAGE_YEARS,
    age,
    is_almost_one,
    is_almost_start,
    is_at_scottish_school,
    is_before_start,
    is_born,
    is_scottish_notice_month,
    is_under_one,
    school_start,
)

CHILD = "Child"
FAMILY = "Family"

CREDITS = "credits"
NOTICES = "notices"
DISQUALIFIERS = "disqualifiers"
PURPOSES = (CREDITS, NOTICES, DISQUALIFIERS)


@dataclass(frozen=True)
class Context:
    """The evaluation date and the school months that every condition reads."""

    on: date
    school_month: int
    scottish_school_month: int

    def is_born(self, child):
        return is_born(child.dob, self.on)

    def primary_start(self, child):
        return school_start(child.dob, PRIMARY_STAGE_YEARS, self.school_month)

    def secondary_start(self, child):
        return school_start(child.dob, SECONDARY_STAGE_YEARS, self.school_month)

    def is_before_primary(self, child):
        return is_before_start(self.primary_start(child), self.on)

    def is_before_secondary(self, child):
        return is_before_start(self.secondary_start(child), self.on)

    def is_at_scottish_school(self, child):
        return is_at_scottish_school(child.dob, self.on, self.scottish_school_month, child.deferred)

    def scottish_notice_age(self, child):
        """Return the child's (years, months) in the Scottish notice months, otherwise None."""
        if not is_scottish_notice_month(self.on, self.scottish_school_month):
            return None
        return age(child.dob, self.on)


@dataclass(frozen=True)
class RuleDefinition:
    """A rule of the catalogue. ``condition(subject, context)`` gets a child row or a family."""

    name: str
    entity: str
    reason: str
    condition: Callable[[object, Context], bool]


def _child_is_under_one(child, context):
    return context.is_born(child) and is_under_one(child.dob, context.on)


def _child_is_between_one_and_primary_school_age(child, context):
    return (
        context.is_born(child)
        and not is_under_one(child.dob, context.on)
        and context.is_before_primary(child)
    )


def _child_is_primary_school_age(child, context):
    return (
        context.is_born(child)
        and not context.is_before_primary(child)
        and context.is_before_secondary(child)
    )


def _child_is_secondary_school_age(child, context):
    return context.is_born(child) and not context.is_before_secondary(child)


def _child_is_almost_one(child, context):
    return context.is_born(child) and is_almost_one(child.dob, context.on)


def _child_is_almost_primary_school_age(child, context):
    return context.is_born(child) and is_almost_start(context.primary_start(child), context.on)


def _child_is_almost_secondary_school_age(child, context):
    return context.is_born(child) and is_almost_start(context.secondary_start(child), context.on)


def _family_is_pregnant(family, context):
    return any(not context.is_born(child) for child in family.children)


def _family_has_no_eligible_children(family, context):
    return not any(
        not context.is_born(child) or context.is_before_primary(child) for child in family.children
    )


def _family_has_unverified_children(family, context):
    return any(child.verified is not True for child in family.children)


def _scottish_child_is_between_one_and_primary_school_age(child, context):
    return (
        context.is_born(child)
        and not is_under_one(child.dob, context.on)
        and not context.is_at_scottish_school(child)
    )


def _scottish_child_is_primary_school_age(child, context):
    # No upper age of its own: the secondary-school disqualifier of the Scottish set ends it.
    return context.is_born(child) and context.is_at_scottish_school(child)


def _scottish_child_is_almost_primary_school_age(child, context):
    # A child row whose date of birth is later than the evaluation date has no age, so never fires.
    child_age = context.scottish_notice_age(child)
    if child_age is None:
        return False
    years, months = child_age
    return (years == 4 and months >= 1) or (years == 5 and months == 0)


def _scottish_child_can_defer(child, context):
    child_age = context.scottish_notice_age(child)
    if child_age is None:
        return False
    years, months = child_age
    return years == 4 and 1 <= months <= 6


def _scottish_family_has_no_eligible_children(family, context):
    # Unborn children are never at school, so a pregnancy keeps the family eligible.
    return all(context.is_at_scottish_school(child) for child in family.children)


def _always(subject, context):
    return True


def _household_exists(family, context):
    return family.is_active


_DEFINITIONS = (
    RuleDefinition("ChildIsUnderOne", CHILD, "under 1 year old", _child_is_under_one),
    RuleDefinition(
        "ChildIsBetweenOneAndPrimarySchoolAge",
        CHILD,
        "between 1 and start of primary school age",
        _child_is_between_one_and_primary_school_age,
    ),
    RuleDefinition("ChildIsPrimarySchoolAge", CHILD, "primary school age", _child_is_primary_school_age),
    RuleDefinition(
        "ChildIsSecondarySchoolAge", CHILD, "secondary school age they get", _child_is_secondary_school_age
    ),
    RuleDefinition("ChildIsAlmostOne", CHILD, "almost 1 year old", _child_is_almost_one),
    RuleDefinition(
        "ChildIsAlmostPrimarySchoolAge",
        CHILD,
        "almost primary school age",
        _child_is_almost_primary_school_age,
    ),
    RuleDefinition(
        "ChildIsAlmostSecondarySchoolAge",
        CHILD,
        "almost secondary school age",
        _child_is_almost_secondary_school_age,
    ),
    RuleDefinition("FamilyIsPregnant", FAMILY, "pregnant", _family_is_pregnant),
    RuleDefinition(
        "FamilyHasNoEligibleChildren",
        FAMILY,
        "has no child under primary school age then children of primary school age get",
        _family_has_no_eligible_children,
    ),
    RuleDefinition(
        "FamilyHasUnverifiedChildren",
        FAMILY,
        "has one or more children that you haven't checked ID for yet",
        _family_has_unverified_children,
    ),
    RuleDefinition(
        "ScottishChildIsBetweenOneAndPrimarySchoolAge",
        CHILD,
        "between 1 and start of primary school age (SCOTLAND)",
        _scottish_child_is_between_one_and_primary_school_age,
    ),
    RuleDefinition(
        "ScottishChildIsPrimarySchoolAge",
        CHILD,
        "primary school age (SCOTLAND)",
        _scottish_child_is_primary_school_age,
    ),
    RuleDefinition(
        "ScottishChildIsAlmostPrimarySchoolAge",
        CHILD,
        "almost primary school age (SCOTLAND)",
        _scottish_child_is_almost_primary_school_age,
    ),
    RuleDefinition("ScottishChildCanDefer", CHILD, "able to defer (SCOTLAND)", _scottish_child_can_defer),
    RuleDefinition(
        "ScottishFamilyHasNoEligibleChildren",
        FAMILY,
        "has no child under primary school age then children of primary school age get (SCOTLAND)",
        _scottish_family_has_no_eligible_children,
    ),
    RuleDefinition("DeductFromCarer", FAMILY, "", _always),
    # Every child row is a household member, born or not.
    RuleDefinition("HouseholdMember", CHILD, "member of the household", _always),
    RuleDefinition("HouseholdExists", FAMILY, "exists", _household_exists),
)

CATALOGUE = {definition.name: definition for definition in _DEFINITIONS}
