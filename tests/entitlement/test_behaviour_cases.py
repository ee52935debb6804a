"""Entitlement behaviour cases carried over from the previous service's tests.

Unless a row states otherwise the evaluation date is Saturday 15 June 2024 and the school month is
September.
"""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from arc.entitlement import (
    CREDITS,
    FAMILY,
    SCOTTISH_FAMILY,
    ChildInput,
    FamilyInput,
    Override,
    age_label,
    build_rules,
    evaluate_child,
    evaluate_family,
    school_start,
    social_prescribing,
)
from tests.entitlement.helpers import (
    VERIFY_CHILDREN,
    allow_primary_schoolers,
    assert_case,
    born_in,
    expected_case,
    family_of,
    reasons,
)

ON = date(2024, 6, 15)
ENGLAND = build_rules()
SCOTLAND = build_rules(SCOTTISH_FAMILY)
SOCIAL_PRESCRIBING = build_rules(social_prescribing())

UNDER_ONE = {"ChildIsUnderOne": 6}
TODDLER = {"ChildIsBetweenOneAndPrimarySchoolAge": 4}
MEMBER = {"HouseholdMember": 7}
HOUSEHOLD = {"DeductFromCarer": -7, "HouseholdExists": 10}
MAIN_PARTICIPANT = born_in("2000-01", is_pri_carer=True)


def _mid_september_baby_case(on, total, credits, notices):
    return expected_case(
        f"EV-11-dob-17-Sep-2010-as-of-{on.isoformat()}",
        ENGLAND,
        FamilyInput((ChildInput(date(2010, 9, 17), verified=True),)),
        on,
        total=total,
        child_credits=[credits],
        notices=notices,
    )


ALMOST_ONE = ["A child is almost 1 year old"]

BEHAVIOUR_CASES = [
    expected_case(
        "EV-02-pregnancy-only",
        ENGLAND,
        family_of("2024-10"),
        ON,
        total=4,
        child_credits=[{}],
        family_credits={"FamilyIsPregnant": 4},
    ),
    expected_case(
        "EV-03-credit-primary-area",
        build_rules(allow_primary_schoolers(4)),
        family_of("2016-03", "2009-05"),
        ON,
        total=4,
        child_credits=[{"ChildIsPrimarySchoolAge": 4}, {}],
        child_disqualifiers=[[], ["ChildIsSecondarySchoolAge"]],
    ),
    expected_case("EV-05-under-one", ENGLAND, family_of("2024-01"), ON, total=6, child_credits=[UNDER_ONE]),
    expected_case("EV-06-toddler", ENGLAND, family_of("2022-11"), ON, total=4, child_credits=[TODDLER]),
    expected_case(
        "EV-08-eleven-months-almost-one",
        ENGLAND,
        family_of("2023-07"),
        ON,
        total=6,
        child_credits=[UNDER_ONE],
        notices=ALMOST_ONE,
    ),
    expected_case(
        "EV-09-school-month-July-almost-primary",
        build_rules(school_month=7),
        family_of("2020-06"),
        ON,
        total=4,
        child_credits=[TODDLER],
        notices=["A child is almost primary school age"],
    ),
    _mid_september_baby_case(date(2011, 9, 1), 6, UNDER_ONE, ALMOST_ONE),
    _mid_september_baby_case(date(2011, 9, 16), 6, UNDER_ONE, ALMOST_ONE),
    _mid_september_baby_case(date(2011, 9, 17), 6, UNDER_ONE, ALMOST_ONE),
    _mid_september_baby_case(date(2011, 9, 18), 6, UNDER_ONE, ALMOST_ONE),
    _mid_september_baby_case(date(2011, 9, 30), 6, UNDER_ONE, ALMOST_ONE),
    _mid_september_baby_case(date(2011, 10, 3), 4, TODDLER, []),
    expected_case(
        "EV-12-four-children-default-rules",
        ENGLAND,
        family_of("2024-10", "2024-01", "2022-11", "2016-03"),
        ON,
        total=14,
        child_credits=[{}, UNDER_ONE, TODDLER, {}],
        child_disqualifiers=[[], [], [], ["ChildIsPrimarySchoolAge"]],
        family_credits={"FamilyIsPregnant": 4},
    ),
    expected_case(
        "EV-12-pregnancy-override-5",
        build_rules((Override("FamilyIsPregnant", "App\\Family", CREDITS, 5),)),
        family_of("2024-10", "2024-01", "2022-11", "2016-03"),
        ON,
        total=15,
        child_credits=[{}, UNDER_ONE, TODDLER, {}],
        child_disqualifiers=[[], [], [], ["ChildIsPrimarySchoolAge"]],
        family_credits={"FamilyIsPregnant": 5},
    ),
    expected_case(
        "SC-02-Scotland-only-school-children",
        SCOTLAND,
        family_of("2016-03", "2009-05"),
        ON,
        total=0,
        child_credits=[{"ScottishChildIsPrimarySchoolAge": 4}, {"ScottishChildIsPrimarySchoolAge": 4}],
        child_disqualifiers=[[], ["ChildIsSecondarySchoolAge"]],
        family_disqualifiers=["ScottishFamilyHasNoEligibleChildren"],
    ),
    expected_case(
        "SC-03-Scotland-with-toddler",
        SCOTLAND,
        family_of("2016-03", "2009-05", "2022-11"),
        ON,
        total=8,
        child_credits=[
            {"ScottishChildIsPrimarySchoolAge": 4},
            {"ScottishChildIsPrimarySchoolAge": 4},
            {"ScottishChildIsBetweenOneAndPrimarySchoolAge": 4},
        ],
        child_disqualifiers=[[], ["ChildIsSecondarySchoolAge"], []],
    ),
    expected_case(
        "SP-02-participant-and-one-member",
        SOCIAL_PRESCRIBING,
        FamilyInput((MAIN_PARTICIPANT, born_in("2016-03"))),
        ON,
        total=17,
        child_credits=[MEMBER, MEMBER],
        family_credits=HOUSEHOLD,
    ),
    expected_case(
        "SP-03-participant-and-two-members",
        SOCIAL_PRESCRIBING,
        FamilyInput((MAIN_PARTICIPANT, born_in("2016-03"), born_in("2024-01"))),
        ON,
        total=24,
        child_credits=[MEMBER, MEMBER, MEMBER],
        family_credits=HOUSEHOLD,
    ),
    expected_case(
        "SP-05-eleven-month-member-has-no-notices",
        SOCIAL_PRESCRIBING,
        FamilyInput((MAIN_PARTICIPANT, born_in("2023-07"))),
        ON,
        total=17,
        child_credits=[MEMBER, MEMBER],
        family_credits=HOUSEHOLD,
    ),
    expected_case(
        "VM-03-three-unverified-children",
        build_rules(VERIFY_CHILDREN),
        FamilyInput(tuple(born_in(month) for month in ("2022-11", "2021-10", "2020-09"))),
        ON,
        total=12,
        child_credits=[TODDLER, TODDLER, TODDLER],
        notices=["A family has one or more children that you haven't checked ID for yet"],
    ),
]


@pytest.mark.parametrize(("rules", "family", "on", "expected"), BEHAVIOUR_CASES)
def test_behaviour_case(rules, family, on, expected):
    assert_case(evaluate_family(family, rules, on), expected)


def test_pregnancy_override_replaces_first_family_credit():
    rules = build_rules((Override("FamilyIsPregnant", FAMILY, CREDITS, 5),))

    result = evaluate_family(family_of("2024-10", "2024-01"), rules, ON)

    assert result.credits[0].name == "FamilyIsPregnant"
    assert result.credits[0].vouchers == 5


# With the Scottish school month set to July, June is a notice month. Ages are as of 15 June 2024.
SCOTTISH_NOTICE_CASES = [
    pytest.param("2020-05", ["almost primary school age (SCOTLAND)", "able to defer (SCOTLAND)"], id="SC-06-4y1m"),
    pytest.param("2020-01", ["almost primary school age (SCOTLAND)", "able to defer (SCOTLAND)"], id="SC-06-4y5m"),
    pytest.param("2019-12", ["almost primary school age (SCOTLAND)", "able to defer (SCOTLAND)"], id="SC-06-4y6m"),
    pytest.param("2019-11", ["almost primary school age (SCOTLAND)"], id="SC-05-4y7m"),
    pytest.param("2019-07", ["almost primary school age (SCOTLAND)"], id="SC-05-4y11m"),
    # The almost-primary notice starts at 4 years and 1 month and ends at 5 years and 0 months.
    pytest.param("2020-06", [], id="SC-05-4y0m-too-young-for-notices"),
    pytest.param("2019-06", ["almost primary school age (SCOTLAND)"], id="SC-05-5y0m"),
    pytest.param("2019-05", [], id="SC-05-5y1m-too-old-for-notices"),
]


@pytest.mark.parametrize(("month", "expected"), SCOTTISH_NOTICE_CASES)
def test_scottish_notice_case(month, expected):
    rules = build_rules(SCOTTISH_FAMILY, scottish_school_month=7)

    result = evaluate_child(born_in(month, verified=True), rules, ON)

    assert reasons(result.notices) == expected


def test_defer_box_for_four_years_one_month():
    rules = build_rules(SCOTTISH_FAMILY, scottish_school_month=7)

    result = evaluate_child(born_in("2020-05", verified=True), rules, ON)

    assert rules.offers_deferral
    assert result.can_defer


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        pytest.param("2020-04", "1 yr, 1 mo", id="ED-12-April-2020"),
        pytest.param("2020-05", "1 yr, 0 mo", id="ED-12-May-2020"),
        pytest.param("2020-06", "0 yr, 11 mo", id="ED-12-June-2020"),
    ],
)
def test_age_labels_on_first_of_month(month, expected):
    assert age_label(born_in(month).dob, date(2021, 5, 1)) == expected


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        pytest.param(relativedelta(months=-27), "2 yr, 3 mo", id="BR-01-27-months-ago"),
        pytest.param(relativedelta(months=6), "P", id="BR-01-due-in-6-months"),
    ],
)
def test_age_label_for_entered_month(offset, expected):
    on = date(2024, 6, 15)

    assert age_label(date(2024, 6, 1) + offset, on) == expected


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        pytest.param(date(2015, 8, 1), date(2019, 9, 1), id="MO-10-born-August-2015"),
        pytest.param(date(2015, 9, 1), date(2020, 9, 1), id="MO-10-born-September-2015"),
        pytest.param(date(2017, 8, 1), date(2021, 9, 1), id="born-August-2017"),
        pytest.param(date(2017, 9, 1), date(2022, 9, 1), id="born-September-2017"),
    ],
)
def test_primary_school_start(dob, expected):
    assert school_start(dob, 5, 9) == expected


def test_eligible_children_count_secondary_schooler():
    # Default rules: the secondary schooler earns nothing but is not disqualified, so it counts as
    # eligible. The primary schooler is disqualified and the pregnancy is not a child yet.
    family = family_of("2009-05", "2016-03", "2022-11", "2024-10")

    result = evaluate_family(family, ENGLAND, ON)

    assert [child.child.dob for child in result.eligible_children] == [date(2009, 5, 1), date(2022, 11, 1)]
    assert result.eligible_children_count == 2


def test_disqualified_family_has_no_eligible_children():
    result = evaluate_family(family_of("2016-03", "2009-05"), SCOTLAND, ON)

    assert not result.eligible
    assert result.eligible_children_count == 0
