"""Forms of the host's pages: declining with a reason, deciding in bulk, the one-tap link."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

MIN_REASON = 3
WHY_DECLINE = _l("Please say why you decline (at least 3 characters).")
REASON_LENGTH = Length(min=MIN_REASON, max=500, message=_l("Give a reason of 3 to 500 characters."))


def _reason_required_to_decline(form, field):
    if form.declining and len((field.data or "").strip()) < MIN_REASON:
        raise ValidationError(WHY_DECLINE)


class DeclineForm(FlaskForm):
    """One request's decline, from its own row: the reason is required there."""

    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(message=WHY_DECLINE), REASON_LENGTH]
    )


class BulkDecisionForm(FlaskForm):
    """Confirm or decline the ticked requests; declining needs a reason."""

    placement_ids = SelectMultipleField(
        _l("Requests"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(message=_l("Tick the requests to answer."))],
    )
    decision = SelectField(
        _l("Decision"),
        choices=[SelectChoice("confirm", _l("Confirm")), SelectChoice("decline", _l("Decline"))],
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("Reason (to decline)"),
        validators=[_reason_required_to_decline, Length(max=500)],
    )

    @property
    def declining(self) -> bool:
        return self.decision.data == "decline"


class LinkResponseForm(FlaskForm):
    """The supervisor's answer by link: confirm, or decline with a reason."""

    reason = TextAreaField(
        _l("Reason (if you decline)"),
        validators=[_reason_required_to_decline, Length(max=500)],
    )
    confirm = SubmitField(_l("Confirm"))
    decline = SubmitField(_l("Decline"))

    def validate(self, extra_validators=None) -> bool:
        # Neither button pressed (a bare POST) must not count as a confirmation.
        if not super().validate(extra_validators):
            return False
        if not (self.confirm.data or self.decline.data):
            self.reason.errors.append(_l("Choose Confirm or Decline."))
            return False
        return True

    @property
    def declining(self) -> bool:
        return bool(self.decline.data)
