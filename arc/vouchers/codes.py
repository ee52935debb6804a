"""Voucher codes: normalisation, splitting, ranges and batch formatting. Pure functions, no database.

A code is a sponsor's shortcode (letters) followed by a decimal number with optional leading zeros,
for example ``RVNT0042`` (shortcode ``RVNT``, number 42). Every entry point passes user input through
``normalise_code`` before anything else, so matching never depends on the database's collation.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

# Padding of the codes that a voucher batch creates: SK00001, RVNT09999, RVNT123456.
BATCH_NUMBER_DIGITS = 5

_CODE_PATTERN = re.compile(r"([A-Z]+)([0-9]+)")
_SHORTCODE_PATTERN = re.compile(r"[A-Za-z]+")
_RANGE_SHORTCODE_PATTERN = re.compile(r"[A-Z]+")


class InvalidVoucherCode(ValueError):
    """A code that is not a shortcode of letters followed by digits."""


class InvalidVoucherRange(ValueError):
    """A pair of codes that does not form a range: different shortcodes, or an end before the start."""


class TooManyVoucherCodes(InvalidVoucherRange):
    """A range that expands to more codes than the caller allows."""


class CodeParts(NamedTuple):
    """A code split into its shortcode and its digits, as written (leading zeros kept)."""

    shortcode: str
    digits: str

    @property
    def number(self):
        return int(self.digits)


@dataclass(frozen=True)
class VoucherRange:
    """The vouchers of one shortcode numbered from ``start`` to ``end`` inclusive."""

    shortcode: str
    start: int
    end: int

    def __post_init__(self):
        if not _RANGE_SHORTCODE_PATTERN.fullmatch(self.shortcode or ""):
            raise InvalidVoucherRange(f"Invalid shortcode {self.shortcode!r}: use upper-case letters only.")
        if self.start < 0 or self.end < self.start:
            raise InvalidVoucherRange(
                f"Invalid voucher range {self.shortcode} {self.start} to {self.end}: "
                "the end must not be before the start."
            )

    @property
    def size(self):
        return self.end - self.start + 1

    def contains(self, other):
        """Return whether ``other`` has the same shortcode and lies wholly inside this range."""
        return other.shortcode == self.shortcode and self.start <= other.start and other.end <= self.end


def normalise_code(text):
    """Return ``text`` without any whitespace (tabs, newlines, no-break spaces...) in upper case.

    ``None`` and whitespace-only input give ``""``.
    """
    if not text:
        return ""
    return "".join(text.split()).upper()


def split_code(code):
    """Split a code, after normalising it, into ``CodeParts(shortcode, digits)``.

    The whole code must be letters then digits, so ``AB12CD34`` raises ``InvalidVoucherCode``.
    """
    normalised = normalise_code(code)
    match = _CODE_PATTERN.fullmatch(normalised)
    if match is None:
        raise InvalidVoucherCode(
            f"Invalid voucher code {code!r}: expected letters followed by digits, such as RVNT00042."
        )
    return CodeParts(match.group(1), match.group(2))


def expand_range(start, end=None, max_codes=None):
    """Return the normalised codes from ``start`` to ``end``, as a centre adds them to a bundle.

    The list is ``start`` itself, then the shortcode followed by each number after it up to ``end``,
    zero-padded to the number of digits in ``start``: TST0098 to TST0101 gives TST0098, TST0099,
    TST0100, TST0101. An empty ``end``, or one not after ``start``, gives only ``start``.

    Raises ``InvalidVoucherCode`` for a malformed code, ``InvalidVoucherRange`` when ``end`` has
    another shortcode, and ``TooManyVoucherCodes`` when the list would exceed ``max_codes``.
    """
    first = split_code(start)
    start_code = first.shortcode + first.digits
    if not normalise_code(end):
        return [start_code]

    last = split_code(end)
    if last.shortcode != first.shortcode:
        raise InvalidVoucherRange(
            f"Invalid voucher range {start_code} to {last.shortcode}{last.digits}: "
            "both codes must have the same shortcode."
        )
    if last.number <= first.number:
        return [start_code]

    count = last.number - first.number + 1
    if max_codes is not None and count > max_codes:
        raise TooManyVoucherCodes(
            f"The range {start_code} to {last.shortcode}{last.digits} has {count} vouchers; "
            f"add at most {max_codes} at a time."
        )
    width = len(first.digits)
    following = [f"{first.shortcode}{number:0{width}d}" for number in range(first.number + 1, last.number + 1)]
    return [start_code, *following]


def format_batch_code(shortcode, number):
    """Return the code a voucher batch gives ``number``: the shortcode then at least 5 digits.

    Longer numbers are kept whole (``RVNT123456``). Raises ``InvalidVoucherCode`` for a shortcode
    that is not letters only, or a negative number.
    """
    if not _SHORTCODE_PATTERN.fullmatch(shortcode or ""):
        raise InvalidVoucherCode(f"Invalid shortcode {shortcode!r}: use letters only.")
    if number < 0:
        raise InvalidVoucherCode(f"Invalid voucher number {number}: it must not be negative.")
    # Codes are stored in upper case, even for an area whose shortcode old data stores in lower case.
    return f"{shortcode.upper()}{number:0{BATCH_NUMBER_DIGITS}d}"


def parse_range(start_code, end_code, allow_single=True):
    """Return the ``VoucherRange`` that two codes describe, as the delivery and void forms take it.

    Both codes are normalised. The end must have the start's shortcode and a number no lower than the
    start's. An end equal to the start, or an empty end, is a one-voucher range, which
    ``allow_single=False`` rejects. Whether the codes exist is for the caller to check.

    Raises ``InvalidVoucherCode`` for a malformed code and ``InvalidVoucherRange`` otherwise.
    """
    first = split_code(start_code)
    last = split_code(end_code) if normalise_code(end_code) else first
    if last.shortcode != first.shortcode:
        raise InvalidVoucherRange(
            f"Invalid voucher range {first.shortcode}{first.digits} to {last.shortcode}{last.digits}: "
            "both codes must have the same shortcode."
        )
    if last.number < first.number:
        raise InvalidVoucherRange(
            f"Invalid voucher range {first.shortcode}{first.digits} to {last.shortcode}{last.digits}: "
            "the end code must not be before the start code."
        )
    if last.number == first.number and not allow_single:
        raise InvalidVoucherRange(
            f"Invalid voucher range {first.shortcode}{first.digits} to {last.shortcode}{last.digits}: "
            "the end code must be after the start code."
        )
    return VoucherRange(first.shortcode, first.number, last.number)
