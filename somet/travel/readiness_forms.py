"""The director's visa form on the travel readiness page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from somet.models import VisaStatus
from somet.web.fields import PlainSelect

VISA_LABELS = {
    "": _l("Not recorded"),
    VisaStatus.NOT_REQUIRED.value: _l("Not required"),
    VisaStatus.APPLIED.value: _l("Applied for"),
    VisaStatus.GRANTED.value: _l("Granted"),
    VisaStatus.REFUSED.value: _l("Refused"),
}


class VisaForm(FlaskForm):
    status = SelectField(
        _l("Visa"),
        choices=[SelectChoice(value, label) for value, label in VISA_LABELS.items()],
        validators=[AnyOf(list(VISA_LABELS), message=_l("Choose a visa status from the list."))],
        widget=PlainSelect(),
    )


def visa_forms(statuses: dict[int, VisaStatus | None]) -> dict[int, VisaForm]:
    """A visa form per enrollment id, showing its recorded status (none: "Not recorded");
    the five labels are translated once for the whole roster rather than in each row's list."""
    choices = [SelectChoice(value, str(label)) for value, label in VISA_LABELS.items()]
    forms = {}
    for enrollment_id, status in statuses.items():
        recorded = status.value if status else ""
        form = forms[enrollment_id] = VisaForm(formdata=None, status=recorded)
        form.status.choices = choices
    return forms
