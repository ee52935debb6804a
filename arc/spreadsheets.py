"""Cells of CSV files that staff open in a spreadsheet program."""

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return ``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Names and free text typed by users reach the exports, so "=HYPERLINK(...)" must stay text.
    Numbers are left as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]
