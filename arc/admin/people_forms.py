"""Forms of the admin pages for workers, centres, areas, markets and traders.

Every string input is trimmed. Select fields carry ids as choices, so an unknown id is a field
error. The domain functions check existence and uniqueness again before writing.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from arc.centres.models import PRINT_PREFERENCES
from arc.entitlement.rules import PURPOSES
from arc.markets.operations import PAYMENT_MESSAGE_MAX, TRADER_NAME_MAX, USER_NAME_MAX, AppUserEntry
from arc.sponsors.models import PROGRAMMES
from arc.sponsors.operations import RULE_NAMES, STORED_ENTITIES, RuleOverride, check_override
from arc.users.workers import DIRECTIONS, ORDER_KEYS

NAME_MAX = 191
PER_PAGE_CHOICES = (10, 25, 50, 100)
DEFAULT_PAYMENT_MESSAGE = (
    "Please post your vouchers to the project office, labelled with your stall name and the date."
)
# Enough blank rows to add a few users or rules at once. Saving adds more.
BLANK_ROWS = 3
MAX_ROWS = 100


def strip(value):
    return value.strip() if isinstance(value, str) else value


def upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def optional_int(value):
    """Coerce a submitted id: empty becomes None, and anything but an integer raises ValueError."""
    if value is None or value == "":
        return None
    return int(value)


def yes_no(value):
    """Coerce a yes/no input. 1, true, yes and on mean yes. 0, false, no, off and empty mean no."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(value)


def has_letter(form, field):
    """Reject text without any letter, such as a bare number, and text with control characters."""
    if field.data and not any(character.isalpha() for character in field.data):
        raise ValidationError("Enter text that contains letters, not just numbers or symbols.")
    if field.data and any(ord(character) < 32 or ord(character) == 127 for character in field.data):
        raise ValidationError("Remove the invisible control characters from this text.")


def name_field(label, max_length=NAME_MAX):
    return StringField(
        label,
        filters=[strip],
        # DataRequired, not InputRequired: a name of spaces only is empty once stripped.
        validators=[DataRequired(f"Enter the {label.lower()}."), Length(max=max_length), has_letter],
    )


def email_field(label="Email Address"):
    return EmailField(
        label,
        filters=[strip],
        validators=[
            InputRequired("Enter the e-mail address."),
            Email("Enter a valid e-mail address."),
            Length(max=NAME_MAX),
        ],
    )


def id_select(label, missing, unknown="Choose one of the options in the list."):
    return SelectField(
        label,
        coerce=optional_int,
        validators=[InputRequired(missing)],
        invalid_value_message=unknown,
        invalid_choice_message=unknown,
    )


def grouped_choices(groups):
    """Return select choices for [(group name, records)], with a leading "Choose one" option.

    Each record becomes an option with its id as the value and its name as the label.
    """
    choices = [SelectChoice("", "Choose one")]
    for group, records in groups:
        choices += [SelectChoice(str(record.id), record.name, optgroup=group) for record in records]
    return choices


class YesNoField(BooleanField):
    """A checkbox that also accepts 1/0, true/false, yes/no and on/off, and rejects anything else."""

    false_values = ()

    def _value(self):
        return "1"

    def process_formdata(self, valuelist):
        try:
            self.data = yes_no(valuelist[0]) if valuelist else False
        except ValueError:
            self.data = False
            raise ValueError("Tick the box or leave it empty.") from None


class CentreCheckboxes(SelectMultipleField):
    """Alternative centres, shown as grouped checkboxes, with a readable error for unknown ids."""

    def __init__(self, label=None, **kwargs):
        super().__init__(
            label,
            coerce=int,
            invalid_value_message="Choose alternative centres from the list.",
            invalid_choice_message="Choose alternative centres from the list.",
            **kwargs,
        )


class WorkerForm(FlaskForm):
    name = name_field("Name")
    email = email_field()
    worker_centre = id_select("Home Centre", "Choose the worker's home centre.")
    alternative_centres = CentreCheckboxes("Alternative centres")

    def validate_alternative_centres(self, field):
        if self.worker_centre.data is not None and self.worker_centre.data in (field.data or []):
            raise ValidationError("The home centre cannot also be an alternative centre. Untick it.")
        if len(set(field.data or [])) != len(field.data or []):
            raise ValidationError("Each alternative centre may be chosen only once.")

    def set_centre_choices(self, groups):
        """Offer the centres of ``[(area, centres)]`` grouped by area name.

        Only the home centre select starts with "Choose one".
        """
        choices = grouped_choices([(area.name, centres) for area, centres in groups])
        self.worker_centre.choices = choices
        self.alternative_centres.choices = choices[1:]


class WorkerEditForm(WorkerForm):
    downloader = SelectField(
        "Downloader Status",
        coerce=yes_no,
        choices=[SelectChoice("1", "Yes"), SelectChoice("0", "No")],
        validators=[InputRequired("Choose whether the worker may download reports.")],
        invalid_value_message="Choose Yes or No.",
        invalid_choice_message="Choose Yes or No.",
    )


class WorkerListArgs(Form):
    """Query string of the workers list. Any invalid value sends the user back to the plain list."""

    orderBy = SelectField(choices=[SelectChoice(key) for key in ORDER_KEYS], default="default")
    direction = SelectField(choices=[SelectChoice(key) for key in DIRECTIONS], default="asc")
    search = StringField(filters=[strip], validators=[Length(max=NAME_MAX)])
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])
    per_page = SelectField(
        coerce=int, default=25, choices=[SelectChoice(str(number)) for number in PER_PAGE_CHOICES]
    )


class ListPageArgs(Form):
    page = IntegerField(default=1, validators=[Optional(), NumberRange(min=1)])
    search = StringField(filters=[strip], validators=[Length(max=NAME_MAX)])


class CentreForm(FlaskForm):
    name = name_field("Name")
    rvid_prefix = StringField(
        "RVID prefix",
        filters=[upper],
        validators=[
            InputRequired("Enter the RVID prefix."),
            Length(min=1, max=5, message="The RVID prefix must be 1 to 5 letters."),
        ],
    )
    sponsor = id_select("Area", "Choose the area of the centre.")
    print_pref = SelectField(
        "Printed Form",
        choices=[SelectChoice(value, value.capitalize()) for value in PRINT_PREFERENCES],
        default="collection",
        validators=[InputRequired("Choose the printed form.")],
        invalid_choice_message="Choose Collection or Individual.",
    )

    def validate_rvid_prefix(self, field):
        if not field.data.isalpha() or not field.data.isascii():
            raise ValidationError("The RVID prefix must be 1 to 5 letters, A to Z.")


class CentreEditForm(FlaskForm):
    name = name_field("Name")
    print_pref = CentreForm.print_pref


class SponsorForm(FlaskForm):
    name = name_field("Name")
    voucher_prefix = StringField(
        "Voucher Prefix",
        filters=[upper],
        validators=[
            InputRequired("Enter the voucher prefix."),
            Length(max=24, message="The voucher prefix must be at most 24 letters."),
        ],
    )
    programme = SelectField(
        "Programme",
        coerce=optional_int,
        default=0,
        choices=[SelectChoice(str(number), label) for number, label in PROGRAMMES.items()],
        validators=[InputRequired("Choose the programme.")],
        invalid_value_message="Choose Standard or Social Prescribing.",
        invalid_choice_message="Choose Standard or Social Prescribing.",
    )
    can_tap = YesNoField("Traders may use the app's tap page")

    def validate_voucher_prefix(self, field):
        if not field.data.isalpha() or not field.data.isascii():
            raise ValidationError("The voucher prefix must be letters A to Z only, with no digits or spaces.")


class SponsorEditForm(FlaskForm):
    name = name_field("Name")
    programme = SponsorForm.programme
    can_tap = SponsorForm.can_tap


class HouseholdValuesForm(FlaskForm):
    householdExistsValue = IntegerField(
        "Household exists",
        validators=[InputRequired("Enter a whole number."), NumberRange(min=0, message="Enter 0 or more.")],
    )
    householdMemberValue = IntegerField(
        "Household member",
        validators=[InputRequired("Enter a whole number."), NumberRange(min=0, message="Enter 0 or more.")],
    )


class OverrideRowForm(Form):
    """One rule override row. A row with no rule chosen, or with Remove ticked, is dropped on saving."""

    name = SelectField("Rule", validate_choice=False)
    entity = SelectField(
        "Applies to", choices=[SelectChoice(stored, entity) for entity, stored in STORED_ENTITIES.items()]
    )
    purpose = SelectField("Purpose", choices=[SelectChoice(value) for value in PURPOSES])
    # Far beyond any weekly voucher count, so only typing slips are rejected.
    value = IntegerField(
        "Value", validators=[Optional(), NumberRange(min=-1000, max=1000, message="Enter a number from -1000 to 1000.")]
    )
    remove = BooleanField("Remove")

    def is_dropped(self):
        return self.remove.data or not self.name.data

    def validate(self, extra_validators=None):
        if self.is_dropped():
            return True
        valid = super().validate(extra_validators)
        problem = check_override(RuleOverride(self.name.data, self.entity.data, self.purpose.data, self.value.data))
        if problem:
            self.name.errors = [*self.name.errors, problem]
            valid = False
        return valid


class OverridesForm(FlaskForm):
    overrides = FieldList(FormField(OverrideRowForm), max_entries=MAX_ROWS)

    def set_rule_choices(self):
        for row in self.overrides:
            names = list(RULE_NAMES)
            if row.form.name.data and row.form.name.data not in names:
                names.append(row.form.name.data)
            row.form.name.choices = [SelectChoice("", "Choose a rule")] + [SelectChoice(name) for name in names]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        seen = set()
        for row in self.kept_rows():
            key = (row.name.data, row.purpose.data)
            if key in seen:
                row.name.errors = [*row.name.errors, f"{row.name.data} ({row.purpose.data}) is listed twice."]
                valid = False
            seen.add(key)
        return valid

    def kept_rows(self):
        return [row.form for row in self.overrides if not row.form.is_dropped()]

    def add_blank_rows(self):
        blank = sum(1 for row in self.overrides if not row.form.name.data)
        for _ in range(max(0, min(BLANK_ROWS - blank, MAX_ROWS - len(self.overrides)))):
            self.overrides.append_entry()
        self.set_rule_choices()

    def rule_overrides(self):
        return [
            RuleOverride(row.name.data, row.entity.data, row.purpose.data, row.value.data)
            for row in self.kept_rows()
        ]


class MarketForm(FlaskForm):
    sponsor = id_select("Area", "Choose the area of the market.")
    name = name_field("Name")
    payment_message = TextAreaField(
        "Voucher return message",
        filters=[strip],
        default=DEFAULT_PAYMENT_MESSAGE,
        validators=[
            InputRequired("Enter the message traders see about returning vouchers."),
            Length(max=PAYMENT_MESSAGE_MAX, message=f"Keep the message to {PAYMENT_MESSAGE_MAX} characters or fewer."),
            has_letter,
        ],
    )


class AppUserForm(Form):
    """One trader-app user row. An empty row, or one with Remove ticked, is dropped on saving."""

    name = StringField("User Name", filters=[strip], validators=[Optional(), Length(max=USER_NAME_MAX), has_letter])
    email = EmailField(
        "User Email",
        filters=[strip],
        validators=[Optional(), Email("Enter a valid e-mail address."), Length(max=NAME_MAX)],
    )
    remove = BooleanField("Remove")

    def is_dropped(self):
        return self.remove.data or not (self.name.data or self.email.data)

    def validate(self, extra_validators=None):
        if self.is_dropped():
            return True
        valid = super().validate(extra_validators)
        if not self.name.data:
            self.name.errors = [*self.name.errors, "Enter the user's name."]
            valid = False
        if not self.email.data:
            self.email.errors = [*self.email.errors, "Enter the user's e-mail address."]
            valid = False
        return valid


class TraderForm(FlaskForm):
    market = id_select("Market", "Choose the market of the trader.")
    name = name_field("Trader Stall Name", max_length=TRADER_NAME_MAX)
    users = FieldList(FormField(AppUserForm), max_entries=MAX_ROWS)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        seen = set()
        for row in self.kept_users():
            email = (row.email.data or "").lower()
            if email in seen:
                row.email.errors = [*row.email.errors, f"{row.email.data} is listed twice."]
                valid = False
            seen.add(email)
        return valid

    def kept_users(self):
        return [row.form for row in self.users if not row.form.is_dropped()]

    def app_users(self):
        return [AppUserEntry(row.name.data, row.email.data) for row in self.kept_users()]

    def add_blank_rows(self):
        blank = sum(1 for row in self.users if not (row.form.name.data or row.form.email.data))
        for _ in range(max(0, min(BLANK_ROWS - blank, MAX_ROWS - len(self.users)))):
            self.users.append_entry()


class TraderEditForm(TraderForm):
    disabled = YesNoField("Disabled")
