"""Calendar primitives of the entitlement rules, on whole dates.

Every function takes the evaluation date as an argument (``on``). The previous service compared a
midnight "today" with targets that carried a time of day, and these functions return the same results
on whole dates:

* the under-one limit is the end of a day, so the limit date itself still counts as "under one" and
  as "in the future";
* a school start carries the evaluation's time of day, so the start date itself still counts as
  "before the start" but no longer as "in the future".
"""

from datetime import date

from dateutil.relativedelta import relativedelta

# Stage years of the school-start calculation: the age in years at which each stage begins.
PRIMARY_STAGE_YEARS = 5
SECONDARY_STAGE_YEARS = 12


def first_of_month(day):
    return day.replace(day=1)


def last_of_month(day):
    return day + relativedelta(day=31)


def is_born(dob, on):
    """Return whether a child row counts as born on ``on``: its birth (or due) month has begun.

    A pregnancy therefore becomes a child on the 1st of its due month, with no re-save needed.
    """
    return first_of_month(dob) <= on


def under_one_limit(dob):
    """Return the last day on which a child counts as under one: the end of its birth month a year on.

    relativedelta keeps the month when it adds the year, so a child born in February of a leap year
    is under one until 28 February of the next year and is one on 1 March.
    """
    return last_of_month(first_of_month(dob) + relativedelta(years=1))


def school_start(dob, stage_years, school_month):
    """Return the 1st of ``school_month`` in the year a child begins a school stage.

    A child born before the school month starts the stage in the year it turns ``stage_years - 1``.
    A child born in or after that month starts a year later.
    """
    years = stage_years - 1 if dob.month < school_month else stage_years
    return date(dob.year + years, school_month, 1)


def whole_months(start, end):
    """Return the number of whole months from ``start`` to a later ``end``.

    ``end`` counts as late in its day as the rule targets are (an end of day, or a time after
    midnight), so a month is complete when ``end``'s day of the month is at least ``start``'s.
    """
    months = 12 * (end.year - start.year) + end.month - start.month
    if start.day > end.day:
        months -= 1
    return months


def is_under_one(dob, on):
    return on <= under_one_limit(dob)


def is_almost_one(dob, on):
    """Return whether the under-one limit is still ahead and less than two whole months away."""
    limit = under_one_limit(dob)
    return on <= limit and whole_months(on, limit) <= 1


def is_before_start(start, on):
    """Return whether a school stage has not begun: the start date itself still counts as before."""
    return on <= start


def is_almost_start(start, on):
    """Return whether a school start is still in the future and less than two whole months away.

    With a September start this is true from 2 July to 31 August of the start year.
    """
    return on < start and whole_months(on, start) <= 1


def anniversary(dob, years):
    """Return the date on which a child turns ``years`` old.

    relativedelta would move a 29 February birthday to 28 February in a non-leap year. The child is
    not that old until the day after, 1 March.
    """
    birthday = dob + relativedelta(years=years)
    if birthday.day != dob.day:
        birthday += relativedelta(days=1)
    return birthday


def age(dob, on):
    """Return a child's age on ``on`` as whole (years, months), or None when ``dob`` is later.

    A month is complete when its day of the month is reached, so a child born on 31 January is one
    month old on 1 March. A child born on 29 February turns one on 1 March of a non-leap year,
    where relativedelta(on, dob) would make it one on 28 February.
    """
    if dob > on:
        return None
    months = 12 * (on.year - dob.year) + on.month - dob.month
    if on.day < dob.day:
        months -= 1
    return divmod(months, 12)


def age_label(dob, on):
    """Return the age shown next to a child: "Y yr, M mo", or "P" for a pregnancy."""
    child_age = age(dob, on)
    if child_age is None:
        return "P"
    years, months = child_age
    return f"{years} yr, {months} mo"


def scottish_school_start(dob, scottish_school_month, deferred):
    """Return the first day a child counts as at school under the Scottish rules.

    A child is at school from its fifth birthday, or earlier while it is four in a month after the
    Scottish school month, unless its start is deferred. The start is the first such day: from then
    on the child stays at school, also from January to the school month while it is still four.
    """
    fifth_birthday = anniversary(dob, 5)
    # No month comes after December, so with a December school month only the fifth birthday counts.
    if deferred or scottish_school_month == 12:
        return fifth_birthday
    fourth_birthday = anniversary(dob, 4)
    if fourth_birthday.month > scottish_school_month:
        return fourth_birthday
    return date(fourth_birthday.year, scottish_school_month + 1, 1)


def is_at_scottish_school(dob, on, scottish_school_month, deferred):
    return on >= scottish_school_start(dob, scottish_school_month, deferred)


def is_scottish_notice_month(on, scottish_school_month):
    """Return whether ``on`` falls in the month before the Scottish school month or in that month.

    With January as the school month only January counts, as the previous service computed it.
    """
    return on.month in (scottish_school_month - 1, scottish_school_month)
