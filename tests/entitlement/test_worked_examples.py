"""The worked examples of the entitlement rules, one row per family and date.

England uses the default rules with September as the school month; Scotland uses the Scottish
preset with August.
"""

from datetime import date

import pytest

from arc.entitlement import (
    FAMILY,
    CREDITS,
    SCOTTISH_FAMILY,
    ChildInput,
    FamilyInput,
    Override,
    ReasonGroup,
    age_label,
    build_rules,
    evaluate_family,
    social_prescribing,
)
from tests.entitlement.helpers import SK_AREA, VERIFY_CHILDREN, assert_case, born_in, expected_case, family_of

ENGLAND = build_rules()
SK = build_rules(SK_AREA)
VERIFYING = build_rules(VERIFY_CHILDREN)
SCOTLAND = build_rules(SCOTTISH_FAMILY)
PREGNANT_FIVE = build_rules((Override("FamilyIsPregnant", FAMILY, CREDITS, 5),))

UNDER_ONE = {"ChildIsUnderOne": 6}
TODDLER = {"ChildIsBetweenOneAndPrimarySchoolAge": 4}
SCOTTISH_TODDLER = {"ScottishChildIsBetweenOneAndPrimarySchoolAge": 4}
SCOTTISH_PRIMARY = {"ScottishChildIsPrimarySchoolAge": 4}
PREGNANT = {"FamilyIsPregnant": 4}
MEMBER = {"HouseholdMember": 7}

ID_NOTICE = "A family has one or more children that you haven't checked ID for yet"

# Ava (under one), Ben (toddler), Cal (primary school) and a pregnancy, as of Friday 15 March 2024.
MIXED_FAMILY = family_of("2023-06", "2021-10", "2019-05", "2024-07")
# Dan (starts primary school on 1 September 2024) and Eve (one at the end of August 2024).
DAN_AND_EVE = family_of("2020-03", "2023-08")

WORKED_EXAMPLES = [
    expected_case(
        "E1-mixed-family",
        ENGLAND,
        MIXED_FAMILY,
        date(2024, 3, 15),
        total=14,
        child_credits=[UNDER_ONE, TODDLER, {}, {}],
        child_disqualifiers=[[], [], ["ChildIsPrimarySchoolAge"], []],
        family_credits=PREGNANT,
    ),
    expected_case(
        "E2-notices-20-Jul",
        ENGLAND,
        DAN_AND_EVE,
        date(2024, 7, 20),
        total=10,
        child_credits=[TODDLER, UNDER_ONE],
        notices=["A child is almost primary school age", "A child is almost 1 year old"],
    ),
    expected_case(
        "E3-school-start-day-1-Sep",
        ENGLAND,
        DAN_AND_EVE,
        date(2024, 9, 1),
        total=8,
        child_credits=[TODDLER, TODDLER],
    ),
    expected_case(
        "E3-day-after-school-start-2-Sep",
        ENGLAND,
        DAN_AND_EVE,
        date(2024, 9, 2),
        total=4,
        child_credits=[{}, TODDLER],
        child_disqualifiers=[["ChildIsPrimarySchoolAge"], []],
    ),
    expected_case(
        "E4-pregnancy-override-5",
        PREGNANT_FIVE,
        family_of("2024-07", "2023-06", "2021-10", "2019-05"),
        date(2024, 3, 15),
        total=15,
        child_credits=[{}, UNDER_ONE, TODDLER, {}],
        child_disqualifiers=[[], [], [], ["ChildIsPrimarySchoolAge"]],
        family_credits={"FamilyIsPregnant": 5},
    ),
    expected_case(
        "E4-same-family-default-rules",
        ENGLAND,
        family_of("2024-07", "2023-06", "2021-10", "2019-05"),
        date(2024, 3, 15),
        total=14,
        child_credits=[{}, UNDER_ONE, TODDLER, {}],
        child_disqualifiers=[[], [], [], ["ChildIsPrimarySchoolAge"]],
        family_credits=PREGNANT,
    ),
    expected_case(
        "E5-SK-only-school-children",
        SK,
        family_of("2016-02", "2010-11"),
        date(2024, 3, 15),
        total=0,
        child_credits=[{"ChildIsPrimarySchoolAge": 3}, {}],
        child_disqualifiers=[[], ["ChildIsSecondarySchoolAge"]],
        family_disqualifiers=["FamilyHasNoEligibleChildren"],
    ),
    expected_case(
        "E5-SK-with-toddler",
        SK,
        family_of("2016-02", "2010-11", "2022-01"),
        date(2024, 3, 15),
        total=7,
        child_credits=[{"ChildIsPrimarySchoolAge": 3}, {}, TODDLER],
        child_disqualifiers=[[], ["ChildIsSecondarySchoolAge"], []],
    ),
    expected_case(
        "E5-SK-almost-secondary-20-Jul",
        SK,
        family_of("2013-04", "2022-01"),
        date(2024, 7, 20),
        total=7,
        child_credits=[{"ChildIsPrimarySchoolAge": 3}, TODDLER],
        notices=["A child is almost secondary school age"],
    ),
    expected_case(
        "E6-unverified-pregnancy",
        VERIFYING,
        FamilyInput(
            (
                born_in("2023-06", verified=True),
                born_in("2021-10", verified=True),
                born_in("2024-07", verified=False),
            )
        ),
        date(2024, 3, 15),
        total=14,
        child_credits=[UNDER_ONE, TODDLER, {}],
        family_credits=PREGNANT,
        notices=[ID_NOTICE],
    ),
    expected_case(
        "E6-all-verified",
        VERIFYING,
        family_of("2023-06", "2021-10", "2024-07"),
        date(2024, 3, 15),
        total=14,
        child_credits=[UNDER_ONE, TODDLER, {}],
        family_credits=PREGNANT,
    ),
    expected_case(
        "E7-Scotland-Isla-at-school-alone",
        SCOTLAND,
        family_of("2020-03"),
        date(2024, 10, 10),
        total=0,
        child_credits=[SCOTTISH_PRIMARY],
        family_disqualifiers=["ScottishFamilyHasNoEligibleChildren"],
    ),
    expected_case(
        "E7-Scotland-Isla-deferred",
        SCOTLAND,
        FamilyInput((born_in("2020-03", verified=True, deferred=True),)),
        date(2024, 10, 10),
        total=4,
        child_credits=[SCOTTISH_TODDLER],
    ),
    expected_case(
        "E7-Scotland-Jack-only",
        SCOTLAND,
        family_of("2019-06"),
        date(2024, 10, 10),
        total=0,
        child_credits=[SCOTTISH_PRIMARY],
        family_disqualifiers=["ScottishFamilyHasNoEligibleChildren"],
    ),
    expected_case(
        "E7-Scotland-Jack-and-baby-Kim",
        SCOTLAND,
        family_of("2019-06", "2024-05"),
        date(2024, 10, 10),
        total=10,
        child_credits=[SCOTTISH_PRIMARY, UNDER_ONE],
    ),
    expected_case(
        "E7-Scotland-Lee-past-English-secondary-start",
        SCOTLAND,
        family_of("2013-01", "2024-05"),
        date(2024, 10, 10),
        total=6,
        child_credits=[SCOTTISH_PRIMARY, UNDER_ONE],
        child_disqualifiers=[["ChildIsSecondarySchoolAge"], []],
    ),
    expected_case(
        "E8-Scotland-July-notices",
        SCOTLAND,
        family_of("2020-02", "2019-07"),
        date(2024, 7, 10),
        total=8,
        child_credits=[SCOTTISH_TODDLER, SCOTTISH_PRIMARY],
        notices=[
            "2 children are almost primary school age (SCOTLAND)",
            "A child is able to defer (SCOTLAND)",
        ],
    ),
    expected_case(
        "E9-SP-participant-and-two-members",
        build_rules(social_prescribing()),
        FamilyInput((born_in("1983-01", is_pri_carer=True), born_in("2015-01"), born_in("1952-01"))),
        date(2024, 6, 15),
        total=24,
        child_credits=[MEMBER, MEMBER, MEMBER],
        family_credits={"DeductFromCarer": -7, "HouseholdExists": 10},
    ),
    expected_case(
        "E9-SP-participant-only",
        build_rules(social_prescribing()),
        FamilyInput((born_in("1983-01", is_pri_carer=True),)),
        date(2024, 6, 15),
        total=10,
        child_credits=[MEMBER],
        family_credits={"DeductFromCarer": -7, "HouseholdExists": 10},
    ),
    expected_case(
        "E9-SP-values-12-and-5",
        build_rules(social_prescribing(household_exists=12, household_member=5)),
        FamilyInput((born_in("1983-01", is_pri_carer=True), born_in("2015-01"), born_in("1952-01"))),
        date(2024, 6, 15),
        total=22,
        child_credits=[{"HouseholdMember": 5}] * 3,
        family_credits={"DeductFromCarer": -5, "HouseholdExists": 12},
    ),
    expected_case(
        "E10-pregnancy-before-due-month",
        ENGLAND,
        family_of("2024-03"),
        date(2024, 1, 10),
        total=4,
        child_credits=[{}],
        family_credits=PREGNANT,
    ),
    # The previous service kept the pregnancy credit until a centre worker saved the registration
    # again. The row is now born from the 1st of its due month, with no save.
    expected_case(
        "E10-due-month-passed-counts-as-born-without-save",
        ENGLAND,
        family_of("2024-03"),
        date(2024, 4, 10),
        total=6,
        child_credits=[UNDER_ONE],
    ),
    expected_case(
        "E10-due-date-in-current-month-is-born",
        ENGLAND,
        family_of("2024-04"),
        date(2024, 4, 10),
        total=6,
        child_credits=[UNDER_ONE],
    ),
]


@pytest.mark.parametrize(("rules", "family", "on", "expected"), WORKED_EXAMPLES)
def test_worked_example(rules, family, on, expected):
    assert_case(evaluate_family(family, rules, on), expected)


def test_mixed_family_credit_reasons():
    result = evaluate_family(MIXED_FAMILY, ENGLAND, date(2024, 3, 15))

    assert result.credit_reasons == (
        ReasonGroup("Child", "under 1 year old", 1, 6),
        ReasonGroup("Child", "between 1 and start of primary school age", 1, 4),
        ReasonGroup("Family", "pregnant", 1, 4),
    )


def test_notices_mark_collection_sheet_row():
    assert evaluate_family(DAN_AND_EVE, ENGLAND, date(2024, 7, 20)).has_notices
    assert not evaluate_family(DAN_AND_EVE, ENGLAND, date(2024, 9, 1)).has_notices


def test_stale_pregnancy_age_label():
    assert age_label(ChildInput(date(2024, 3, 1)).dob, date(2024, 4, 10)) == "0 yr, 1 mo"
