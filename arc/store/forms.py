"""Forms of the store portal: login, password reset, centre choice, registrations and leaving.

The registration forms work without JavaScript. Adding a child or a collector is a submit button
that sends the whole form back with one more row, and nothing is saved until "Save" is pressed. A
child or collector typed in the adder boxes but not added is saved with the rest. Every row has a
"Remove" box, applied on save, so an existing row is only removed when the worker asks.
"""

import unicodedata
from datetime import date

from dateutil.relativedelta import relativedelta
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from arc import clock
from arc.registrations.choices import ETHNICITIES, HSBS_CHOICES, LEAVING_REASONS, NRPF_CHOICES, stored_ethnicity
from arc.registrations.operations import (
    UNCHANGED,
    ChildDetails,
    CollectorDetails,
    RegistrationDetails,
    active_collectors,
    edit_version,
    main_carer,
)

MIN_PASSWORD_LENGTH = 8
NAME_MAX_LENGTH = 191
# How far ahead a due date may be: 9 months after the start of the current month.
MAX_MONTHS_AHEAD = 9
OLDEST_YEAR = 1900
MAX_AGE = 120
NAME_PUNCTUATION = frozenset(" -'’‘`.‐‑–—,()/&")


def _ascii_digits(text):
    """Return whether ``text`` is made of the digits 0-9 only; ``str.isdigit`` also accepts "²"."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def strip(value):
    return value.strip() if isinstance(value, str) else value


def _same_name(submitted, saved):
    """Return whether a submitted name is the saved one; the form trims the submitted name's ends."""
    return saved is not None and submitted == saved.strip()


class PersonName:
    """Check a person's name: letters of any alphabet, digits, spaces and the punctuation of names.

    "Zoë O'Neill-Ash" and "Carer 2 (Gran)" pass; a name needs at least one letter. Other symbols
    and control characters do not pass. With ``saved_attribute``, a name equal to the one the form
    holds in that attribute (the name as saved) only has to be free of control characters, so a
    family registered with an unusual name can still be saved.
    """

    def __init__(self, subject, saved_attribute=None):
        self.subject = subject
        self.saved_attribute = saved_attribute

    def __call__(self, form, field):
        value = field.data or ""
        if not value:
            return
        if len(value) > NAME_MAX_LENGTH:
            raise ValidationError(f"The {self.subject} can be at most {NAME_MAX_LENGTH} characters long.")
        has_control = any(unicodedata.category(character) == "Cc" for character in value)
        saved = getattr(form, self.saved_attribute, None) if self.saved_attribute else None
        if not has_control and _same_name(value, saved):
            return
        allowed = all(unicodedata.category(character)[0] in "LMN" or character in NAME_PUNCTUATION for character in value)
        has_letter = any(unicodedata.category(character)[0] == "L" for character in value)
        if not allowed or not has_letter:
            raise ValidationError(
                f"The {self.subject} can only contain letters, numbers, spaces, hyphens, apostrophes, full stops, "
                "commas, brackets, slashes and ampersands, and needs at least one letter."
            )


def parse_month(value):
    """Return the first day of the month in a ``YYYY-MM`` text, or None when it is not one."""
    if not isinstance(value, str) or len(value) != 7 or value[4] != "-":
        return None
    year, month = value[:4], value[5:]
    if not (_ascii_digits(year) and _ascii_digits(month)):
        return None
    if not 1 <= int(month) <= 12 or int(year) < OLDEST_YEAR:
        return None
    return date(int(year), int(month), 1)


def _choices(values):
    """Return select options: "Please select" (an empty value), then each stored value with its label."""
    return [SelectChoice("", "Please select")] + [SelectChoice(value, label) for value, label in values.items()]


def latest_due_month(today):
    return today.replace(day=1) + relativedelta(months=MAX_MONTHS_AHEAD)


# Login and passwords


class StoreLoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[InputRequired(message="The email field is required."), Email(message="Invalid email address.")],
    )
    password = PasswordField(
        "Password",
        validators=[
            InputRequired(message="The password field is required."),
            Length(min=6, message="The password must be at least 6 characters."),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[InputRequired(message="Enter your email address."), Email(message="Enter a valid email address.")],
    )


class ResetPasswordForm(FlaskForm):
    token = HiddenField(validators=[InputRequired(message="This password reset link is incomplete.")])
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[InputRequired(message="Enter your email address."), Email(message="Enter a valid email address.")],
    )
    password = PasswordField(
        "New password",
        validators=[
            InputRequired(message="Enter a new password."),
            Length(min=MIN_PASSWORD_LENGTH, message=f"The password must be at least {MIN_PASSWORD_LENGTH} characters."),
        ],
    )
    password_confirmation = PasswordField(
        "Confirm new password",
        validators=[InputRequired(message="Type the new password again."), EqualTo("password", message="The two passwords do not match.")],
    )


# Centre choice and leaving


class CentreChoiceForm(FlaskForm):
    centre = SelectField("Centre", validators=[InputRequired(message="Choose a centre.")], validate_choice=False)
    next = HiddenField()


class LeavingForm(FlaskForm):
    leaving_reason = SelectField(
        "Reason for leaving",
        choices=[SelectChoice("", "Select a reason...")] + [SelectChoice(reason, reason) for reason in LEAVING_REASONS],
        validators=[InputRequired(message="The leaving reason field is required.")],
        validate_choice=False,
    )

    def validate_leaving_reason(self, field):
        if field.data not in LEAVING_REASONS:
            raise ValidationError("The selected leaving reason is invalid.")


# Registrations


class CollectorRow(Form):
    id = HiddenField()
    name = StringField("Voucher collector's full name", filters=[strip])
    remove = BooleanField("Remove")

    # The collector's name as saved, set by the edit page for a row of an existing collector.
    saved_name = None

    def validate_name(self, field):
        if self.remove.data:
            return
        if not field.data:
            raise ValidationError("Enter the collector's name, or tick Remove.")
        PersonName("collector's name", "saved_name")(self, field)


class ChildRow(Form):
    id = HiddenField()
    dob = HiddenField()
    is_pri_carer = HiddenField()
    verified = BooleanField("ID checked")
    deferred = BooleanField("Defer school start")
    remove = BooleanField("Remove")

    def validate_dob(self, field):
        """Check the row's month as the adder boxes do: a real month from 1900, at most 9 months ahead."""
        if self.remove.data and self.id.data:
            return
        month = parse_month(field.data)
        if month is None:
            raise ValidationError("This child's month and year of birth are missing or invalid. Remove the row and add it again.")
        if month > latest_due_month(clock.today()):
            raise ValidationError(
                "This child's month of birth is more than 9 months away. Remove the row and add it again "
                "with the month the baby is due."
            )


def _optional_choice(value):
    return value or None


class RegistrationForm(FlaskForm):
    """The fields shared by the Standard and Social Prescribing registration forms."""

    # Filled in by the view: whether the area records ID checks and offers deferral.
    id_checking = False
    deferral = False

    pri_carer = StringField(
        "Main carer's full name",
        filters=[strip],
        validators=[
            InputRequired(message="Enter the main carer's full name."),
            PersonName("main carer's name", "saved_main_carer"),
        ],
    )
    pri_carer_ethnicity = SelectField(
        "Main carer's ethnic background (optional)",
        choices=_choices(ETHNICITIES),
        coerce=_optional_choice,
        validators=[Optional()],
    )
    pri_carer_language = StringField(
        "Carer's main language (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=NAME_MAX_LENGTH, message="The language can be at most 191 characters.")],
    )
    collectors = FieldList(FormField(CollectorRow))
    new_collector = StringField("Voucher collector's full name", filters=[strip], validators=[Optional()])
    add_collector = SubmitField("Add collector")
    children = FieldList(FormField(ChildRow))
    # The saved family's fingerprint when the edit page was opened, to catch a colleague's save since.
    version = HiddenField()
    # The main carer's name as saved, set by the edit page.
    saved_main_carer = None
    save = SubmitField("Save")

    def validate_new_collector(self, field):
        PersonName("collector's name")(self, field)

    # Adding rows without saving

    def pending_action(self):
        """Return the name of the add button pressed ("add_collector", "add_child", ...), or None for save."""
        for name in ("add_collector", "add_child", "add_member", "add_participant"):
            button = getattr(self, name, None)
            if button is not None and button.data:
                return name
        return None

    def add_pending_collector(self):
        """Move the collector typed in the adder into the list; return False with an error if it is invalid."""
        field = self.new_collector
        field.errors = []
        if not field.data:
            field.errors.append("Type the collector's full name first.")
            return False
        try:
            PersonName("collector's name")(self, field)
        except ValidationError as error:
            field.errors.append(str(error))
            return False
        self.collectors.append_entry({"id": "", "name": field.data, "remove": False})
        field.data = ""
        field.raw_data = [""]
        return True

    def apply_pending_action(self, action, today):
        """Carry out the add button ``action`` (from ``pending_action``); return whether a row was added."""
        if action == "add_collector":
            return self.add_pending_collector()
        return self.add_pending_rows(action, today)

    def add_pending_rows(self, action, today):
        """Add the child or member row typed in the adders for ``action``; the programme forms define this."""
        raise NotImplementedError

    def take_typed_rows(self, today):
        """Add rows typed in the adders but not added, before a save; return False when one is invalid."""
        raise NotImplementedError

    # Conversion to domain values

    def collector_details(self):
        rows = [
            CollectorDetails(name=row.form.name.data or "", id=_int_or_none(row.form.id.data), remove=bool(row.form.remove.data))
            for row in self.collectors
        ]
        if self.new_collector.data:
            rows.append(CollectorDetails(name=self.new_collector.data))
        return tuple(rows)

    def child_details(self):
        rows = []
        for row in self.children:
            child = row.form
            rows.append(
                ChildDetails(
                    dob=parse_month(child.dob.data),
                    id=_int_or_none(child.id.data),
                    verified=bool(child.verified.data) if self.id_checking else UNCHANGED,
                    deferred=bool(child.deferred.data) if self.deferral else UNCHANGED,
                    is_pri_carer=_flag_or_none(child.is_pri_carer.data),
                    remove=bool(child.remove.data),
                )
            )
        return tuple(rows)

    def details(self):
        return RegistrationDetails(
            main_carer=self.pri_carer.data,
            ethnicity=self.pri_carer_ethnicity.data,
            language=self.pri_carer_language.data or None,
            collectors=self.collector_details(),
            children=self.child_details(),
        )

    def load(self, family, registration):
        """Fill the form from a saved registration (for the edit page)."""
        self.version.data = edit_version(registration)
        carer = main_carer(family)
        self.pri_carer.data = carer.name if carer else ""
        self.pri_carer_ethnicity.data = stored_ethnicity(carer.ethnicity) if carer else ""
        self.pri_carer_language.data = carer.language if carer else ""
        for collector in active_collectors(family):
            self.collectors.append_entry({"id": str(collector.id), "name": collector.name, "remove": False})
        for child in family.children:
            self.children.append_entry(
                {
                    "id": str(child.id),
                    "dob": child.dob.strftime("%Y-%m"),
                    "is_pri_carer": "" if child.is_pri_carer is None else str(int(child.is_pri_carer)),
                    "verified": bool(child.verified),
                    "deferred": bool(child.deferred),
                    "remove": False,
                }
            )


def _int_or_none(value):
    return int(value) if isinstance(value, str) and _ascii_digits(value) and len(value) <= 10 else None


def _flag_or_none(value):
    if value in ("1", "true", "True"):
        return True
    if value in ("0", "false", "False"):
        return False
    return UNCHANGED


class StandardRegistrationForm(RegistrationForm):
    """A family: children and pregnancies by month and year of birth, and the eligibility questions."""

    dob_month = StringField("Month", filters=[strip])
    dob_year = StringField("Year", filters=[strip])
    dob_verified = BooleanField("ID checked")
    add_child = SubmitField("Add child or pregnancy")
    eligibility_hsbs = SelectField(
        "Are you receiving Healthy Start or Best Start?",
        choices=_choices(HSBS_CHOICES),
        default="",
        validators=[InputRequired(message="Please choose an option")],
        validate_choice=False,
    )
    eligibility_nrpf = SelectField(
        "No recourse to public funds (NRPF) family?",
        choices=_choices(NRPF_CHOICES),
        default="",
        validators=[InputRequired(message="Please choose an option")],
        validate_choice=False,
    )

    def validate_eligibility_hsbs(self, field):
        if field.data not in HSBS_CHOICES:
            raise ValidationError("Please choose an option")

    def validate_eligibility_nrpf(self, field):
        if field.data not in NRPF_CHOICES:
            raise ValidationError("Please choose an option")

    def pending_birth_month(self, today):
        """Return the month typed in the child adder, or None; add errors to the boxes when it is invalid."""
        month_text, year_text = self.dob_month.data or "", self.dob_year.data or ""
        if not month_text and not year_text:
            return None
        if not _ascii_digits(month_text) or not 1 <= int(month_text) <= 12:
            self.dob_month.errors = list(self.dob_month.errors) + ["Enter the month as a number from 1 to 12."]
            return None
        if not _ascii_digits(year_text) or len(year_text) != 4 or int(year_text) < OLDEST_YEAR:
            self.dob_year.errors = list(self.dob_year.errors) + ["Enter the year as 4 digits, such as 2023."]
            return None
        month = date(int(year_text), int(month_text), 1)
        if month > latest_due_month(today):
            self.dob_year.errors = list(self.dob_year.errors) + [
                "That date is more than 9 months away. For a pregnancy, enter the month the baby is due."
            ]
            return None
        return month

    def add_pending_child(self, today):
        """Move the month typed in the adder into the children list; return False if there is nothing valid."""
        month = self.pending_birth_month(today)
        if month is None:
            if not self.dob_month.errors and not self.dob_year.errors:
                self.dob_month.errors = ["Enter the month and year of birth, or the month the baby is due."]
            return False
        self.children.append_entry(
            {"id": "", "dob": month.strftime("%Y-%m"), "is_pri_carer": "", "verified": bool(self.dob_verified.data), "deferred": False}
        )
        for box in (self.dob_month, self.dob_year):
            box.data = ""
            box.raw_data = [""]
        self.dob_verified.data = False
        return True

    def add_pending_rows(self, action, today):
        return self.add_pending_child(today)

    def take_typed_rows(self, today):
        if not (self.dob_month.data or self.dob_year.data):
            return True
        return self.add_pending_child(today)

    def details(self):
        details = super().details()
        return RegistrationDetails(
            main_carer=details.main_carer,
            ethnicity=details.ethnicity,
            language=details.language,
            collectors=details.collectors,
            children=details.children,
            eligibility_hsbs=self.eligibility_hsbs.data,
            eligibility_nrpf=self.eligibility_nrpf.data,
        )

    def load(self, family, registration):
        super().load(family, registration)
        self.eligibility_hsbs.data = registration.eligibility_hsbs if registration.eligibility_hsbs in HSBS_CHOICES else ""
        self.eligibility_nrpf.data = registration.eligibility_nrpf if registration.eligibility_nrpf in NRPF_CHOICES else ""


class NewStandardRegistrationForm(StandardRegistrationForm):
    consent = BooleanField(
        "Has the registration form been completed and signed?",
        validators=[InputRequired(message="Registration form must be signed in order to complete registration")],
    )
    save = SubmitField("Save family")


class EditStandardRegistrationForm(StandardRegistrationForm):
    save = SubmitField("Save changes")


class SocialPrescribingForm(RegistrationForm):
    """A household: the main participant and other members, by age in years."""

    pri_carer = StringField(
        "Main participant's full name",
        filters=[strip],
        validators=[
            InputRequired(message="Enter the main participant's full name."),
            PersonName("main participant's name", "saved_main_carer"),
        ],
    )
    pri_carer_ethnicity = SelectField(
        "Main participant's ethnic background (optional)",
        choices=_choices(ETHNICITIES),
        coerce=_optional_choice,
        validators=[Optional()],
    )
    pri_carer_language = StringField(
        "Main participant's preferred language (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=NAME_MAX_LENGTH, message="The language can be at most 191 characters.")],
    )
    participant_age = StringField("Main participant's age in years", filters=[strip])
    add_participant = SubmitField("Set main participant's age")
    member_age = StringField("Household member's age in years", filters=[strip])
    add_member = SubmitField("Add household member")

    def validate_children(self, field):
        """Reject a household row dated after the current month: household members are already born."""
        this_month = clock.today().replace(day=1)
        for row in field:
            month = parse_month(row.form.dob.data)
            if month is not None and month > this_month and not (row.form.remove.data and row.form.id.data):
                row.form.dob.errors = list(row.form.dob.errors) + [
                    "This person's age is missing or invalid. Remove the row and add it again with their age."
                ]
                raise ValidationError("Every household member's age must be a whole number of years.")

    def _age_month(self, field, today):
        text = field.data or ""
        if not text:
            return None
        if not _ascii_digits(text) or len(text) > 3 or not 1 <= int(text) <= MAX_AGE:
            field.errors = list(field.errors) + [f"Enter the age as a whole number of years from 1 to {MAX_AGE}."]
            return None
        return date(today.year - int(text), today.month, 1)

    def _clear(self, field):
        field.data = ""
        field.raw_data = [""]

    def add_pending_participant(self, today):
        """Set the main participant's age row from the adder, replacing an earlier one; False if invalid."""
        month = self._age_month(self.participant_age, today)
        if month is None:
            if not self.participant_age.errors:
                self.participant_age.errors = ["Enter the main participant's age first."]
            return False
        for row in self.children:
            if _flag_or_none(row.form.is_pri_carer.data) is True:
                row.form.remove.data = True
        self.children.append_entry({"id": "", "dob": month.strftime("%Y-%m"), "is_pri_carer": "1"})
        self._clear(self.participant_age)
        return True

    def add_pending_member(self, today):
        month = self._age_month(self.member_age, today)
        if month is None:
            if not self.member_age.errors:
                self.member_age.errors = ["Enter the household member's age first."]
            return False
        self.children.append_entry({"id": "", "dob": month.strftime("%Y-%m"), "is_pri_carer": "0"})
        self._clear(self.member_age)
        return True

    def add_pending_rows(self, action, today):
        if action == "add_participant":
            return self.add_pending_participant(today)
        return self.add_pending_member(today)

    def take_typed_rows(self, today):
        added = True
        if self.participant_age.data:
            added = self.add_pending_participant(today) and added
        if self.member_age.data:
            added = self.add_pending_member(today) and added
        return added


class NewSocialPrescribingForm(SocialPrescribingForm):
    consent = BooleanField(
        "Has the registration form been completed and signed?",
        validators=[InputRequired(message="Registration form must be signed in order to complete registration")],
    )
    save = SubmitField("Save household")


class EditSocialPrescribingForm(SocialPrescribingForm):
    save = SubmitField("Save changes")
