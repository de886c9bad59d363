"""The attendance grid: one radio group per (placement, working day) cell, and the
"all present" buttons of a day (column) or a doctor (row)."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from somet.core.errors import ValidationFailed
from somet.models import AttendanceStatus

STATUS_CHOICES = [
    SelectChoice("", "—"),
    SelectChoice(AttendanceStatus.PRESENT.value, _l("Present")),
    SelectChoice(AttendanceStatus.ABSENT.value, _l("Absent")),
    SelectChoice(AttendanceStatus.EXCUSED.value, _l("Excused")),
]
CELL_NAME = re.compile(r"^c(\d+)_(\d{8})$")
ALL_PRESENT = "all_present"  # the submit button's name; its value says which day or doctor
ALL_PRESENT_VALUE = re.compile(r"^(?:day:(\d{4}-\d{2}-\d{2})|doctor:(\d+))$")


def cell_name(placement_id: int, day: date) -> str:
    return f"c{placement_id}_{day:%Y%m%d}"


class AttendanceGridForm(FlaskForm):
    """Built per grid by ``grid_form``: the fields are the grid's cells."""


def grid_form(grid) -> AttendanceGridForm:
    """A form with a status radio group for each cell of ``grid``, showing what is recorded."""

    class Form(AttendanceGridForm):
        pass

    for row in grid.rows:
        for day in row.days:
            current = row.marks.get(day)
            field = RadioField(
                choices=STATUS_CHOICES,
                default=current.value if current else "",
                validators=[Optional()],
            )
            setattr(Form, cell_name(row.placement.id, day), field)
    return Form()


def status_radios(name: str, current: str, options, disabled: bool) -> Markup:
    """A grid cell's radio buttons named ``name``, one per ``options`` entry (value, short,
    label, colour: the grid's legend), ``current`` checked: the HTML the grid's Jinja loop
    wrote, by one format string an option (the grid has a group a doctor and day, a Jinja
    loop escaped nine values an option)."""
    name = escape(name)
    after = " disabled>" if disabled else ">"
    html = []
    for value, short, label, colour in options:
        checked = " checked" if current == value else ""
        key = f"{name}-{escape(value or 'none')}"
        label = escape(label)
        html.append(
            f'\n                <input type="radio" class="btn-check" name="{name}" id="{key}"'
            f' value="{escape(value)}" autocomplete="off"{checked}{after}'
            f'\n                <label class="btn btn-outline-{escape(colour)}" for="{key}"'
            f' title="{label}"><span aria-hidden="true">{escape(short)}</span>'
            f'<span class="visually-hidden">{label}</span></label>\n              '
        )
    return Markup("".join(html))  # noqa: S704 - each part escaped


def parse_marks(formdata) -> dict[tuple[int, date], AttendanceStatus | None]:
    """Every posted cell (including any the grid did not offer: the service refuses those)."""
    marks = {}
    for name, value in formdata.items():
        match = CELL_NAME.match(name)
        if match is None:
            continue
        try:
            day = datetime.strptime(match.group(2), "%Y%m%d").date()
            status = AttendanceStatus(value) if value else None
        except ValueError:
            raise ValidationFailed(_("The attendance form was not understood.")) from None
        marks[(int(match.group(1)), day)] = status
    return marks


def parse_all_present(formdata) -> tuple[date | None, int | None] | None:
    """The day or the placement an "all present" button names; None when another was pressed."""
    value = formdata.get(ALL_PRESENT)
    if value is None:
        return None
    match = ALL_PRESENT_VALUE.match(value)
    if match is None:
        raise ValidationFailed(_("The attendance form was not understood."))
    if match.group(1):
        try:
            return date.fromisoformat(match.group(1)), None
        except ValueError:
            raise ValidationFailed(_("The attendance form was not understood.")) from None
    return None, int(match.group(2))
