"""Forms for host hospitals and departments."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField
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

from somet.models import Language
from somet.web.fields import CheckboxesField
from somet.web.labels import LANGUAGE_NAMES, specialty_choices

WEEKDAYS = [
    SelectChoice("0", _l("Monday")),
    SelectChoice("1", _l("Tuesday")),
    SelectChoice("2", _l("Wednesday")),
    SelectChoice("3", _l("Thursday")),
    SelectChoice("4", _l("Friday")),
    SelectChoice("5", _l("Saturday")),
    SelectChoice("6", _l("Sunday")),
]
MAX_CAPACITY = 100


def _timezone(_form, field) -> None:
    if field.data not in available_timezones():
        raise ValidationError(_l("Use a time zone name such as Asia/Jerusalem."))


class HospitalForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    country = StringField(_l("Country"), validators=[DataRequired(), Length(max=100)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    timezone = StringField(
        _l("Time zone"), default="Asia/Jerusalem", validators=[DataRequired(), _timezone]
    )
    working_weekdays = CheckboxesField(
        _l("Working weekdays"), choices=WEEKDAYS, validators=[DataRequired()]
    )

    def values(self) -> dict:
        fields = {k: getattr(self, k).data for k in ("name", "city", "country", "timezone")}
        fields["address"] = self.address.data or None
        fields["working_weekdays"] = ",".join(sorted(self.working_weekdays.data, key=int))
        return fields


def _capacity_field() -> IntegerField:
    # InputRequired, not DataRequired: 0 (closed to visitors for now) is a valid capacity.
    return IntegerField(
        _l("Capacity (visiting doctors per working day)"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_CAPACITY)],
    )


def _languages(_form, field) -> None:
    codes = [code.strip() for code in (field.data or "").split(",") if code.strip()]
    if not codes or any(not (code.isalpha() and len(code) in (2, 3)) for code in codes):
        raise ValidationError(_l("Give language codes separated by commas, e.g. he,en,ru."))


class DepartmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    specialty = SelectField(
        _l("Specialty"), choices=specialty_choices
    )
    capacity = _capacity_field()
    supervisor_name = StringField(_l("Supervisor"), validators=[Optional(), Length(max=200)])
    supervisor_email = EmailField(
        _l("Supervisor's e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    supervisor_language = SelectField(
        _l("Language of the supervisor's e-mails"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        default=Language.EN.value,
    )
    languages = StringField(_l("Languages"), default="en", validators=[_languages])

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "specialty": self.specialty.data,
            "capacity": self.capacity.data,
            "supervisor_name": self.supervisor_name.data or None,
            "supervisor_email": (self.supervisor_email.data or "").lower() or None,
            "supervisor_language": Language(self.supervisor_language.data),
            "languages": ",".join(c.strip().lower() for c in self.languages.data.split(",")),
        }


class CapacityForm(FlaskForm):
    capacity = _capacity_field()


class HolidayForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])


class ClosureForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
