"""The doctor's follow-up answer, and the director's reminder buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from somet.followup.operations import Answers

MAX_COUNT = 1_000_000
MAX_TEXT = 2000
WHOLE_NUMBER = _l("Enter a whole number, 0 or more (e.g. 12).")


class WholeNumberField(IntegerField):
    """A whole number whose refusal says so in the reader's language (not WTForms' English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(WHOLE_NUMBER) from None


def _whole_number_in_range(form, field):
    # None: the text was no number at all, which the field has said already
    if field.data is not None and not 0 <= field.data <= MAX_COUNT:
        raise ValidationError(WHOLE_NUMBER)


def _count_field(label):
    return WholeNumberField(label, validators=[InputRequired(WHOLE_NUMBER), _whole_number_in_range])


class AnswerForm(FlaskForm):
    procedures_introduced = TextAreaField(
        _l("Which procedures or methods learnt in the programme have you introduced at home?"),
        validators=[Optional(), Length(max=MAX_TEXT)],
    )
    patients_treated = _count_field(_l("How many patients have you treated with them?"))
    colleagues_taught = _count_field(_l("How many colleagues have you taught them to?"))
    would_recommend = SelectField(
        _l("Would you recommend the programme to a colleague?"),
        choices=[
            SelectChoice("", _l("Choose…")),
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No")),
        ],
        validators=[InputRequired(_l("Please answer yes or no."))],
    )
    comment = TextAreaField(_l("Anything else you would like to tell us?"),
                            validators=[Optional(), Length(max=MAX_TEXT)])  # fmt: skip

    def answers(self) -> Answers:
        return Answers(
            procedures_introduced=self.procedures_introduced.data or "",
            patients_treated=self.patients_treated.data,
            colleagues_taught=self.colleagues_taught.data,
            would_recommend=self.would_recommend.data == "yes",
            comment=self.comment.data or "",
        )


class RemindForm(FlaskForm):
    """One doctor's reminder: the survey is the enrollment's at ``months``."""

    months = IntegerField(validators=[InputRequired(), NumberRange(1, 60)])


class RemindAllForm(FlaskForm):
    """Everyone who has not answered: of one cohort (``cohort_id``) or of all."""

    cohort_id = IntegerField(validators=[Optional(), NumberRange(1)])
