"""Request and response schemas of the trader API."""

from marshmallow import EXCLUDE, Schema, fields


class LoginSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    # Neither field is required here: a missing one gets the OAuth `invalid_request` body, not a 422.
    username = fields.String(load_default=None, metadata={"description": "The user's e-mail address."})
    password = fields.String(load_default=None)


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    expires_in = fields.Integer(required=True, metadata={"description": "Seconds until the access token expires."})
    refresh_token = fields.String(required=True)


class RefreshSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    refresh_token = fields.String(load_default=None)


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
