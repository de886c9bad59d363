"""The timeline grid as the page draws it: one prepared cell per placement, shared by its days.

A cohort's grid has a cell per doctor and day (20 doctors × 14 days and more). What a cell
says (colour, tooltip with dates in the page's language, mark, link) depends only on its
placement, so it is worked out once per placement here rather than once per day in Jinja,
down to the cell's ``<td>``, every part escaped with markupsafe as Jinja would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from somet import localisation
from somet.labels import enum_label
from somet.models import PlacementStatus
from somet.services.timeline import Timeline, TimelineDoctor, TimelinePlacement, department_colour

MARKS = {
    PlacementStatus.PROPOSED: "○",
    PlacementStatus.REQUESTED: "?",
    PlacementStatus.CONFIRMED: "✓",
    PlacementStatus.COMPLETED: "✓",
}
EMPTY = {
    False: Markup('<td class="plan-cell"></td>'),
    True: Markup('<td class="plan-cell plan-off"></td>'),
}


@dataclass(frozen=True)
class GridRow:
    doctor: TimelineDoctor
    cells: Markup  # the row's <td>s, one per day


def grid_rows(view: Timeline, language: str, edit_url: Callable[[int], str]) -> list[GridRow]:
    """The rows of ``view`` ready to draw, in ``language``; ``edit_url(placement_id)``."""
    titles: dict[int, str] = {}
    prepared: dict[tuple[int, bool, bool], Markup] = {}

    def cell(placement: TimelinePlacement, first: bool, off: bool) -> Markup:
        key = (placement.id, first, off)
        html = prepared.get(key)
        if html is None:
            if placement.id not in titles:
                titles[placement.id] = _title(placement, language)
            html = prepared[key] = _td(placement, titles[placement.id], first, off, edit_url)
        return html

    days = view.days
    return [
        GridRow(
            row.doctor,
            Markup("").join(
                cell(placement, index in row.starts, days[index].off)
                if placement
                else EMPTY[days[index].off]
                for index, placement in enumerate(row.cells)
            ),
        )
        for row in view.rows
    ]


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


def _td(placement: TimelinePlacement, title: str, first: bool, off: bool, edit_url) -> Markup:
    status = placement.status
    css = f"plan-cell tl-{status.value}" + (" plan-off" if off else "")
    colour = department_colour(placement.department_id)
    content = ""
    if first:  # the first day carries the mark and name; a proposal's links to its edit page
        label = escape(f"{MARKS[status]} {placement.department_name[:12]}")
        if status == PlacementStatus.PROPOSED:
            content = f'<a class="plan-label" href="{escape(edit_url(placement.id))}">{label}</a>'
        else:
            content = f'<span class="plan-label">{label}</span>'
    return Markup(  # noqa: S704  (every interpolated part is escaped)
        f'<td class="{css}" style="background: {colour}" title="{escape(title)}">{content}</td>'
    )
