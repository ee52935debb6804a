import pytest

from arc.vouchers.codes import (
    CodeParts,
    InvalidVoucherCode,
    InvalidVoucherRange,
    TooManyVoucherCodes,
    VoucherRange,
    expand_range,
    format_batch_code,
    normalise_code,
    parse_range,
    split_code,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TST0123456", "TST0123456"),
        ("TST 0123456", "TST0123456"),
        ("TST012 3455", "TST0123455"),
        (" tst\t01\n23 ", "TST0123"),
        ("rvnt\r\n0042", "RVNT0042"),
        ("SK\u00a000001", "SK00001"),  # no-break space
        ("SK\u2003000\u300001", "SK00001"),  # em space, ideographic space
        ("aaaaa", "AAAAA"),
    ],
)
def test_normalise_code_strips_whitespace_and_upper_cases(text, expected):
    assert normalise_code(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_normalise_code_of_nothing_is_empty(text):
    assert normalise_code(text) == ""


@pytest.mark.parametrize(
    ("code", "shortcode", "digits"),
    [
        ("RVNT0042", "RVNT", "0042"),
        ("TST 0123456", "TST", "0123456"),
        ("sk00001", "SK", "00001"),
        ("A1", "A", "1"),
    ],
)
def test_split_code(code, shortcode, digits):
    parts = split_code(code)

    assert parts == CodeParts(shortcode, digits)
    assert parts.number == int(digits)


@pytest.mark.parametrize("code", ["AB12CD34", "12345", "RVNT", "", None, "RV-NT0042", "RVNT0042X", "RVNT٠١٢"])
def test_split_code_rejects_invalid_code(code):
    with pytest.raises(InvalidVoucherCode, match="Invalid voucher code"):
        split_code(code)


def test_invalid_voucher_code_is_value_error():
    assert issubclass(InvalidVoucherCode, ValueError)


def test_expand_range_pads_to_start_width():
    assert expand_range("TST0098", "TST0101") == ["TST0098", "TST0099", "TST0100", "TST0101"]


def test_expand_range_grows_past_start_width():
    assert expand_range("TST98", "TST101") == ["TST98", "TST99", "TST100", "TST101"]


def test_expand_range_normalises_both_codes():
    assert expand_range(" tst 0098", "TST\t0099\n") == ["TST0098", "TST0099"]


@pytest.mark.parametrize("end", [None, "", "  ", "TST0098", "TST0097", "TST1"])
def test_expand_range_without_later_end_gives_start(end):
    assert expand_range("tst0098", end) == ["TST0098"]


def test_expand_range_rejects_other_shortcode():
    with pytest.raises(InvalidVoucherRange, match="same shortcode"):
        expand_range("TST0098", "ABC0101")


def test_expand_range_rejects_invalid_end():
    with pytest.raises(InvalidVoucherCode):
        expand_range("TST0098", "TST01A1")


def test_expand_range_allows_max_codes():
    assert len(expand_range("TST0001", "TST0100", max_codes=100)) == 100


def test_expand_range_rejects_more_than_max_codes():
    with pytest.raises(TooManyVoucherCodes, match="at most 100"):
        expand_range("TST0001", "TST0101", max_codes=100)


@pytest.mark.parametrize(
    ("shortcode", "number", "expected"),
    [
        ("SK", 1, "SK00001"),
        ("RVNT", 9999, "RVNT09999"),
        ("RVNT", 10000, "RVNT10000"),
        ("RVNT", 123456, "RVNT123456"),
        ("RVNT", 0, "RVNT00000"),
    ],
)
def test_format_batch_code(shortcode, number, expected):
    assert format_batch_code(shortcode, number) == expected


@pytest.mark.parametrize(("shortcode", "number"), [("SK1", 1), ("", 1), ("SK", -1)])
def test_format_batch_code_rejects_invalid_input(shortcode, number):
    with pytest.raises(InvalidVoucherCode):
        format_batch_code(shortcode, number)


def test_parse_range():
    voucher_range = parse_range("TST0010", "TST1000")

    assert voucher_range == VoucherRange("TST", 10, 1000)
    assert voucher_range.size == 991


def test_parse_range_normalises_codes():
    assert parse_range(" tst 0010", "tst1000\n") == VoucherRange("TST", 10, 1000)


@pytest.mark.parametrize("end", ["TST0010", "TST10", "", None])
def test_parse_range_allows_single_voucher(end):
    assert parse_range("TST0010", end) == VoucherRange("TST", 10, 10)


@pytest.mark.parametrize("end", ["TST0010", ""])
def test_parse_range_can_require_two_vouchers(end):
    with pytest.raises(InvalidVoucherRange, match="after the start"):
        parse_range("TST0010", end, allow_single=False)


def test_parse_range_rejects_end_before_start():
    with pytest.raises(InvalidVoucherRange, match="must not be before"):
        parse_range("TST0010", "TST0009")


def test_parse_range_rejects_other_shortcode():
    with pytest.raises(InvalidVoucherRange, match="same shortcode"):
        parse_range("TST0010", "ABC1000")


def test_parse_range_rejects_invalid_code():
    with pytest.raises(InvalidVoucherCode):
        parse_range("TST00X0", "TST1000")


@pytest.mark.parametrize(("shortcode", "start", "end"), [("TST", 5, 4), ("TST", -1, 4), ("tst", 1, 4), ("T1", 1, 4)])
def test_voucher_range_rejects_invalid_values(shortcode, start, end):
    with pytest.raises(InvalidVoucherRange):
        VoucherRange(shortcode, start, end)


def test_voucher_range_contains():
    outer = VoucherRange("TST", 201, 205)

    assert outer.contains(VoucherRange("TST", 202, 204))
    assert outer.contains(outer)
    assert not outer.contains(VoucherRange("TST", 202, 209))
    assert not outer.contains(VoucherRange("ABC", 202, 204))
