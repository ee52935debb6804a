"""Request and response schemas of the trader API."""

from marshmallow import EXCLUDE, Schema, fields


class LoginSchema(Schema):
    """Login fields as sent; a missing one gets the OAuth `invalid_request` body, not a 422."""

    class Meta:
        unknown = EXCLUDE

    # Raw, so that a number or a list is treated like a missing field rather than rejected with a 422.
    username = fields.Raw(load_default=None)
    password = fields.Raw(load_default=None)


class LoginDocumentSchema(Schema):
    """The login request as documented: both fields are needed to log in."""

    username = fields.String(required=True, metadata={"description": "The user's e-mail address."})
    password = fields.String(required=True)


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    expires_in = fields.Integer(required=True, metadata={"description": "Seconds until the access token expires."})
    refresh_token = fields.String(required=True)


class RefreshSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    refresh_token = fields.Raw(load_default=None, metadata={"type": "string", "description": "The refresh token from the login."})


class RefreshWrapperSchema(Schema):
    """The refresh response: the new tokens under ``original``, or an empty ``original`` on failure."""

    headers = fields.Dict(required=True)
    original = fields.Dict(required=True)
    exception = fields.Raw(allow_none=True)


class OAuthErrorSchema(Schema):
    error = fields.String(required=True)
    error_description = fields.String()
    message = fields.String()
    hint = fields.String()


MODEL_DATETIME = "%Y-%m-%d %H:%M:%S"
APP_DATE = "%d-%m-%Y"


class ModelDateTime(fields.Field):
    """A date and time as the previous service wrote them in model JSON: ``YYYY-MM-DD HH:MM:SS``.

    Dump-only. A plain field rather than ``fields.DateTime``, whose OpenAPI form for a custom format
    has a null ``format`` that validators reject.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_none", True)
        kwargs.setdefault("dump_only", True)
        metadata = {"pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", "example": "2024-03-01 09:15:00"}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime(MODEL_DATETIME)


def app_date(value):
    """Format a date as the trader app shows it (DD-MM-YYYY), or "" when there is none."""
    return value.strftime(APP_DATE) if value else ""


class SponsorSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    shortcode = fields.String()
    programme = fields.Integer()
    created_at = ModelDateTime()
    updated_at = ModelDateTime()
    deleted_at = ModelDateTime()
    can_tap = fields.Boolean()
    programme_name = fields.String()


class MarketSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    location = fields.String()
    sponsor_id = fields.Integer(allow_none=True)
    created_at = ModelDateTime()
    updated_at = ModelDateTime()
    deleted_at = ModelDateTime()
    payment_message = fields.String()
    sponsor_shortcode = fields.Function(lambda market: market.sponsor.shortcode if market.sponsor else None)
    sponsor = fields.Nested(SponsorSchema, allow_none=True)


class TraderSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    pic_url = fields.String(allow_none=True)
    market_id = fields.Integer(allow_none=True)
    created_at = ModelDateTime()
    updated_at = ModelDateTime()
    deleted_at = ModelDateTime()
    disabled_at = ModelDateTime()
    market = fields.Nested(MarketSchema, allow_none=True)


class PageAccessSchema(Schema):
    tap = fields.Boolean()


class FeatureOverrideSchema(Schema):
    pageAccess = fields.Nested(PageAccessSchema)


class PivotSchema(Schema):
    user_id = fields.Integer()
    trader_id = fields.Integer()


class UserTraderSchema(TraderSchema):
    """A trader in the caller's list, with the link row and the app features its area switches off."""

    featureOverride = fields.Nested(
        FeatureOverrideSchema,
        metadata={"description": "Present only when the trader's area does not allow tapping codes in."},
    )
    pivot = fields.Nested(PivotSchema)


class TraderVoucherSchema(Schema):
    code = fields.String()
    updated_at = fields.Function(lambda row: app_date(row.updated_at), metadata={"description": "DD-MM-YYYY"})


class VoucherListQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    status = fields.String(
        load_default=None,
        metadata={"description": "`unconfirmed` (recorded) or `unpaid` (payment pending); omit for all vouchers."},
    )


class HistoryQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    page = fields.String(load_default="1", metadata={"description": "Page number, 15 days a page."})


class HistoryVoucherSchema(Schema):
    code = fields.String()
    recorded_on = fields.Function(lambda voucher: app_date(voucher.recorded_on))
    reimbursed_on = fields.Function(lambda voucher: app_date(voucher.reimbursed_on))


class HistoryDaySchema(Schema):
    pended_on = fields.Function(lambda day: app_date(day.pended_on))
    vouchers = fields.List(fields.Nested(HistoryVoucherSchema))


class TransitionRequestSchema(Schema):
    """A trader's submission of voucher codes. An invalid one gets a plain-text 400 with the first message."""

    class Meta:
        unknown = EXCLUDE

    trader_id = fields.Integer(
        required=True,
        strict=False,
        error_messages={"required": "No trader id", "null": "No trader id", "invalid": "The trader id must be a number."},
    )
    transition = fields.String(
        required=True,
        error_messages={"required": "No transition", "null": "No transition", "invalid": "The transition must be a string."},
        metadata={"enum": ["collect", "reject", "confirm"]},
    )
    vouchers = fields.List(
        fields.String(error_messages={"invalid": "The vouchers must be strings.", "null": "The vouchers must be strings."}),
        required=True,
        error_messages={"required": "No voucher data", "null": "No voucher data", "invalid": "The vouchers must be an array."},
        metadata={"description": "Voucher codes; spaces are ignored and repeats count once."},
    )


class TransitionReplySchema(Schema):
    """The single message the trader app shows: under `message`, `warning` or `error`."""

    message = fields.String()
    warning = fields.String()
    error = fields.String()


class JobPollSchema(Schema):
    location = fields.String(metadata={"description": "Where to poll next, or where the result is."})
    retry_after = fields.Integer(data_key="retry-after", attribute="retry-after", metadata={"description": "Seconds to wait before polling."})
    id = fields.Integer()
    status = fields.String()
