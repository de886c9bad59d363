"""The administrator's form for a new integration token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from somet.web.fields import CheckboxesField


class TokenForm(FlaskForm):
    name = StringField(
        _l("Integration"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Which system uses the token, e.g. “Ministry registry”."),
    )
    scopes = CheckboxesField(
        _l("Scopes"), validators=[DataRequired(message=_l("Choose at least one scope."))]
    )
    hospital_id = SelectField(_l("Limited to hospital"), coerce=int, default=0)
