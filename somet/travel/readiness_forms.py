"""The director's visa form on the travel readiness page."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from somet.models import VisaStatus
from somet.web.fields import PlainSelect, write_field

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


def visa_select() -> Callable[[int, VisaStatus | None], Markup]:
    """A row's visa list (``id="visa-<enrollment id>"``, its status selected; none: "Not
    recorded"), written as the form would write it; the five labels are translated once per
    page, not once per row (a form and its labels a row cost ~70 µs)."""
    field = VisaForm(formdata=None).status
    field.choices = [SelectChoice(value, str(label)) for value, label in VISA_LABELS.items()]

    def select(row_id: int, status: VisaStatus | None) -> Markup:
        field.data = status.value if status else ""
        return write_field(field, id=f"visa-{int(row_id)}", class_="form-select form-select-sm")

    return select
