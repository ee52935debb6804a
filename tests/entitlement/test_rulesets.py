"""Building an area's rule set from the default rules and its override rows, and the input builders."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from arc.entitlement import (
    CHILD,
    CREDITS,
    DISQUALIFIERS,
    FAMILY,
    NOTICES,
    SCOTTISH_FAMILY,
    ChildInput,
    FamilyInput,
    Override,
    ReasonGroup,
    build_rules,
    child_input_from,
    evaluate_child,
    evaluate_family,
    family_input_from,
    notice_text,
    overrides_from_evaluations,
    social_prescribing,
)
from tests.entitlement.helpers import VERIFY_CHILDREN, born_in


def slots(rules):
    return [(rule.entity, rule.purpose, rule.name, rule.value) for rule in rules.rules]


DEFAULT_SLOTS = [
    (CHILD, CREDITS, "ChildIsUnderOne", 6),
    (CHILD, CREDITS, "ChildIsBetweenOneAndPrimarySchoolAge", 4),
    (CHILD, NOTICES, "ChildIsAlmostOne", 0),
    (CHILD, NOTICES, "ChildIsAlmostPrimarySchoolAge", 0),
    (CHILD, DISQUALIFIERS, "ChildIsPrimarySchoolAge", 0),
    (FAMILY, CREDITS, "FamilyIsPregnant", 4),
]


def test_default_rules():
    rules = build_rules()

    assert slots(rules) == DEFAULT_SLOTS
    assert rules.school_month == 9
    assert rules.scottish_school_month == 8


def test_override_replaces_value_in_place():
    rules = build_rules((Override("ChildIsUnderOne", CHILD, CREDITS, 8),))

    assert rules.select(CHILD, CREDITS)[0].name == "ChildIsUnderOne"
    assert rules.select(CHILD, CREDITS)[0].value == 8


def test_null_override_removes_slot():
    rules = build_rules((Override("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, None),))

    assert rules.select(CHILD, DISQUALIFIERS) == ()
    assert len(rules.rules) == 5


def test_same_rule_in_another_purpose_is_another_slot():
    rules = build_rules((Override("ChildIsPrimarySchoolAge", CHILD, CREDITS, 3),))

    assert [rule.name for rule in rules.select(CHILD, CREDITS)][-1] == "ChildIsPrimarySchoolAge"
    assert [rule.name for rule in rules.select(CHILD, DISQUALIFIERS)] == ["ChildIsPrimarySchoolAge"]


def test_removed_then_added_rule_moves_to_end():
    rules = build_rules(
        (
            Override("ChildIsUnderOne", CHILD, CREDITS, None),
            Override("ChildIsUnderOne", CHILD, CREDITS, 6),
        )
    )

    assert [rule.name for rule in rules.select(CHILD, CREDITS)] == [
        "ChildIsBetweenOneAndPrimarySchoolAge",
        "ChildIsUnderOne",
    ]


def test_removing_absent_slot_changes_nothing():
    rules = build_rules((Override("FamilyHasNoEligibleChildren", FAMILY, DISQUALIFIERS, None),))

    assert slots(rules) == DEFAULT_SLOTS


@pytest.mark.parametrize(
    "override",
    [
        pytest.param(Override("ChildIsTall", CHILD, CREDITS, 5), id="unknown-rule"),
        pytest.param(Override("FamilyIsPregnant", "App\\Registration", CREDITS, 5), id="registration-entity"),
        pytest.param(Override("ChildIsUnderOne", FAMILY, CREDITS, 9), id="child-rule-on-family"),
        pytest.param(Override("ChildIsUnderOne", CHILD, "relations", 9), id="unknown-purpose"),
    ],
)
def test_ignored_override(override):
    assert slots(build_rules((override,))) == DEFAULT_SLOTS


def test_stored_entity_names():
    rules = build_rules(
        (
            Override("FamilyIsPregnant", "App\\Family", CREDITS, 5),
            Override("ChildIsUnderOne", "App\\Child", CREDITS, 7),
        )
    )

    assert rules.select(FAMILY, CREDITS)[0].value == 5
    assert rules.select(CHILD, CREDITS)[0].value == 7


def test_overrides_from_generator():
    rules = build_rules(override for override in (Override("ScottishChildCanDefer", CHILD, NOTICES, 0),))

    assert rules.offers_deferral
    assert rules.has_rule("ScottishChildCanDefer", CHILD, NOTICES)


def test_scottish_preset_rules():
    rules = build_rules(SCOTTISH_FAMILY)

    assert slots(rules) == [
        (CHILD, CREDITS, "ChildIsUnderOne", 6),
        (CHILD, NOTICES, "ChildIsAlmostOne", 0),
        (FAMILY, CREDITS, "FamilyIsPregnant", 4),
        (CHILD, CREDITS, "ScottishChildIsBetweenOneAndPrimarySchoolAge", 4),
        (CHILD, CREDITS, "ScottishChildIsPrimarySchoolAge", 4),
        (FAMILY, DISQUALIFIERS, "ScottishFamilyHasNoEligibleChildren", 0),
        (CHILD, NOTICES, "ScottishChildIsAlmostPrimarySchoolAge", 0),
        (CHILD, NOTICES, "ScottishChildCanDefer", 0),
        (FAMILY, NOTICES, "FamilyHasUnverifiedChildren", 0),
        (CHILD, DISQUALIFIERS, "ChildIsSecondarySchoolAge", 0),
    ]
    assert rules.requires_id_check
    assert rules.offers_deferral


def test_social_prescribing_preset_rules():
    rules = build_rules(social_prescribing(household_exists=15, household_member=4))

    assert slots(rules) == [
        (FAMILY, CREDITS, "DeductFromCarer", -4),
        (CHILD, CREDITS, "HouseholdMember", 4),
        (FAMILY, CREDITS, "HouseholdExists", 15),
    ]


def test_id_check_follows_unverified_notice():
    assert not build_rules().requires_id_check
    assert build_rules(VERIFY_CHILDREN).requires_id_check


def test_defer_column_for_switched_off_rule():
    # Any row named ScottishChildCanDefer shows the Defer column, even one that switches it off.
    rules = build_rules((Override("ScottishChildCanDefer", CHILD, NOTICES, None),))

    assert rules.offers_deferral
    assert not rules.has_rule("ScottishChildCanDefer", CHILD, NOTICES)
    assert not build_rules().offers_deferral


@pytest.mark.parametrize(
    "months",
    [
        pytest.param({"school_month": 0}, id="school-month-0"),
        pytest.param({"school_month": 13}, id="school-month-13"),
        pytest.param({"scottish_school_month": 0}, id="scottish-month-0"),
    ],
)
def test_invalid_school_month(months):
    with pytest.raises(ValueError, match="expected a month number from 1 to 12"):
        build_rules(**months)


def test_rule_reason_from_catalogue():
    assert build_rules().rules[0].reason == "under 1 year old"


def test_overrides_from_evaluation_rows():
    rows = [
        SimpleNamespace(id=1, name="FamilyIsPregnant", entity="App\\Family", purpose="credits", value=5),
        SimpleNamespace(id=2, name="ChildIsPrimarySchoolAge", entity="App\\Child", purpose="disqualifiers", value=None),
    ]

    overrides = overrides_from_evaluations(rows)

    assert overrides == (
        Override("FamilyIsPregnant", "App\\Family", "credits", 5),
        Override("ChildIsPrimarySchoolAge", "App\\Child", "disqualifiers", None),
    )
    assert build_rules(overrides).select(CHILD, DISQUALIFIERS) == ()


def test_family_input_from_model_like_rows():
    family = SimpleNamespace(
        leaving_on=None,
        rejoin_on=None,
        children=[
            SimpleNamespace(id=3, dob=datetime(2023, 6, 1, 14, 30), verified=None, deferred=None, is_pri_carer=None),
            SimpleNamespace(id=4, dob=datetime(2024, 7, 1, 9, 0), verified=True, deferred=True, is_pri_carer=False),
        ],
    )

    family_input = family_input_from(family)

    assert family_input.children == (
        ChildInput(date(2023, 6, 1), verified=None, deferred=False, is_pri_carer=None, id=3),
        ChildInput(date(2024, 7, 1), verified=True, deferred=True, is_pri_carer=False, id=4),
    )
    assert family_input.is_active


def test_child_input_from_model_like_row():
    row = SimpleNamespace(id=9, dob=date(2020, 3, 1), verified=False, deferred=0, is_pri_carer=True)

    assert child_input_from(row) == ChildInput(date(2020, 3, 1), verified=False, is_pri_carer=True, id=9)


def test_child_input_rejects_text_date():
    with pytest.raises(TypeError, match="expected a date or datetime"):
        ChildInput("2020-03-01")


def test_evaluation_date_may_be_datetime():
    family = FamilyInput((born_in("2024-01"),))

    at_noon = evaluate_family(family, build_rules(), datetime(2025, 1, 31, 12, 0))
    on_day = evaluate_family(family, build_rules(), date(2025, 1, 31))

    assert at_noon == on_day


def test_evaluation_date_rejects_text():
    with pytest.raises(TypeError, match="expected the evaluation date as a date"):
        evaluate_child(born_in("2024-01"), build_rules(), "2025-01-31")


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        pytest.param(ReasonGroup(CHILD, "almost 1 year old", 1, 0), "A child is almost 1 year old", id="one-child"),
        pytest.param(
            ReasonGroup(CHILD, "almost primary school age", 2, 0),
            "2 children are almost primary school age",
            id="two-children",
        ),
        pytest.param(
            ReasonGroup(FAMILY, "has one or more children that you haven't checked ID for yet", 1, 0),
            "A family has one or more children that you haven't checked ID for yet",
            id="one-family",
        ),
        pytest.param(ReasonGroup(FAMILY, "pregnant", 3, 12), "3 families pregnant", id="three-families"),
    ],
)
def test_notice_text(group, expected):
    assert notice_text(group) == expected
