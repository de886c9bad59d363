"""Forms for scheduling a masterclass and taking its attendance."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    EmailField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from somet.web.fields import PlainSelect

TIMEZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def local_to_utc(local: datetime, timezone: str) -> datetime:
    """A wall-clock time in ``timezone`` as an aware UTC moment."""
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def exists_in_zone(local: datetime, timezone: str) -> bool:
    """False for wall-clock times skipped by a daylight-saving change (e.g. 02:30 in March)."""
    moment = local_to_utc(local, timezone)
    return moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None) == local


def _exists(local: datetime | None, timezone: str | None) -> bool:
    return not local or timezone not in TIMEZONES or exists_in_zone(local, timezone)


class MasterclassForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    lead_specialist = StringField(
        _l("Lead specialist"), validators=[DataRequired(), Length(max=200)]
    )
    lead_title = StringField(
        _l("Lead specialist's title"), validators=[Optional(), Length(max=200)]
    )
    venue = StringField(_l("Venue"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    country = StringField(_l("Country"), validators=[DataRequired(), Length(max=100)])
    timezone = SelectField(
        _l("Time zone of the venue"),
        choices=[SelectChoice(z, z) for z in TIMEZONES],
        default="Asia/Jerusalem",
        validators=[DataRequired()],
        widget=PlainSelect(),
    )
    starts_local = DateTimeLocalField(
        _l("Starts (local time at the venue)"), format=LOCAL_FORMAT, validators=[DataRequired()]
    )
    ends_local = DateTimeLocalField(
        _l("Ends (local time at the venue)"), format=LOCAL_FORMAT, validators=[DataRequired()]
    )
    capacity = IntegerField(_l("Places"), validators=[DataRequired(), NumberRange(1, 1000)])
    credit_hours = FloatField(_l("Credit hours"), validators=[Optional(), NumberRange(0, 200)])
    hospital_id = SelectField(
        _l("Host hospital"), coerce=int, validators=[Optional()], widget=PlainSelect()
    )
    cohort_id = SelectField(
        _l("Open to"), coerce=int, validators=[Optional()], widget=PlainSelect()
    )
    video_url = StringField(
        _l("Video link for remote attendees"),
        validators=[Optional(), URL(require_tld=True), Length(max=500)],
    )

    def validate_starts_local(self, field):
        if not _exists(field.data, self.timezone.data):
            raise ValidationError(_l("This time does not exist there (clocks change)."))

    def validate_ends_local(self, field):
        if field.data and self.starts_local.data and field.data <= self.starts_local.data:
            raise ValidationError(_l("The masterclass must end after it starts."))
        if not _exists(field.data, self.timezone.data):
            raise ValidationError(_l("This time does not exist there (clocks change)."))


class AttendanceForm(FlaskForm):
    """Ticks beside the registered doctors; the choices are filled from the list."""

    attended = SelectMultipleField(_l("Attended"), coerce=int, validators=[Optional()])


class GuestIdentityForm(FlaskForm):
    """How a guest without a login says who they are: the e-mail and licence they gave."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    licence_number = StringField(
        _l("Medical licence number"), validators=[DataRequired(), Length(max=50)]
    )


class GuestRegistrationForm(GuestIdentityForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)])


class RemoteCodeForm(FlaskForm):
    code = StringField(
        _l("Attendance code shown in the session"), validators=[DataRequired(), Length(max=20)]
    )


class GuestRemoteCodeForm(GuestIdentityForm, RemoteCodeForm):
    """A guest's remote attendance: who they are, and the code."""
