"""An area's rule set: the default (England) rules changed by the area's override rows.

Areas with no override rows use the default rules. Each override row sets or removes one slot,
identified by (entity, purpose, rule name):

* a value switches the rule on in that slot with that value, replacing a default's value in place
  or adding the rule after the slot's existing rules;
* None removes the slot if it is there.

Rows are applied in id order. A row whose rule name is not in the catalogue, whose entity is not the
rule's own entity (Child or Family), or whose purpose is not credits, notices or disqualifiers is
ignored.
"""

from dataclasses import dataclass

from arc.entitlement.inputs import Override
from arc.entitlement.rules import CATALOGUE, CHILD, CREDITS, DISQUALIFIERS, FAMILY, NOTICES, PURPOSES

DEFAULT_SCHOOL_MONTH = 9
DEFAULT_SCOTTISH_SCHOOL_MONTH = 8

# The stored form of the entities in the evaluations table, with a single backslash.
STORED_ENTITIES = {"App\\Child": CHILD, "App\\Family": FAMILY}

DEFAULT_RULES = (
    Override("ChildIsUnderOne", CHILD, CREDITS, 6),
    Override("ChildIsBetweenOneAndPrimarySchoolAge", CHILD, CREDITS, 4),
    Override("ChildIsAlmostOne", CHILD, NOTICES, 0),
    Override("ChildIsAlmostPrimarySchoolAge", CHILD, NOTICES, 0),
    Override("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, 0),
    Override("FamilyIsPregnant", FAMILY, CREDITS, 4),
)

# Scotland: children earn from age one until they leave primary school, and a family whose
# children are all at school earns nothing. ID checking is on.
SCOTTISH_FAMILY = (
    Override("FamilyIsPregnant", FAMILY, CREDITS, 4),
    Override("ScottishChildIsBetweenOneAndPrimarySchoolAge", CHILD, CREDITS, 4),
    Override("ChildIsBetweenOneAndPrimarySchoolAge", CHILD, CREDITS, None),
    Override("ScottishChildIsPrimarySchoolAge", CHILD, CREDITS, 4),
    Override("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, None),
    Override("ScottishFamilyHasNoEligibleChildren", FAMILY, DISQUALIFIERS, 0),
    Override("FamilyHasNoEligibleChildren", FAMILY, DISQUALIFIERS, None),
    Override("ScottishChildIsAlmostPrimarySchoolAge", CHILD, NOTICES, 0),
    Override("ChildIsAlmostPrimarySchoolAge", CHILD, NOTICES, None),
    Override("ScottishChildCanDefer", CHILD, NOTICES, 0),
    Override("FamilyHasUnverifiedChildren", FAMILY, NOTICES, 0),
    Override("ChildIsSecondarySchoolAge", CHILD, DISQUALIFIERS, 0),
)


def social_prescribing(household_exists=10, household_member=7):
    """Return the Social Prescribing overrides: every household member row earns ``household_member``.

    The main participant is a member row too, and the household's ``household_exists`` covers them,
    so the carer deduction takes one member's value back.
    """
    return (
        Override("FamilyIsPregnant", FAMILY, CREDITS, None),
        Override("ChildIsBetweenOneAndPrimarySchoolAge", CHILD, CREDITS, None),
        Override("ChildIsUnderOne", CHILD, CREDITS, None),
        Override("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, None),
        Override("DeductFromCarer", FAMILY, CREDITS, -household_member),
        Override("HouseholdMember", CHILD, CREDITS, household_member),
        Override("HouseholdExists", FAMILY, CREDITS, household_exists),
        Override("ChildIsAlmostPrimarySchoolAge", CHILD, NOTICES, None),
        Override("ChildIsAlmostOne", CHILD, NOTICES, None),
    )


@dataclass(frozen=True)
class Rule:
    """A catalogue rule switched on for a purpose, with its value."""

    name: str
    entity: str
    purpose: str
    value: int

    @property
    def definition(self):
        return CATALOGUE[self.name]

    @property
    def reason(self):
        return self.definition.reason


@dataclass(frozen=True)
class RuleSet:
    """The rules of an area, and the school months its date rules use."""

    rules: tuple[Rule, ...]
    school_month: int = DEFAULT_SCHOOL_MONTH
    scottish_school_month: int = DEFAULT_SCOTTISH_SCHOOL_MONTH
    # Whether the area has any override row for ScottishChildCanDefer, switched on or off: the edit
    # page then shows the Defer column.
    offers_deferral: bool = False

    def __post_init__(self):
        months = {"school_month": self.school_month, "scottish_school_month": self.scottish_school_month}
        for field, month in months.items():
            if not 1 <= month <= 12:
                raise ValueError(f"invalid {field} {month!r}: expected a month number from 1 to 12")

    def select(self, entity, purpose):
        return tuple(rule for rule in self.rules if rule.entity == entity and rule.purpose == purpose)

    def has_rule(self, name, entity, purpose):
        return any(rule.name == name for rule in self.select(entity, purpose))

    @property
    def requires_id_check(self):
        """Whether centres record ID checks: the family notice FamilyHasUnverifiedChildren is on."""
        return self.has_rule("FamilyHasUnverifiedChildren", FAMILY, NOTICES)


def _slot(override):
    """Return the (entity, purpose, name) slot an override row sets, or None when it is ignored."""
    entity = STORED_ENTITIES.get(override.entity, override.entity)
    definition = CATALOGUE.get(override.name)
    if definition is None or definition.entity != entity or override.purpose not in PURPOSES:
        return None
    return (entity, override.purpose, override.name)


def build_rules(
    overrides=(),
    *,
    school_month=DEFAULT_SCHOOL_MONTH,
    scottish_school_month=DEFAULT_SCOTTISH_SCHOOL_MONTH,
):
    """Return the rule set of an area: the default rules with its override rows applied in order."""
    overrides = tuple(overrides)
    # A dict keeps insertion order and keeps a replaced key in place, as the slots need.
    values = {_slot(rule): rule.value for rule in DEFAULT_RULES}
    for override in overrides:
        slot = _slot(override)
        if slot is None:
            continue
        if override.value is None:
            values.pop(slot, None)
        else:
            values[slot] = override.value
    return RuleSet(
        rules=tuple(Rule(name, entity, purpose, value) for (entity, purpose, name), value in values.items()),
        school_month=school_month,
        scottish_school_month=scottish_school_month,
        offers_deferral=any(override.name == "ScottishChildCanDefer" for override in overrides),
    )
