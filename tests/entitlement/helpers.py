"""Builders for entitlement inputs, and override sets that areas use besides the named presets."""

from datetime import date

import pytest

from arc.entitlement import (
    CHILD,
    CREDITS,
    DISQUALIFIERS,
    FAMILY,
    NOTICES,
    ChildInput,
    FamilyInput,
    Override,
    notice_text,
)


def born_in(month, **fields):
    """Return a child row whose date of birth (or due date) is the 1st of ``month``, as "YYYY-MM"."""
    year, month_number = month.split("-")
    return ChildInput(date(int(year), int(month_number), 1), **fields)


def family_of(*months, **fields):
    """Return a family whose child rows are born in the given "YYYY-MM" months, all ID-checked."""
    return FamilyInput(tuple(born_in(month, verified=True) for month in months), **fields)


def allow_primary_schoolers(primary_value):
    """Return overrides that credit primary schoolers and disqualify secondary schoolers instead."""
    return (
        Override("ChildIsAlmostSecondarySchoolAge", CHILD, NOTICES, 0),
        Override("ChildIsPrimarySchoolAge", CHILD, CREDITS, primary_value),
        Override("ChildIsPrimarySchoolAge", CHILD, DISQUALIFIERS, None),
        Override("ChildIsSecondarySchoolAge", CHILD, DISQUALIFIERS, 0),
    )


# The back-office "SK" area: primary schoolers earn 3, but only alongside a younger child or a pregnancy.
SK_AREA = allow_primary_schoolers(3) + (Override("FamilyHasNoEligibleChildren", FAMILY, DISQUALIFIERS, 0),)

VERIFY_CHILDREN = (Override("FamilyHasUnverifiedChildren", FAMILY, NOTICES, 0),)


def names(hits):
    return [hit.name for hit in hits]


def reasons(hits):
    return [hit.reason for hit in hits]


def expected_case(
    case_id,
    rules,
    family,
    on,
    *,
    total,
    child_credits,
    child_disqualifiers=None,
    family_credits=None,
    family_disqualifiers=(),
    notices=(),
):
    """Return one parametrised row: a family on a date and everything its evaluation must show.

    ``child_credits`` contains one {rule name: vouchers} dict per child row, in order, and
    ``child_disqualifiers`` one list of rule names per child row (none by default).
    """
    if child_disqualifiers is None:
        child_disqualifiers = [[] for _ in child_credits]
    expected = {
        "total": total,
        "child_credits": list(child_credits),
        "child_disqualifiers": [list(rule_names) for rule_names in child_disqualifiers],
        "family_credits": dict(family_credits or {}),
        "family_disqualifiers": list(family_disqualifiers),
        "notices": list(notices),
    }
    return pytest.param(rules, family, on, expected, id=case_id)


def assert_case(result, expected):
    """Check every part of a family evaluation, one assert each so a failure names the part."""
    assert [child.credit_values for child in result.children] == expected["child_credits"]
    assert [names(child.disqualifiers) for child in result.children] == expected["child_disqualifiers"]
    assert {hit.name: hit.vouchers for hit in result.credits} == expected["family_credits"]
    assert names(result.disqualifiers) == expected["family_disqualifiers"]
    assert [notice_text(group) for group in result.notice_groups] == expected["notices"]
    assert result.weekly_total == expected["total"]
