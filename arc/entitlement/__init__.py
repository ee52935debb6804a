"""Voucher entitlement rules: how many vouchers a family should collect each week, and why.

Contract:

* Inputs are plain values. A ``FamilyInput`` contains the family's child rows (``ChildInput``: date of
  birth, or due date for a pregnancy; ID-verified flag; deferred flag; main-participant flag) and its
  leaving and rejoining times. A ``RuleSet`` comes from ``build_rules(overrides, school_month=9,
  scottish_school_month=8)``, where the overrides are the area's evaluation rows in id order
  (``overrides_from_evaluations(sponsor.evaluations)``). The evaluation date is always passed in.
* Output: ``evaluate_family(family_input, rules, evaluation_date)`` returns a ``FamilyResult`` with
  each child's credits, notices, disqualifiers and total, the family's own hits, ``weekly_total``,
  ``eligible_children``, ``credit_reasons`` and ``notice_groups``. ``notice_text`` words a notice
  group for the pages.
* Nothing here reads the clock, the database or the Flask application, so the same inputs always
  give the same result. Whether a child row is born is derived from its date and the evaluation date.

The store portal calls ``family_input_from(family)``, ``build_rules(...)``, ``evaluate_family(...)``,
``notice_text(group)`` and ``age_label(dob, evaluation_date)``.
"""

from arc.entitlement.dates import age, age_label, scottish_school_start, school_start, under_one_limit
from arc.entitlement.evaluator import (
    ChildResult,
    FamilyResult,
    Hit,
    ReasonGroup,
    evaluate_child,
    evaluate_family,
    notice_text,
)
from arc.entitlement.inputs import (
    ChildInput,
    FamilyInput,
    Override,
    child_input_from,
    family_input_from,
    overrides_from_evaluations,
)
from arc.entitlement.rules import CATALOGUE, CHILD, CREDITS, DISQUALIFIERS, FAMILY, NOTICES
from arc.entitlement.ruleset import (
    DEFAULT_RULES,
    DEFAULT_SCHOOL_MONTH,
    DEFAULT_SCOTTISH_SCHOOL_MONTH,
    SCOTTISH_FAMILY,
    Rule,
    RuleSet,
    build_rules,
    social_prescribing,
)

__all__ = [
    "CATALOGUE",
    "CHILD",
    "CREDITS",
    "DEFAULT_RULES",
    "DEFAULT_SCHOOL_MONTH",
    "DEFAULT_SCOTTISH_SCHOOL_MONTH",
    "DISQUALIFIERS",
    "FAMILY",
    "NOTICES",
    "SCOTTISH_FAMILY",
    "ChildInput",
    "ChildResult",
    "FamilyInput",
    "FamilyResult",
    "Hit",
    "Override",
    "ReasonGroup",
    "Rule",
    "RuleSet",
    "age",
    "age_label",
    "build_rules",
    "child_input_from",
    "evaluate_child",
    "evaluate_family",
    "family_input_from",
    "notice_text",
    "overrides_from_evaluations",
    "school_start",
    "scottish_school_start",
    "social_prescribing",
    "under_one_limit",
]
