"""The columns of the Master Voucher Log, shared by the nightly report and the historic export.

The 19 headers and their order are those of the PHP service, which people's spreadsheets expect.
Each column holds what its header says; the PHP service put a timestamp under "Void Reason" and
left "Void Voucher Date" empty, and its two reports formatted some columns differently.
"""

import re
from typing import NamedTuple

HEADERS = (
    "Voucher Number",
    "Voucher Area",
    "Date Distributed",
    "Distributed to Centre",
    "Distributed to Area",
    "Waiting for collection",
    "Date Issued",
    "RVID",
    "Main Carer",
    "Disbursing Centre",
    "Date Trader Recorded Voucher",
    "Retailer Name",
    "Retail Outlet",
    "Trader's Area",
    "Date Received for Reimbursement",
    "Reimbursed Date",
    "Void Voucher Date",
    "Void Reason",
    "Date file was Downloaded",
)

DATE_FORMAT = "%d/%m/%Y"

# Columns that say nothing about what happened to a voucher: a row with only these is left out.
_IDENTITY_COLUMNS = {"Voucher Number", "Voucher Area", "Date file was Downloaded"}
_ACTIVITY_INDEXES = tuple(index for index, header in enumerate(HEADERS) if header not in _IDENTITY_COLUMNS)

_WHITESPACE = re.compile(r"\s+")
_PATH_SEPARATORS = re.compile(r"[/\\]")


class VoucherRecord(NamedTuple):
    """One voucher with the related values the log needs, as read from the database.

    Dates are ``datetime`` values or ``None``. ``void_state`` is ``voided`` or ``expired``, the
    state of the latest such history row.
    """

    id: int
    code: str
    currentstate: str
    updated_at: object
    area: str | None
    dispatched_at: object
    delivery_centre: str | None
    delivery_area: str | None
    in_bundle: bool
    disbursed_at: object
    centre_prefix: str | None
    centre_sequence: int | None
    main_carer: str | None
    disbursing_centre: str | None
    recorded_at: object
    trader: str | None
    market: str | None
    market_area: str | None
    first_payment_pending_at: object
    reimbursed_at: object
    void_state: str | None
    voided_at: object
    retired: bool


def format_date(value):
    """Return ``value`` as dd/mm/yyyy, or an empty string for ``None``."""
    return value.strftime(DATE_FORMAT) if value is not None else ""


def rvid(prefix, sequence):
    """Return the family reference: the centre prefix and the sequence padded to at least four digits.

    Returns an empty string when either part is missing. Sequences longer than four digits are kept whole.
    """
    if not prefix or sequence is None:
        return ""
    return f"{prefix}{sequence:04d}"


def waiting_for_collection(record):
    """Return ``True`` for a voucher in a bundle not yet handed over, ``False`` once handed over.

    Returns an empty string for a voucher in no bundle.
    """
    if not record.in_bundle:
        return ""
    return "True" if record.disbursed_at is None else "False"


def format_row(record, generated_on):
    """Return the 19 cells of ``record``'s row as strings; ``generated_on`` is the date of the report."""
    return [
        record.code,
        record.area or "",
        format_date(record.dispatched_at),
        record.delivery_centre or "",
        record.delivery_area or "",
        waiting_for_collection(record),
        format_date(record.disbursed_at),
        rvid(record.centre_prefix, record.centre_sequence),
        record.main_carer or "",
        record.disbursing_centre or "",
        format_date(record.recorded_at),
        record.trader or "",
        record.market or "",
        record.market_area or "",
        format_date(record.first_payment_pending_at),
        format_date(record.reimbursed_at),
        format_date(record.voided_at),
        record.void_state or "",
        format_date(generated_on),
    ]


def has_activity(row):
    """Return whether a formatted row shows the voucher was delivered, bundled, traded or voided."""
    return any(row[index] for index in _ACTIVITY_INDEXES)


def area_file_name(area):
    """Return the CSV file name for an area: its name with each run of whitespace, and any slash, as ``_``."""
    return _PATH_SEPARATORS.sub("_", _WHITESPACE.sub("_", area)) + ".csv"
