"""Results kept as the previous service computed them, although they look odd.

Changing any of these changes what families receive, which needs the charity's sign-off.
"""

from datetime import date, datetime

from arc.entitlement import (
    CHILD,
    CREDITS,
    FAMILY,
    NOTICES,
    FamilyInput,
    Override,
    build_rules,
    evaluate_family,
    notice_text,
    social_prescribing,
)
from tests.entitlement.helpers import SK_AREA, born_in

ON = date(2024, 6, 15)
SOCIAL_PRESCRIBING = build_rules(social_prescribing())
PARTICIPANT = born_in("1983-01", is_pri_carer=True)
LEFT = {"leaving_on": datetime(2024, 5, 1, 10, 0)}


def test_unborn_household_member_earns():
    household = FamilyInput((PARTICIPANT, born_in("2024-11")))

    result = evaluate_family(household, SOCIAL_PRESCRIBING, ON)

    assert not result.children[1].born
    assert result.children[1].credit_values == {"HouseholdMember": 7}
    assert result.weekly_total == 17


def test_carer_deduction_without_member_rows():
    result = evaluate_family(FamilyInput(()), SOCIAL_PRESCRIBING, ON)

    assert result.weekly_total == 3


def test_left_household_loses_household_value():
    household = FamilyInput((PARTICIPANT, born_in("2015-01")), **LEFT)

    result = evaluate_family(household, SOCIAL_PRESCRIBING, ON)

    assert [hit.name for hit in result.credits] == ["DeductFromCarer"]
    assert result.weekly_total == 7


def test_left_household_without_members_is_negative():
    result = evaluate_family(FamilyInput((), **LEFT), SOCIAL_PRESCRIBING, ON)

    assert result.weekly_total == -7


def test_household_values_below_member_value_go_negative():
    rules = build_rules(social_prescribing(household_exists=2, household_member=5))

    result = evaluate_family(FamilyInput(()), rules, ON)

    assert result.weekly_total == -3


def test_rejoined_household_counts_again():
    household = FamilyInput((PARTICIPANT,), rejoin_on=datetime(2024, 5, 20, 9, 0), **LEFT)

    assert evaluate_family(household, SOCIAL_PRESCRIBING, ON).weekly_total == 10


def test_rejoin_at_leaving_time_counts_as_left():
    household = FamilyInput((PARTICIPANT,), rejoin_on=LEFT["leaving_on"], **LEFT)

    result = evaluate_family(household, SOCIAL_PRESCRIBING, ON)

    assert [hit.name for hit in result.credits] == ["DeductFromCarer"]
    assert result.weekly_total == 0


def test_negative_child_credit_carries_nothing():
    rules = build_rules((Override("ChildIsUnderOne", CHILD, CREDITS, -3),))

    result = evaluate_family(FamilyInput((born_in("2024-01"),)), rules, ON)

    assert result.children[0].credit_values == {"ChildIsUnderOne": 0}
    assert result.weekly_total == 0


def test_zero_credit_still_listed():
    rules = build_rules((Override("FamilyIsPregnant", FAMILY, CREDITS, 0),))

    result = evaluate_family(FamilyInput((born_in("2024-10"),)), rules, ON)

    assert [(group.reason, group.count, group.vouchers) for group in result.credit_reasons] == [("pregnant", 1, 0)]
    assert result.weekly_total == 0


def test_disqualified_child_keeps_notices():
    # With July as the school month, a child born in June 2013 is at primary school (disqualified)
    # and starts secondary school on 1 July 2024.
    rules = build_rules((Override("ChildIsAlmostSecondarySchoolAge", CHILD, NOTICES, 0),), school_month=7)
    family = FamilyInput((born_in("2013-06", verified=True), born_in("2022-11", verified=True)))

    result = evaluate_family(family, rules, ON)

    assert [hit.name for hit in result.children[0].disqualifiers] == ["ChildIsPrimarySchoolAge"]
    assert [hit.reason for hit in result.children[0].notices] == ["almost secondary school age"]
    assert result.weekly_total == 4


def test_disqualified_family_keeps_notices():
    # The only child is at primary school, so the family has no eligible children.
    family = FamilyInput((born_in("2013-04", verified=True),))

    result = evaluate_family(family, build_rules(SK_AREA), date(2024, 7, 20))

    assert not result.eligible
    assert result.children[0].credit_values == {"ChildIsPrimarySchoolAge": 3}
    assert result.credit_reasons == ()
    assert result.weekly_total == 0
    assert [notice_text(group) for group in result.notice_groups] == ["A child is almost secondary school age"]
    assert result.has_notices


def test_secondary_schooler_earns_nothing_without_disqualifier():
    result = evaluate_family(FamilyInput((born_in("2009-05"),)), build_rules(), ON)

    assert result.children[0].credits == ()
    assert result.children[0].eligible
    assert result.weekly_total == 0
