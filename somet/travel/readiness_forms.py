"""The director's visa form on the travel readiness page."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
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


# An id no enrollment has: marks where each row's own id goes in a list written once.
_ROW_ID = "987654321987"


def visa_selects(
    statuses: Iterable[VisaStatus | None],
) -> dict[VisaStatus | None, Callable[[int], Markup]]:
    """Each row's visa list (``id="visa-<enrollment id>"``) by the status it shows (none: "Not
    recorded"): WTForms writes the list once per status and each row's id is filled in (a
    form and a list a row cost ~70 µs); the five labels are translated once per page."""
    choices = [SelectChoice(value, str(label)) for value, label in VISA_LABELS.items()]
    selects = {}
    for status in set(statuses):
        form = VisaForm(formdata=None, status=status.value if status else "")
        form.status.choices = choices
        html = str(form.status(id=f"visa-{_ROW_ID}", class_="form-select form-select-sm"))
        selects[status] = _with_id(*html.split(_ROW_ID))
    return selects


def _with_id(prefix: str, suffix: str) -> Callable[[int], Markup]:
    return lambda row_id: Markup(f"{prefix}{int(row_id)}{suffix}")  # noqa: S704 - written by WTForms
