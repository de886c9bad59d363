"""The doctor's profile form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from somet.models import Language

LANGUAGE_NAMES = {Language.EN: "English", Language.RU: "Русский", Language.KK: "Қазақша"}


class ProfileForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(
        _l("Phone"),
        validators=[
            Optional(),
            Length(max=50),
            Regexp(r"^[0-9+()\-. ]+$", message=_l("Use digits, spaces and + ( ) - only.")),
        ],
    )
    preferred_language = SelectField(
        _l("Preferred language"),
        choices=[SelectChoice(language.value, name) for language, name in LANGUAGE_NAMES.items()],
        validators=[DataRequired()],
    )
