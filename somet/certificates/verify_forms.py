"""The forms to look a certificate up: by its long code, or by its serial and check code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from somet.certificates.core import check_codes

CHECK_CODE_PROBLEMS = {
    "look_alike": _l("Check codes never contain 0, O, 1, I or L: look again at the certificate."),
    "not_a_code": _l("A check code has 8 letters and digits, like K7QM-4XTB."),
    "typo": _l("The serial or the check code has a typo: compare them with the certificate."),
}


def _strip(value):
    return value.strip() if value else value


class LookupCodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search that changes nothing

    code = StringField(
        _l("Verification code"),
        filters=[_strip],
        validators=[DataRequired(), Length(min=20, max=64), Regexp(r"^[A-Za-z0-9_-]+$")],
    )


class LookupSerialForm(FlaskForm):
    """Serial and check code as a person types them: case, spaces and dashes do not matter."""

    class Meta:
        csrf = False  # a GET search that changes nothing

    serial = StringField(
        _l("Serial"), filters=[_strip], validators=[DataRequired(), Length(max=40)]
    )
    check = StringField(
        _l("Check code"), filters=[_strip], validators=[DataRequired(), Length(max=30)]
    )

    def validate_serial(self, field) -> None:
        if check_codes.typed_serial(field.data) is None:
            raise ValidationError(_l("This is not a SOMET serial (like SOMET-2026-000123)."))

    def validate_check(self, field) -> None:
        serial = check_codes.typed_serial(self.serial.data or "")
        problem = check_codes.problem(serial or "", field.data)
        if serial is None and problem == "typo":
            return  # the serial's own error says what is wrong
        if problem is not None:
            raise ValidationError(CHECK_CODE_PROBLEMS[problem])

    @property
    def normalised_serial(self) -> str:
        return check_codes.typed_serial(self.serial.data) or ""
