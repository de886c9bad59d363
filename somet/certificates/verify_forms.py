"""The form to type a verification code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp


class LookupCodeForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search that changes nothing

    code = StringField(
        _l("Verification code"),
        filters=[lambda value: value.strip() if value else value],
        validators=[DataRequired(), Length(min=20, max=64), Regexp(r"^[A-Za-z0-9_-]+$")],
    )
