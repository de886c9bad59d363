"""Forms for logging in, accepting invitations and changing passwords."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from somet.services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    remember = BooleanField("Keep me logged in on this device")


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=f"Use {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
            ),
        ],
    )


class SetPasswordForm(FlaskForm):
    password = _new_password_field("New password")
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])


class InviteUserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=[])
    hospital_id = SelectField("Hospital (coordinators)", coerce=int, validators=[Optional()])
    doctor_id = SelectField("Doctor record (doctors)", coerce=int, validators=[Optional()])

    def validate_hospital_id(self, field):
        if self.role.data == "coordinator" and not field.data:
            raise ValidationError("Choose the coordinator's hospital.")

    def validate_doctor_id(self, field):
        if self.role.data == "doctor" and not field.data:
            raise ValidationError("Choose the doctor record this login belongs to.")
