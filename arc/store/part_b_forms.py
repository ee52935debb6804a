"""Forms of the store portal's voucher manager, exports and Master Voucher Log downloads.

Voucher code fields pass through ``normalise_code``: all whitespace is removed and letters are
upper-cased, so "rvz0 0998" and "RVZ00998" are the same code. The field names (``start``, ``end``,
``collected_by``, ``collected_on``, ``collected_at``, ``vouchers``, ``programme``, ``logFile``) are
those of the previous portal, so its bookmarks and any scripts keep working.
"""

from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Optional, StopValidation, ValidationError

from arc import clock
from arc.sponsors.models import PROGRAMMES
from arc.vouchers.codes import InvalidVoucherCode, normalise_code, split_code
from arc.vouchers.queries import find_by_code



def _code(value):
    return normalise_code(value) or None


class AddVouchersForm(FlaskForm):
    """One voucher code (``start``), or a range from ``start`` to ``end``, to put into a bundle."""

    start = StringField("First voucher", filters=[_code])
    end = StringField("Last voucher", filters=[_code])

    def validate_start(self, field):
        if not field.data:
            raise StopValidation("The start field is required.")
        if find_by_code(field.data) is None:
            raise StopValidation(f"The selected start is invalid. No voucher has the code {field.data}.")

    def validate_end(self, field):
        if not field.data:
            return
        messages = []
        if find_by_code(field.data) is None:
            messages.append(f"The selected end is invalid. No voucher has the code {field.data}.")
        messages += _range_problems(self.start.data, field.data)
        if messages:
            field.errors[:] = messages
            raise StopValidation()


def _range_problems(start, end):
    """Return why ``start`` to ``end`` is not a range of one area's codes, as form messages."""
    try:
        first, last = split_code(start or ""), split_code(end)
    except InvalidVoucherCode:
        return []
    if first.shortcode != last.shortcode:
        return ["The end field must be the same sponsor as the start field."]
    if last.number < first.number:
        return ["The end field must be greater than the start field."]
    return []


class CodeListField(Field):
    """Every value submitted under the field's name, as normalised voucher codes.

    ``data`` is None when the name was not submitted at all, and ``[]`` when only empty values were.
    """

    def process_formdata(self, valuelist):
        self.data = [code for code in (normalise_code(value) for value in valuelist) if code] if valuelist else None

    def _value(self):
        return ""


# A pick-up may be recorded up to six weeks before or after the day it is entered.
COLLECTION_WINDOW_DAYS = 42


def _choice_id(value):
    """Turn a submitted choice into an id; anything that is not a plain number is no choice."""
    if isinstance(value, int):
        return value
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else None


class CollectVouchersForm(FlaskForm):
    """The pick-up of the current bundle (carer, day and centre), or the full list of its codes.

    ``collected_by`` choices are the family's current carers and ``collected_at`` choices the
    worker's own centres: the view sets both before validating.
    """

    vouchers = CodeListField()
    collected_by = SelectField(
        "Collected by:", coerce=_choice_id, validators=[Optional()], validate_choice=False
    )
    collected_on = DateField("Collected on:", format="%Y-%m-%d", validators=[Optional()])
    collected_at = SelectField(
        "Collected at:", coerce=_choice_id, validators=[Optional()], validate_choice=False
    )
    # Id of the bundle the page showed, so that a second pick-up of it is reported as collected already.
    bundle = IntegerField(validators=[Optional()])

    COLLECTION_FIELDS = ("collected_by", "collected_on", "collected_at")

    @property
    def wants_collection(self):
        return any(self[name].raw_data and self[name].raw_data[0] not in ("", None) for name in self.COLLECTION_FIELDS)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.wants_collection:
            return valid
        for name in self.COLLECTION_FIELDS:
            field = self[name]
            if field.data is None and not field.errors:
                others = " / ".join(other.replace("_", " ") for other in self.COLLECTION_FIELDS if other != name)
                field.errors.append(f"The {name.replace('_', ' ')} field is required when {others} is present.")
                valid = False
        return valid

    def validate_collected_on(self, field):
        """Keep the date within six weeks of today either way, as the page asks."""
        if field.data is None:
            return
        today = clock.today()
        if abs((field.data - today).days) > COLLECTION_WINDOW_DAYS:
            raise ValidationError(
                f"Choose a date within six weeks of today ({today:%d/%m/%Y}); {field.data:%d/%m/%Y} is outside that."
            )

    def validate_collected_by(self, field):
        if field.data is not None and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose who collected the vouchers from the carers of this family.")

    def validate_collected_at(self, field):
        if field.data is not None and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Vouchers can only be handed out at one of your own centres.")


class ProgrammeForm(FlaskForm):
    """The ``programme`` query parameter of the registrations export: 0 Standard, 1 Social Prescribing."""

    class Meta:
        csrf = False

    programme = IntegerField(
        default=0,
        validators=[Optional(), AnyOf(list(PROGRAMMES), message="Unknown programme: use 0 (Standard) or 1 (Social Prescribing).")],
    )


class LogFileForm(FlaskForm):
    """The ``logFile`` query parameter naming a Master Voucher Log archive to download."""

    class Meta:
        csrf = False

    log_file = StringField(name="logFile", validators=[InputRequired(message="Choose a voucher log to download.")])
