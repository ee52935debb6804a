"""Properties of the entitlement rules over generated dates of birth and evaluation dates.

Each boundary is checked against an oracle written independently of the implementation: a child is
on one side of it on the boundary day and on the other side the day after (or the day before).
"""

import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from arc.entitlement import (
    SCOTTISH_FAMILY,
    ChildInput,
    FamilyInput,
    age,
    build_rules,
    evaluate_child,
    evaluate_family,
    social_prescribing,
)
from arc.entitlement.dates import is_at_scottish_school, scottish_school_start
from tests.entitlement.helpers import SK_AREA, VERIFY_CHILDREN, allow_primary_schoolers

DAY = timedelta(days=1)
ENGLAND = build_rules()

births = st.dates(min_value=date(1960, 1, 1), max_value=date(2040, 12, 31))
evaluation_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2045, 12, 31))
school_months = st.integers(min_value=1, max_value=12)
leap_years = st.integers(min_value=1960, max_value=2040).filter(calendar.isleap)


def oracle_under_one_limit(dob):
    year, month = dob.year + 1, dob.month
    return date(year, month, calendar.monthrange(year, month)[1])


def oracle_school_start(dob, stage_years, school_month):
    year = dob.year + stage_years - (1 if dob.month < school_month else 0)
    return date(year, school_month, 1)


def oracle_years(dob, on):
    """Return whole years of age; a 29 February child has its birthday on 1 March in other years."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def oracle_at_scottish_school(dob, on, school_month, deferred):
    """Return the previous service's result, which let four-year-olds leave school in January."""
    if dob > on:
        return False
    years = oracle_years(dob, on)
    if years >= 5:
        return True
    if years <= 3:
        return False
    return on.month > school_month and not deferred


def credits_on(dob, on, rules=ENGLAND):
    return evaluate_child(ChildInput(dob), rules, on).credit_values


def disqualifier_names(dob, on, rules=ENGLAND):
    return [hit.name for hit in evaluate_child(ChildInput(dob), rules, on).disqualifiers]


@given(births)
def test_under_one_until_end_of_first_birthday_month(dob):
    limit = oracle_under_one_limit(dob)

    assert credits_on(dob, limit) == {"ChildIsUnderOne": 6}
    assert credits_on(dob, limit + DAY) == {"ChildIsBetweenOneAndPrimarySchoolAge": 4}


@given(leap_years, st.integers(min_value=1, max_value=29))
def test_leap_february_birth_one_on_1_march(year, day):
    dob = date(year, 2, day)
    last_day = date(year + 1, 3, 1) - DAY

    assert credits_on(dob, last_day) == {"ChildIsUnderOne": 6}
    assert credits_on(dob, date(year + 1, 3, 1)) == {"ChildIsBetweenOneAndPrimarySchoolAge": 4}


@given(leap_years)
def test_leap_day_birthdays(year):
    dob = date(year, 2, 29)

    for years in range(1, 13):
        birthday = date(year + years, 2, 29) if calendar.isleap(year + years) else date(year + years, 3, 1)
        assert age(dob, birthday - DAY)[0] == years - 1
        assert age(dob, birthday)[0] == years


@given(births, evaluation_dates)
def test_age_in_years(dob, on):
    child_age = age(dob, on)

    if dob > on:
        assert child_age is None
    else:
        assert child_age[0] == oracle_years(dob, on)
        assert 0 <= child_age[1] <= 11


@given(births, school_months)
def test_primary_school_start_day(dob, school_month):
    rules = build_rules(school_month=school_month)
    start = oracle_school_start(dob, 5, school_month)

    assert credits_on(dob, start, rules) == {"ChildIsBetweenOneAndPrimarySchoolAge": 4}
    assert disqualifier_names(dob, start, rules) == []
    assert credits_on(dob, start + DAY, rules) == {}
    assert disqualifier_names(dob, start + DAY, rules) == ["ChildIsPrimarySchoolAge"]


@given(births, school_months)
def test_secondary_school_start_day(dob, school_month):
    rules = build_rules(allow_primary_schoolers(3), school_month=school_month)
    start = oracle_school_start(dob, 12, school_month)

    assert credits_on(dob, start, rules) == {"ChildIsPrimarySchoolAge": 3}
    assert disqualifier_names(dob, start, rules) == []
    assert disqualifier_names(dob, start + DAY, rules) == ["ChildIsSecondarySchoolAge"]


@given(births, school_months, st.integers(min_value=-100, max_value=10))
def test_almost_primary_window(dob, school_month, offset):
    rules = build_rules(school_month=school_month)
    start = oracle_school_start(dob, 5, school_month)
    on = start + timedelta(days=offset)
    window_opens = start - relativedelta(months=2) + DAY

    notices = [hit.name for hit in evaluate_child(ChildInput(dob), rules, on).notices]

    assert ("ChildIsAlmostPrimarySchoolAge" in notices) is (window_opens <= on < start)


@given(births, st.integers(min_value=-100, max_value=10))
def test_almost_one_window(dob, offset):
    limit = oracle_under_one_limit(dob)
    on = limit + timedelta(days=offset)
    month_before = limit.replace(day=1) - relativedelta(months=1)
    two_months_before = limit.replace(day=1) - relativedelta(months=2)
    # A day of the month later than the limit's day leaves less than two whole months.
    extra_day = on.replace(day=1) == two_months_before and on.day > limit.day

    notices = [hit.name for hit in evaluate_child(ChildInput(dob), ENGLAND, on).notices]

    assert ("ChildIsAlmostOne" in notices) is (on <= limit and (on >= month_before or extra_day))


@given(st.dates(min_value=date(1990, 2, 1), max_value=date(2040, 12, 1)).map(lambda day: day.replace(day=1)))
def test_pregnancy_becomes_child_on_due_month(due):
    family = FamilyInput((ChildInput(due),))

    before = evaluate_family(family, ENGLAND, due - DAY)
    on_due = evaluate_family(family, ENGLAND, due)

    assert before.children[0].credits == ()
    assert [hit.name for hit in before.credits] == ["FamilyIsPregnant"]
    assert on_due.children[0].credit_values == {"ChildIsUnderOne": 6}
    assert on_due.credits == ()


@given(births, school_months, st.booleans(), evaluation_dates, evaluation_dates)
def test_scottish_school_never_reverts(dob, school_month, deferred, first, second):
    earlier, later = sorted((first, second))

    if is_at_scottish_school(dob, earlier, school_month, deferred):
        assert is_at_scottish_school(dob, later, school_month, deferred)


@given(births, school_months, st.booleans(), evaluation_dates)
def test_scottish_school_keeps_previous_answers(dob, school_month, deferred, on):
    ours = is_at_scottish_school(dob, on, school_month, deferred)
    previous = oracle_at_scottish_school(dob, on, school_month, deferred)

    if previous:
        assert ours
    if ours and not previous:
        # The only change: a four-year-old who started school stays there from January on.
        assert oracle_years(dob, on) == 4
        assert on.month <= school_month
        assert not deferred


@given(births, school_months, st.booleans())
def test_scottish_school_start_day(dob, school_month, deferred):
    start = scottish_school_start(dob, school_month, deferred)

    assert oracle_at_scottish_school(dob, start, school_month, deferred)
    assert not oracle_at_scottish_school(dob, start - DAY, school_month, deferred)
    assert is_at_scottish_school(dob, start, school_month, deferred)
    assert not is_at_scottish_school(dob, start - DAY, school_month, deferred)


@given(births, evaluation_dates)
def test_deferred_four_year_old_not_at_school(dob, on):
    at_school = is_at_scottish_school(dob, on, 8, deferred=True)

    if dob > on:
        assert not at_school
    else:
        assert at_school is (oracle_years(dob, on) >= 5)


@given(births, st.booleans(), evaluation_dates)
def test_scottish_credit_until_secondary_start(dob, deferred, on):
    rules = build_rules(SCOTTISH_FAMILY)
    result = evaluate_child(ChildInput(dob, deferred=deferred), rules, on)
    secondary_start = oracle_school_start(dob, 12, 9)

    if dob.replace(day=1) > on:
        assert result.total == 0
    elif on <= oracle_under_one_limit(dob):
        assert result.credit_values == {"ChildIsUnderOne": 6}
    elif on <= secondary_start:
        assert result.total == 4
    else:
        assert [hit.name for hit in result.disqualifiers] == ["ChildIsSecondarySchoolAge"]
        assert result.total == 0


children = st.builds(
    ChildInput,
    dob=births,
    verified=st.sampled_from([None, False, True]),
    deferred=st.booleans(),
    is_pri_carer=st.sampled_from([None, False, True]),
)
families = st.builds(FamilyInput, children=st.lists(children, max_size=6).map(tuple))
standard_rule_sets = st.sampled_from(
    [
        ENGLAND,
        build_rules(SCOTTISH_FAMILY),
        build_rules(SK_AREA),
        build_rules(VERIFY_CHILDREN),
        build_rules(allow_primary_schoolers(4)),
    ]
)


@given(families, standard_rule_sets, evaluation_dates)
def test_standard_totals_never_negative(family, rules, on):
    result = evaluate_family(family, rules, on)

    assert result.weekly_total >= 0


@given(families, standard_rule_sets, evaluation_dates)
def test_weekly_total_sums_eligible_nodes(family, rules, on):
    result = evaluate_family(family, rules, on)
    child_vouchers = sum(sum(child.credit_values.values()) for child in result.children if child.eligible)
    family_vouchers = sum(hit.vouchers for hit in result.credits)

    expected = family_vouchers + child_vouchers if result.eligible else 0
    assert result.weekly_total == expected
    assert sum(group.vouchers for group in result.credit_reasons) == expected


@given(families, standard_rule_sets, evaluation_dates)
def test_eligible_children_born_and_qualified(family, rules, on):
    result = evaluate_family(family, rules, on)

    assert result.eligible_children_count <= sum(child.born for child in result.children)
    for child in result.eligible_children:
        assert child.born
        assert child.disqualifiers == ()
    if result.eligible:
        assert result.eligible_children_count == sum(child.born and child.eligible for child in result.children)


@given(
    st.lists(children, max_size=6).map(tuple),
    st.booleans(),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=30),
    evaluation_dates,
)
def test_social_prescribing_household_formula(members, left, household_exists, household_member, on):
    rules = build_rules(social_prescribing(household_exists, household_member))
    leaving = {"leaving_on": date(2024, 5, 1)} if left else {}
    household = FamilyInput(members, **leaving)

    result = evaluate_family(household, rules, on)

    household_value = 0 if left else household_exists
    assert result.weekly_total == household_value - household_member + household_member * len(members)
    if household_exists >= household_member and not left:
        assert result.weekly_total >= 0
