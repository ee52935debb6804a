"""The weekly voucher entitlement of a registration: its area's rules applied to its family on a date.

This module reads the models and the school-month settings and hands plain inputs to
``arc.entitlement``, which does the counting. Callers pass the evaluation date (``clock.today()`` in
views), so the result never depends on when the code runs.
"""

from dataclasses import dataclass

from flask import current_app

from arc import entitlement
from arc.entitlement import CHILD, CREDITS, DISQUALIFIERS, FAMILY

# Words for a family and a child in each programme, as the pages show them.
PROGRAMME_WORDS = {
    0: {"family": "family", "families": "families", "Family": "Family", "Families": "Families",
        "child": "child", "children": "children"},
    1: {"family": "household", "families": "households", "Family": "Household", "Families": "Households",
        "child": "participant", "children": "participants"},
}


def programme_words(programme):
    """Return the nouns for a family and its members in ``programme``, Standard wording when unknown."""
    return PROGRAMME_WORDS.get(programme, PROGRAMME_WORDS[0])


def rules_for_sponsor(sponsor):
    """Return the rule set of an area: the default rules changed by its evaluation rows."""
    config = current_app.config
    return entitlement.build_rules(
        entitlement.overrides_from_evaluations(sponsor.evaluations if sponsor is not None else ()),
        school_month=config["ARC_SCHOOL_MONTH"],
        scottish_school_month=config["ARC_SCOTTISH_SCHOOL_MONTH"],
    )


def rules_for_registration(registration):
    return rules_for_sponsor(registration.centre.sponsor)


def evaluate_registration(registration, on_date):
    """Return the ``FamilyResult`` of a registration's family under its centre's area rules on ``on_date``."""
    family_input = entitlement.family_input_from(registration.family)
    return entitlement.evaluate_family(family_input, rules_for_registration(registration), on_date)


def weekly_entitlement(registration, on_date):
    """Return the vouchers a registration's family should collect each week on ``on_date``.

    The number is never below 0: the bundles table stores the entitlement snapshot unsigned, and only
    a Social Prescribing household that has left with no member rows would count below 0.
    """
    return max(0, evaluate_registration(registration, on_date).weekly_total)


@dataclass(frozen=True)
class RuleLine:
    """One rule of an area, worded for the edit page's "how is this worked out" list."""

    text: str
    vouchers: int


def _rule_subject(rule, words):
    noun = words["child"] if rule.entity == CHILD else words["family"]
    return f"If {noun} {rule.reason}".rstrip()


def credit_lines(rules, programme=0):
    """Return the credit rules of a rule set in order, worded as "If child under 1 year old" with a value."""
    words = programme_words(programme)
    lines = []
    for rule in rules.rules:
        if rule.purpose != CREDITS:
            continue
        if rule.entity == FAMILY and not rule.reason:
            # The Social Prescribing deduction has no reason text of its own.
            text = f"Taken off because the main {words['child']} is covered by the {words['family']}"
        else:
            text = _rule_subject(rule, words)
        lines.append(RuleLine(text, rule.value))
    return lines


def disqualifier_lines(rules, programme=0):
    """Return the disqualifying rules of a rule set, worded as "If child primary school age"."""
    words = programme_words(programme)
    return [RuleLine(_rule_subject(rule, words), 0) for rule in rules.rules if rule.purpose == DISQUALIFIERS]

