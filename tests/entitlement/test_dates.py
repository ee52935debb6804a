"""Calendar primitives of the entitlement rules, on fixed dates."""

from datetime import date

import pytest

from arc.entitlement.dates import (
    age,
    age_label,
    anniversary,
    first_of_month,
    is_almost_one,
    is_almost_start,
    is_at_scottish_school,
    is_before_start,
    is_born,
    is_scottish_notice_month,
    is_under_one,
    last_of_month,
    school_start,
    scottish_school_start,
    under_one_limit,
    whole_months,
)


def test_month_bounds():
    assert first_of_month(date(2024, 2, 17)) == date(2024, 2, 1)
    assert last_of_month(date(2024, 2, 17)) == date(2024, 2, 29)
    assert last_of_month(date(2023, 2, 1)) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        pytest.param(date(2023, 6, 1), date(2024, 6, 30), id="June-birth"),
        pytest.param(date(2010, 9, 17), date(2011, 9, 30), id="mid-month-birth"),
        pytest.param(date(2023, 12, 1), date(2024, 12, 31), id="December-birth"),
        pytest.param(date(2023, 2, 1), date(2024, 2, 29), id="February-birth-into-leap-year"),
        # The previous service let this limit overflow to 1 March 2025.
        pytest.param(date(2024, 2, 1), date(2025, 2, 28), id="leap-February-birth-ends-28-Feb"),
        pytest.param(date(2024, 2, 29), date(2025, 2, 28), id="29-Feb-birth-ends-28-Feb"),
    ],
)
def test_under_one_limit(dob, expected):
    assert under_one_limit(dob) == expected


def test_leap_day_baby_one_on_first_of_march():
    dob = date(2024, 2, 29)

    assert is_under_one(dob, date(2025, 2, 28))
    assert not is_under_one(dob, date(2025, 3, 1))
    assert age(dob, date(2025, 2, 28)) == (0, 11)
    assert age(dob, date(2025, 3, 1)) == (1, 0)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(date(2024, 3, 15), date(2024, 6, 30), 3, id="three-months"),
        pytest.param(date(2024, 7, 20), date(2024, 9, 1), 1, id="day-after-first"),
        pytest.param(date(2024, 7, 1), date(2024, 9, 1), 2, id="same-day-of-month"),
        pytest.param(date(2024, 7, 2), date(2024, 9, 1), 1, id="one-day-short"),
        pytest.param(date(2024, 7, 31), date(2024, 9, 30), 1, id="31st-to-30th"),
        pytest.param(date(2023, 11, 30), date(2024, 1, 31), 2, id="across-a-year"),
    ],
)
def test_whole_months(start, end, expected):
    assert whole_months(start, end) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(date(2024, 7, 30), False, id="30-Jul"),
        # 31 July is a day of the month later than 30 September, so only one whole month remains.
        pytest.param(date(2024, 7, 31), True, id="31-Jul-extra-day"),
        pytest.param(date(2024, 8, 1), True, id="1-Aug"),
        pytest.param(date(2024, 9, 30), True, id="last-day-under-one"),
        pytest.param(date(2024, 10, 1), False, id="1-Oct-no-longer-under-one"),
    ],
)
def test_almost_one_for_september_birthday_month(on, expected):
    assert is_almost_one(date(2023, 9, 1), on) is expected


@pytest.mark.parametrize(
    ("on", "almost", "before"),
    [
        pytest.param(date(2024, 7, 1), False, True, id="1-Jul-two-whole-months"),
        pytest.param(date(2024, 7, 2), True, True, id="2-Jul"),
        pytest.param(date(2024, 8, 31), True, True, id="31-Aug"),
        pytest.param(date(2024, 9, 1), False, True, id="start-day-not-future-but-before"),
        pytest.param(date(2024, 9, 2), False, False, id="day-after-start"),
    ],
)
def test_school_start_window(on, almost, before):
    start = date(2024, 9, 1)

    assert is_almost_start(start, on) is almost
    assert is_before_start(start, on) is before


@pytest.mark.parametrize(
    ("dob", "stage_years", "school_month", "expected"),
    [
        pytest.param(date(2019, 5, 1), 5, 9, date(2023, 9, 1), id="primary-born-before-school-month"),
        pytest.param(date(2021, 10, 1), 5, 9, date(2026, 9, 1), id="primary-born-after-school-month"),
        pytest.param(date(2010, 11, 1), 12, 9, date(2022, 9, 1), id="secondary-born-November"),
        pytest.param(date(2013, 4, 1), 12, 9, date(2024, 9, 1), id="secondary-born-April"),
        pytest.param(date(2020, 6, 1), 5, 7, date(2024, 7, 1), id="primary-July-school-month"),
        pytest.param(date(2020, 1, 1), 5, 1, date(2025, 1, 1), id="January-school-month"),
    ],
)
def test_school_start(dob, stage_years, school_month, expected):
    assert school_start(dob, stage_years, school_month) == expected


def test_born_from_first_of_due_month():
    assert not is_born(date(2024, 3, 1), date(2024, 2, 29))
    assert is_born(date(2024, 3, 1), date(2024, 3, 1))
    assert is_born(date(2024, 3, 20), date(2024, 3, 1))


@pytest.mark.parametrize(
    ("dob", "years", "expected"),
    [
        pytest.param(date(2020, 2, 29), 1, date(2021, 3, 1), id="29-Feb-to-non-leap-year"),
        pytest.param(date(2020, 2, 29), 4, date(2024, 2, 29), id="29-Feb-to-leap-year"),
        pytest.param(date(2020, 3, 1), 5, date(2025, 3, 1), id="first-of-month"),
    ],
)
def test_anniversary(dob, years, expected):
    assert anniversary(dob, years) == expected


@pytest.mark.parametrize(
    ("dob", "on", "expected"),
    [
        pytest.param(date(2020, 1, 31), date(2020, 2, 29), (0, 0), id="31-Jan-not-a-month-on-29-Feb"),
        pytest.param(date(2020, 1, 31), date(2020, 3, 1), (0, 1), id="31-Jan-a-month-on-1-Mar"),
        pytest.param(date(2019, 7, 1), date(2024, 7, 10), (5, 0), id="five-years"),
        pytest.param(date(2024, 7, 1), date(2024, 6, 30), None, id="pregnancy"),
    ],
)
def test_age(dob, on, expected):
    assert age(dob, on) == expected


def test_age_label_for_pregnancy():
    assert age_label(date(2024, 12, 1), date(2024, 6, 15)) == "P"


@pytest.mark.parametrize(
    ("dob", "school_month", "deferred", "expected"),
    [
        pytest.param(date(2020, 3, 1), 8, False, date(2024, 9, 1), id="born-March-starts-September"),
        pytest.param(date(2020, 3, 1), 8, True, date(2025, 3, 1), id="deferred-starts-at-five"),
        pytest.param(date(2019, 9, 1), 8, False, date(2023, 9, 1), id="born-September-starts-at-four"),
        pytest.param(date(2019, 11, 1), 8, False, date(2023, 11, 1), id="born-November-starts-at-four"),
        pytest.param(date(2020, 3, 1), 12, False, date(2025, 3, 1), id="December-school-month-starts-at-five"),
        pytest.param(date(2016, 2, 29), 8, True, date(2021, 3, 1), id="29-Feb-deferred-starts-1-Mar"),
    ],
)
def test_scottish_school_start(dob, school_month, deferred, expected):
    assert scottish_school_start(dob, school_month, deferred) == expected


def test_scottish_school_no_reversion_in_january():
    # Four years and two months on 15 January 2024, at school since the fourth birthday in November.
    # The previous service counted this child as not at school again from January to the birthday.
    dob = date(2019, 11, 1)

    assert is_at_scottish_school(dob, date(2023, 12, 15), 8, deferred=False)
    assert is_at_scottish_school(dob, date(2024, 1, 15), 8, deferred=False)
    assert is_at_scottish_school(dob, date(2024, 8, 31), 8, deferred=False)


@pytest.mark.parametrize(
    ("on", "school_month", "expected"),
    [
        pytest.param(date(2024, 6, 30), 8, False, id="June-for-August"),
        pytest.param(date(2024, 7, 1), 8, True, id="July-for-August"),
        pytest.param(date(2024, 8, 31), 8, True, id="August-for-August"),
        pytest.param(date(2024, 9, 1), 8, False, id="September-for-August"),
        # The month before January would be December, which the previous service never matched.
        pytest.param(date(2024, 12, 15), 1, False, id="December-for-January"),
        pytest.param(date(2025, 1, 15), 1, True, id="January-for-January"),
    ],
)
def test_scottish_notice_month(on, school_month, expected):
    assert is_scottish_notice_month(on, school_month) is expected
