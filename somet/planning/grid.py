"""The timeline grid as the page draws it: one prepared cell per placement, shared by its days.

A cohort's grid has a column per day (20 doctors × 14 days and more). What a placement's
cell says (colour, tooltip with dates in the page's language, mark, link) depends only on the
placement, so it is worked out once per placement here rather than once per day in Jinja,
down to the ``<td>``, every part escaped with markupsafe as Jinja would; a run of its days
is one cell spanning them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from somet.core import localisation
from somet.models import PlacementStatus
from somet.planning.queries import Timeline, TimelineDoctor, TimelinePlacement, department_colour
from somet.web.labels import enum_label

MARKS = {
    PlacementStatus.PROPOSED: "○",
    PlacementStatus.REQUESTED: "?",
    PlacementStatus.CONFIRMED: "✓",
    PlacementStatus.COMPLETED: "✓",
}
EMPTY = {False: '<td class="plan-cell"></td>', True: '<td class="plan-cell plan-off"></td>'}


@dataclass(frozen=True)
class GridRow:
    doctor: TimelineDoctor
    cells: Markup  # the row's <td>s: one per empty day, one per run of a placement's days


def grid_rows(view: Timeline, language: str, edit_url: Callable[[int], str]) -> list[GridRow]:
    """The rows of ``view`` ready to draw, in ``language``; ``edit_url(placement_id)``.

    Consecutive days of one placement are one cell spanning them (a bar, with one tooltip);
    a weekend or an off day between them starts a new cell. Empty days stay one per column.
    """
    parts: dict[int, tuple[str, str, str]] = {}
    shared: dict[tuple, tuple[str, str, str]] = {}  # doctors on the same rotation share it
    days = view.days
    rows = []
    for row in view.rows:
        cells = []
        index, count = 0, len(row.cells)
        while index < count:
            placement, off = row.cells[index], days[index].off
            if placement is None:
                cells.append(EMPTY[off])
                index += 1
                continue
            end = index + 1
            while end < count and row.cells[end] is placement and days[end].off == off:
                end += 1
            if placement.id not in parts:
                parts[placement.id] = _parts(placement, language, edit_url, shared)
            css, attributes, label = parts[placement.id]
            span = f' colspan="{end - index}"' if end - index > 1 else ""
            shown = label if index in row.starts else ""
            off_css = " plan-off" if off else ""
            cells.append(f'<td class="{css}{off_css}"{span}{attributes}>{shown}</td>')
            index = end
        rows.append(GridRow(row.doctor, Markup("".join(cells))))  # noqa: S704  (escaped parts)
    return rows


def _parts(placement: TimelinePlacement, language: str, edit_url, shared: dict) -> tuple:
    """A placement's cell class, its style and tooltip attributes, and its first-day label,
    each already escaped."""
    status = placement.status
    key = (
        placement.department_id, placement.department_name, placement.hospital_name,
        placement.rotation, placement.start_date, placement.end_date, status,
    )  # fmt: skip
    if key not in shared:
        title = escape(_title(placement, language))
        colour = department_colour(placement.department_id)
        label = escape(f"{MARKS[status]} {placement.department_name[:12]}")
        attributes = f' style="background: {colour}" title="{title}"'
        shared[key] = (f"plan-cell tl-{status.value}", attributes, label)
    css, attributes, label = shared[key]
    if status in PlacementStatus.UPCOMING:  # not yet done: its first day links to the edit page
        label = f'<a class="plan-label" href="{escape(edit_url(placement.id))}">{label}</a>'
    else:
        label = f'<span class="plan-label">{label}</span>'
    return css, attributes, label


def _title(placement: TimelinePlacement, language: str) -> str:
    """Where, what, when and in which state: the cell's tooltip."""
    return " · ".join(
        (
            f"{placement.department_name} ({placement.hospital_name})",
            placement.rotation,
            f"{localisation.format_day(placement.start_date, language)} – "
            f"{localisation.format_day(placement.end_date, language)}",
            enum_label(placement.status, language),
        )
    )
