"""The report's forms: which sponsor, period or cohort (a GET form), and choosing a quote."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField
from wtforms.validators import AnyOf, DataRequired, NumberRange, Optional, ValidationError

from somet.reports.operations import SOURCES
from somet.reports.rules import period_problem


class ReportForm(FlaskForm):
    """What the report covers (changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    sponsor = SelectField(_l("Sponsor"), choices=[], validators=[Optional()])
    start = DateField(_l("Cohorts ending from"), validators=[Optional()])
    end = DateField(_l("to"), validators=[Optional()])
    cohort = SelectField(_l("Or one cohort"), choices=[], validators=[Optional()])

    def validate_end(self, field):
        if period_problem(self.start.data, field.data) == "end_before_start":
            raise ValidationError(_l("The end date must be on or after the start date."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.cohort.data and not self.sponsor.data:
            self.cohort.errors = [*self.cohort.errors, _l("Choose a sponsor or a cohort.")]
            return False
        return valid

    def cohort_id(self) -> int | None:
        return int(self.cohort.data) if self.cohort.data else None


class QuoteForm(FlaskForm):
    """Choose or drop one doctor's words; the report's scope rides along to come back to it."""

    source = HiddenField(validators=[DataRequired(), AnyOf(SOURCES)])
    source_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=2**31 - 1)])
    chosen = HiddenField(validators=[DataRequired(), AnyOf(("1", "0"))])
    sponsor = HiddenField()
    start = HiddenField()
    end = HiddenField()
    cohort = HiddenField()
