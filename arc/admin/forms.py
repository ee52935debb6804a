"""Forms of the admin portal's voucher, delivery, payment, password and demo-data pages.

Code fields keep the field names of the previous portal (``voucher-start``, ``voucher-end``,
``date-sent``), so its bookmarks and scripts keep working. Their values pass through
``normalise_code``: spaces are removed and letters upper-cased.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Email, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from arc import clock
from arc.centres.models import Centre
from arc.extensions import db
from arc.sponsors.models import Sponsor
from arc.vouchers.codes import InvalidVoucherCode, InvalidVoucherRange, normalise_code, split_code
from arc.vouchers.operations import MAX_BATCH_NUMBER, MAX_BATCH_SIZE
from arc.vouchers.queries import VoucherNotFound, define_range

MIN_PASSWORD_LENGTH = 8


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _optional_id(value):
    """Coerce a select's value to an id; the empty "choose one" option gives None."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError("Not a valid choice.") from None


def sponsor_choices():
    """Return the area select's options: a prompt, then every area that is not deleted, in creation order."""
    sponsors = db.session.scalars(sa.select(Sponsor).where(Sponsor.deleted_at.is_(None)).order_by(Sponsor.id))
    return [SelectChoice("", "Please select an area")] + [
        SelectChoice(str(sponsor.id), f"{sponsor.name} ({sponsor.shortcode})") for sponsor in sponsors
    ]


def centre_choices():
    """Return the centre select's options: a prompt, then the centres grouped by area, in creation order."""
    rows = db.session.execute(
        sa.select(Centre.id, Centre.name, Sponsor.name.label("area"))
        .join(Sponsor, Sponsor.id == Centre.sponsor_id)
        .order_by(Sponsor.id, Centre.id)
    ).all()
    return [SelectChoice("", "Choose one")] + [SelectChoice(str(row.id), row.name, optgroup=row.area) for row in rows]


def _batch_number(label):
    return StringField(
        label,
        filters=[_strip],
        validators=[
            InputRequired(message=f"Enter the {label.lower()}."),
            Regexp(r"^[0-9]+$", message="Use digits only, such as 1 or 00100."),
        ],
    )


class VoucherBatchForm(FlaskForm):
    """A printed batch: an area and the first and last numbers, typed without the area's letters."""

    sponsor_id = SelectField(
        "Area", coerce=_optional_id, validators=[InputRequired(message="Choose the area these vouchers are for.")]
    )
    start = _batch_number("Starting number")
    end = _batch_number("Ending number")

    def validate_start(self, field):
        if field.errors:
            return
        if int(field.data) > MAX_BATCH_NUMBER:
            raise ValidationError(f"The starting number must be between 0 and {MAX_BATCH_NUMBER:,}.")

    def validate_end(self, field):
        if field.errors:
            return
        end = int(field.data)
        if end > MAX_BATCH_NUMBER:
            raise ValidationError(f"The ending number must be between 0 and {MAX_BATCH_NUMBER:,}.")
        if self.start.errors or not self.start.data:
            return
        start = int(self.start.data)
        if end < start:
            raise ValidationError("The ending number must be greater than or equal to the starting number.")
        if end - start + 1 > MAX_BATCH_SIZE:
            raise ValidationError(
                f"That is {end - start + 1:,} vouchers: create at most {MAX_BATCH_SIZE:,} in one batch."
            )


def _code_field(label, name):
    return StringField(
        label,
        name=name,
        filters=[normalise_code],
        validators=[InputRequired(message=f"Enter the {label.lower()} code.")],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )


class VoucherRangeForm(FlaskForm):
    """Two voucher codes naming a range of one area's vouchers; ``validate`` sets ``sponsor_id`` and ``voucher_range``.

    Both codes must belong to existing vouchers and share a shortcode, and the end may not be before
    the start. An end equal to the start is a one-voucher range.
    """

    voucher_start = _code_field("Start voucher", "voucher-start")
    voucher_end = _code_field("End voucher", "voucher-end")

    sponsor_id = None
    voucher_range = None

    def validate_voucher_start(self, field):
        _check_code_format(field.data)

    def validate_voucher_end(self, field):
        _check_code_format(field.data)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.voucher_start.errors or self.voucher_end.errors:
            return False
        try:
            self.sponsor_id, self.voucher_range = define_range(self.voucher_start.data, self.voucher_end.data)
        except VoucherNotFound as error:
            field = self.voucher_start if error.code == self.voucher_start.data else self.voucher_end
            field.errors.append(f"No voucher has the code {error.code}. Check the code on the voucher.")
            return False
        except InvalidVoucherRange:
            self.voucher_end.errors.append(
                "The end voucher must have the same letters as the start voucher, and a number no lower."
            )
            return False
        return valid


def _check_code_format(code):
    try:
        split_code(code)
    except InvalidVoucherCode:
        raise ValidationError(f"{code} is not a voucher code: use letters followed by digits, such as RVNT00042.") from None


class VoidVouchersForm(VoucherRangeForm):
    """A range to void or expire. The two submit buttons share the name ``transition``."""

    transition = StringField(
        validators=[
            InputRequired(message="Choose whether to void or to expire the vouchers."),
            AnyOf(("void", "expire"), message="Choose whether to void or to expire the vouchers."),
        ]
    )


# No voucher was delivered before the scheme's records begin; earlier years are typing mistakes.
FIRST_DELIVERY_YEAR = 2000


class DeliveryForm(VoucherRangeForm):
    """A delivery: the centre, the range of printed vouchers sent to it, and the date they were sent."""

    centre = SelectField(
        "Centre", coerce=_optional_id, validators=[InputRequired(message="Choose the centre the vouchers go to.")]
    )
    date_sent = DateField(
        "Date sent",
        name="date-sent",
        format="%Y-%m-%d",
        default=clock.today,
        validators=[InputRequired(message="Enter the date the vouchers were sent.")],
    )

    def validate_date_sent(self, field):
        """Catch mistyped years: the date must fall between 2000 and a year from today."""
        latest = clock.today() + timedelta(days=366)
        if field.data is not None and not (FIRST_DELIVERY_YEAR <= field.data.year and field.data <= latest):
            raise ValidationError(
                f"Enter a date between 01/01/{FIRST_DELIVERY_YEAR} and {latest:%d/%m/%Y}; "
                f"{field.data.day:02d}/{field.data.month:02d}/{field.data.year:04d} looks mistyped."
            )


class VoucherSearchForm(FlaskForm):
    """The search box of the vouchers list, sent by GET."""

    class Meta:
        csrf = False

    voucher_code = StringField(
        "Search by voucher code",
        filters=[normalise_code],
        validators=[
            InputRequired(message="Enter a voucher code to search for."),
            Regexp(r"^[A-Z]+[0-9]+$", message="Voucher codes are letters followed by digits, such as RVNT00042."),
        ],
        render_kw={"placeholder": "For example RVNT00042", "autocomplete": "off", "spellcheck": "false"},
    )


class VoucherListForm(FlaskForm):
    """The sort order and page position of the vouchers list, from the query string."""

    class Meta:
        csrf = False

    sort = SelectField(choices=[SelectChoice("id", "Voucher ID"), SelectChoice("code", "Voucher code")], default="id", validators=[Optional()])
    direction = SelectField(choices=[SelectChoice("desc", "Descending"), SelectChoice("asc", "Ascending")], default="desc", validators=[Optional()])
    after = StringField(filters=[_strip], validators=[Optional(), Length(max=32)])
    before = StringField(filters=[_strip], validators=[Optional(), Length(max=32)])

    def validate_after(self, field):
        _check_cursor(self.sort.data, field.data)

    def validate_before(self, field):
        _check_cursor(self.sort.data, field.data)


def _check_cursor(sort, value):
    if sort == "id" and value and not (value.isascii() and value.isdigit() and len(value) <= 10):
        raise ValidationError("Invalid page position: go back to the first page.")


class DeliveryListForm(FlaskForm):
    """The sort order and page of the deliveries list, from the query string."""

    class Meta:
        csrf = False

    orderBy = SelectField(
        choices=[SelectChoice("dispatchDate", "Date sent"), SelectChoice("centre", "Centre"), SelectChoice("range", "Voucher range")],
        default="dispatchDate",
        validators=[Optional()],
    )
    direction = SelectField(choices=[SelectChoice("asc", "Ascending"), SelectChoice("desc", "Descending")], default="asc", validators=[Optional()])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1, max=1_000_000)])


class ConfirmForm(FlaskForm):
    """A form with only its CSRF token, for buttons that confirm one action (pay a request, reset data)."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        filters=[_strip],
        validators=[InputRequired(message="Enter your e-mail address."), Email(message="Enter a valid e-mail address.")],
    )


class ResetPasswordForm(FlaskForm):
    token = HiddenField(validators=[InputRequired(message="The reset link is incomplete: use the link in the e-mail.")])
    email = EmailField(
        "E-mail address",
        filters=[_strip],
        validators=[InputRequired(message="Enter your e-mail address."), Email(message="Enter a valid e-mail address.")],
    )
    password = PasswordField(
        "New password",
        validators=[
            InputRequired(message="Enter a new password."),
            Length(min=MIN_PASSWORD_LENGTH, message=f"The password must be at least {MIN_PASSWORD_LENGTH} characters."),
            EqualTo("password_confirmation", message="The password confirmation does not match."),
        ],
    )
    password_confirmation = PasswordField("Confirm new password")
