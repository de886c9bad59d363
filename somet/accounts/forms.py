"""Forms for logging in, accepting invitations and changing passwords."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from somet.accounts.operations import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from somet.web.fields import PlainSelect, PlainTextInput


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


def _new_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "Use %(min)d to %(max)d characters.",
                    min=MIN_PASSWORD_LENGTH,
                    max=MAX_PASSWORD_LENGTH,
                ),
            ),
        ],
    )


class SetPasswordForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class InviteUserForm(FlaskForm):
    """Its lists are written by the plain widgets (the same HTML): the doctors' list holds
    every live cohort's doctors without a login."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200)],
        widget=PlainTextInput(),
    )
    role = SelectField(_l("Role"), choices=[], widget=PlainSelect())
    hospital_id = SelectField(
        _l("Hospital (coordinators)"), coerce=int, validators=[Optional()], widget=PlainSelect()
    )
    doctor_id = SelectField(
        _l("Doctor record (doctors)"), coerce=int, validators=[Optional()], widget=PlainSelect()
    )
    language = SelectField(
        _l("Language of the invitation and of the pages"),
        choices=[],
        validators=[Optional()],
        widget=PlainSelect(),
    )

    def validate_hospital_id(self, field):
        if self.role.data == "coordinator" and not field.data:
            raise ValidationError(_l("Choose the coordinator's hospital."))

    def validate_doctor_id(self, field):
        if self.role.data == "doctor" and not field.data:
            raise ValidationError(_l("Choose the doctor record this login belongs to."))
