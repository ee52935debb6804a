"""Text that a spreadsheet would run as a formula stays text in the CSV exports."""

import pytest

from arc.spreadsheets import safe_cell, safe_row


@pytest.mark.parametrize("value", ['=HYPERLINK("http://example.invalid","x")', "+44 1234", "-Ann", "@SUM(A1)", "\tx"])
def test_formula_like_text_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Zoë O'Neill-Ash", "", 7, None, -3])
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_safe_row_treats_every_cell():
    assert safe_row(["=1+1", "plain", 5]) == ["'=1+1", "plain", 5]
