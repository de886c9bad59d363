"""Forms of the cohort workspace: cohort, lifecycle, clone, roster, import, curriculum."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from somet.cohorts.roster_files import MAX_BYTES
from somet.core.follow_up_months import DEFAULT as DEFAULT_FOLLOW_UP
from somet.core.follow_up_months import BadMonths, format_follow_up_months, parse_follow_up_months
from somet.core.limits import DOCTOR_TEXT_LIMITS
from somet.models import CohortStatus, SpecialtyMode
from somet.web.fields import (
    CheckboxesField,
    PlainNumberInput,
    PlainSelect,
    PlainSubmitInput,
    PlainTextInput,
)
from somet.web.labels import specialty_choices

MAX_PREFERENCE = 100


def _after(start_field: str, message):
    """Cross-field rule: this date is on or after ``start_field``'s date."""

    def check(form, field):
        start = getattr(form, start_field).data
        if start and field.data and field.data < start:
            raise ValidationError(message)

    return check


def _follow_up_months(form, field):
    """Comma-separated whole months from 1 to 60 ("3,6,12"). The messages quote the input:
    plain (not lazy) strings, so the page escapes them."""
    try:
        parse_follow_up_months(field.data)
    except BadMonths as bad:
        if bad.code == "empty":
            raise ValidationError(_l("Give at least one month, e.g. 3,6,12.")) from None
        if bad.code == "not_whole":
            raise ValidationError(
                _(
                    "“%(part)s” is not a whole number of months: write whole months separated "
                    "by commas, e.g. 3,6,12.",
                    part=bad.part,
                )
            ) from None
        raise ValidationError(
            _("%(part)s months is out of range: each must be from 1 to 60.", part=bad.part)
        ) from None


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    origin_country = StringField(
        _l("Origin country"), default="Kazakhstan", validators=[DataRequired(), Length(max=100)]
    )
    origin_region = StringField(_l("Origin region"), validators=[Optional(), Length(max=100)])
    sponsor = StringField(_l("Sponsor"), validators=[Optional(), Length(max=200)])
    hosts = CheckboxesField(_l("Host hospitals"), choices=[], validators=[Optional()])
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(
        _l("End date"),
        validators=[
            InputRequired(),
            _after("start_date", _l("The end must not be before the start.")),
        ],
    )
    hours_per_day = FloatField(
        _l("Hours per day (for credit)"),
        default=6.0,
        validators=[InputRequired(), NumberRange(0.5, 24)],
    )
    attendance_percent = IntegerField(
        _l("Attendance needed to complete (%)"),
        default=80,
        validators=[InputRequired(), NumberRange(1, 100)],
    )
    auto_issue_certificates = BooleanField(_l("Issue certificates automatically on completion"))
    follow_up_months = StringField(
        _l("Follow-up surveys, months after the end (e.g. 3,6,12)"),
        default=DEFAULT_FOLLOW_UP,
        validators=[_follow_up_months],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "origin_country": self.origin_country.data.strip(),
            "origin_region": (self.origin_region.data or "").strip() or None,
            "sponsor": (self.sponsor.data or "").strip() or None,
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "hours_per_day": self.hours_per_day.data,
            "attendance_threshold": self.attendance_percent.data / 100,
            "auto_issue_certificates": self.auto_issue_certificates.data,
            "follow_up_months": format_follow_up_months(
                parse_follow_up_months(self.follow_up_months.data)
            ),
            "notes": self.notes.data or None,
        }

    def host_ids(self) -> list[int]:
        return [int(value) for value in self.hosts.data or []]


class StatusForm(FlaskForm):
    target = SelectField(
        _l("New status"),
        choices=[SelectChoice(s.value, s.value) for s in CohortStatus],
        widget=PlainSelect(),
    )
    reason = StringField(
        _l("Reason"), validators=[Optional(), Length(max=300)], widget=PlainTextInput()
    )


class CloneForm(FlaskForm):
    name = StringField(_l("Name of the new cohort"), validators=[DataRequired(), Length(max=200)])
    start_date = DateField(_l("Its start date"), validators=[InputRequired()])


def _doctor_text(label, key: str, *validators) -> StringField:
    """A text about the doctor, bounded like its column and the roster import."""
    return StringField(label, validators=[*validators, Length(max=DOCTOR_TEXT_LIMITS[key])])


class EnrollmentForm(FlaskForm):
    first_name = _doctor_text(_l("First name (Latin)"), "first_name", DataRequired())
    last_name = _doctor_text(_l("Last name (Latin)"), "last_name", DataRequired())
    native_name = _doctor_text(_l("Name in native script"), "native_name", Optional())
    specialty = SelectField(_l("Specialty"), choices=lambda: specialty_choices(blank=True))
    email = EmailField(
        _l("E-mail"),
        validators=[Optional(), Email(), Length(max=DOCTOR_TEXT_LIMITS["email"])],
    )
    phone = _doctor_text(_l("Phone"), "phone", Optional())
    home_institution = _doctor_text(_l("Home institution"), "home_institution", Optional())
    country = _doctor_text(_l("Country"), "country", Optional())
    region = _doctor_text(_l("Region"), "region", Optional())
    licence_number = _doctor_text(_l("Licence number"), "licence_number", Optional())
    passport_number = _doctor_text(_l("Passport number"), "passport_number", Optional())
    arrival_date = DateField(_l("Arrival"), validators=[Optional()])
    departure_date = DateField(
        _l("Departure"),
        validators=[
            Optional(),
            _after("arrival_date", _l("Departure must not be before arrival.")),
        ],
    )

    DOCTOR_KEYS = (
        "first_name",
        "last_name",
        "native_name",
        "specialty",
        "email",
        "phone",
        "home_institution",
        "country",
        "region",
        "licence_number",
        "passport_number",
    )

    def doctor_values(self) -> dict:
        return {key: (getattr(self, key).data or "").strip() or None for key in self.DOCTOR_KEYS}


class WithdrawForm(FlaskForm):
    reason = StringField(
        _l("Why is the doctor withdrawn?"), validators=[DataRequired(), Length(max=300)]
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("Roster file (CSV or XLSX)"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
            FileSize(MAX_BYTES, message=_l("The file is larger than 10 MB.")),
        ],
    )


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(min=32, max=32)])


class InviteToPortalForm(FlaskForm):
    """The roster's bulk action: invite the ticked doctors, or all without a login."""

    enrollment_ids = SelectMultipleField(coerce=int, choices=[], validate_choice=False)
    invite_selected = SubmitField(
        _l("Invite the selected doctors to the portal"), widget=PlainSubmitInput()
    )
    invite_all = SubmitField(_l("Invite all doctors without a login"), widget=PlainSubmitInput())


class PortalInvitationForm(FlaskForm):
    """Re-send or revoke one doctor's invitation (a button: only the CSRF token)."""


MODE_CHOICES = [
    SelectChoice(SpecialtyMode.OWN.value, _l("The doctor's own specialty")),
    SelectChoice(SpecialtyMode.NAMED.value, _l("A named specialty")),
    SelectChoice(SpecialtyMode.DEPARTMENTS.value, _l("Named departments")),
]


class CurriculumItemForm(FlaskForm):
    """A rotation; ``curriculum_item_form_class`` adds a preference field per host department."""

    name = StringField(
        _l("Rotation"), validators=[DataRequired(), Length(max=200)], widget=PlainTextInput()
    )
    specialty_mode = SelectField(_l("Where"), choices=MODE_CHOICES, widget=PlainSelect())
    specialty = SelectField(
        _l("Specialty"), choices=lambda: specialty_choices(blank=True), widget=PlainSelect()
    )
    days = IntegerField(
        _l("Days"), validators=[InputRequired(), NumberRange(1, 60)], widget=PlainNumberInput()
    )
    required = BooleanField(_l("Required"), default=True)
    weight = IntegerField(
        _l("Weight"),
        default=0,
        validators=[InputRequired(), NumberRange(0, 100)],
        widget=PlainNumberInput(),
    )

    def validate_specialty(self, field):
        if self.specialty_mode.data == SpecialtyMode.NAMED.value and not field.data:
            raise ValidationError(_l("Choose the specialty."))

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "specialty_mode": SpecialtyMode(self.specialty_mode.data),
            "specialty": self.specialty.data or None,
            "days": self.days.data,
            "required": self.required.data,
            "weight": self.weight.data,
        }

    def department_fields(self) -> list:
        """The preference boxes, one per host department, in the departments' order."""
        return [field for name, field in self._fields.items() if name.startswith("dept_")]

    def options(self) -> dict[int, int]:
        """Department id -> preference points for the fields that were filled in."""
        return {
            int(name.removeprefix("dept_")): field.data
            for name, field in self._fields.items()
            if name.startswith("dept_") and field.data is not None
        }


def _label(department) -> str:
    return f"{department.name} ({department.hospital.name})"


def _preference_field(label: str) -> IntegerField:
    # One per host department and rotation: the page writes dozens of them.
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(0, MAX_PREFERENCE)],
        widget=PlainNumberInput(),
    )


def curriculum_item_form_class(departments) -> type[CurriculumItemForm]:
    """CurriculumItemForm with a ``dept_<id>`` preference field per department. A page with a
    form per rotation builds the class once (WTForms orders a new class's fields when its
    first form is made)."""
    fields = {f"dept_{d.id}": _preference_field(_label(d)) for d in departments}
    return type("CurriculumItemWithOptions", (CurriculumItemForm,), fields)


def options_form(items, departments, **kwargs) -> FlaskForm:
    """Per-doctor overrides: an ``opt_<item>_<dept>`` preference field per pair."""
    fields = {
        f"opt_{item.id}_{department.id}": _preference_field(_label(department))
        for item in items
        for department in departments
    }
    return type("EnrollmentOptionsForm", (FlaskForm,), fields)(**kwargs)


def override_values(form: FlaskForm) -> dict[int, dict[int, int]]:
    """item id -> department id -> preference from an ``options_form``."""
    result: dict[int, dict[int, int]] = {}
    for name, field in form._fields.items():
        if name.startswith("opt_") and field.data is not None:
            _, item_id, department_id = name.split("_")
            result.setdefault(int(item_id), {})[int(department_id)] = field.data
    return result
