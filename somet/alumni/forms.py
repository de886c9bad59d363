"""The registry's filter form: a GET form (it changes nothing, so it carries no CSRF token).

Its choices come from small tables (the cohorts' years and sponsors, the known specialties);
a value that is not among them is refused with a sentence saying which, never ignored.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from somet.core.limits import DOCTOR_TEXT_LIMITS as LIMIT
from somet.web.fields import PlainSelect, PlainTextInput
from somet.web.labels import specialty_choices

ANY = SelectChoice("", "—")


class RegistryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    # Written by the plain widgets (the same HTML): the form heads every registry page.
    q = StringField(
        _l("Name (Latin or Cyrillic)"),
        validators=[Optional(), Length(max=100)],
        widget=PlainTextInput(),
    )
    region = StringField(
        _l("Region"),
        validators=[Optional(), Length(max=LIMIT["region"])],
        widget=PlainTextInput(),
    )
    specialty = SelectField(
        _l("Specialty"), choices=[], validate_choice=False, widget=PlainSelect()
    )
    year = SelectField(
        lazy_pgettext("alumni", "Cohort year"),
        choices=[],
        validate_choice=False,
        widget=PlainSelect(),
    )
    institution = StringField(
        _l("Home institution"),
        validators=[Optional(), Length(max=LIMIT["home_institution"])],
        widget=PlainTextInput(),
    )
    sponsor = SelectField(_l("Sponsor"), choices=[], validate_choice=False, widget=PlainSelect())
    page = IntegerField(
        lazy_pgettext("alumni", "Page"), validators=[Optional(), NumberRange(min=1, max=100_000)]
    )

    FILTERS = ("q", "region", "specialty", "year", "institution", "sponsor")

    def offer(self, years: list[int], sponsors: list[str]) -> None:
        """Fill the choices: the cohorts' years (newest first), sponsors, the specialties."""
        self.specialty.choices = specialty_choices(blank=True)
        self.year.choices = [ANY, *(SelectChoice(str(y), str(y)) for y in years)]
        self.sponsor.choices = [ANY, *(SelectChoice(s, s) for s in sponsors)]

    def filter_fields(self) -> list:
        return [self[name] for name in self.FILTERS]

    def validate_specialty(self, field) -> None:
        _refuse_unknown(field, _l("There is no such specialty: choose one from the list."))

    def validate_year(self, field) -> None:
        _refuse_unknown(field, _l("No cohort took place in that year: choose one from the list."))

    def validate_sponsor(self, field) -> None:
        _refuse_unknown(field, _l("No cohort has that sponsor: choose one from the list."))

    def values(self) -> dict:
        """The filters as plain values for the queries (empty text: no filter)."""
        values = {name: (self[name].data or "").strip() for name in self.FILTERS}
        values["year"] = int(values["year"]) if values["year"] else None
        return values

    def url_arguments(self) -> dict[str, str]:
        """The filters that are set, for links that keep them (paging, export)."""
        return {name: self[name].data for name in self.FILTERS if self[name].data}


def _refuse_unknown(field, message) -> None:
    if field.data and field.data not in {choice.value for choice in field.choices}:
        raise ValidationError(message)
