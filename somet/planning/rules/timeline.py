"""The timeline's rows laid out as table cells: pure layout, no HTML.

A cohort's grid has a column per day. Consecutive days of one placement become one cell
spanning them (a bar with one tooltip); a weekend or off day between them starts a new cell.
Empty days stay one cell per column. The template draws what this returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Cell:
    placement: Any | None  # None: an empty day
    span: int  # columns it covers
    off: bool  # no host works that day (a weekend or holiday everywhere)
    first: bool  # the placement's first shown day: the cell carries its label


def cell_runs(placements: Sequence[Any | None], off: Sequence[bool], starts) -> list[Cell]:
    """``placements[i]`` on day ``i`` (or None), ``off[i]`` for that day, ``starts`` the
    indexes where a placement begins: the row's cells, left to right."""
    cells, index, count = [], 0, len(placements)
    while index < count:
        placement, day_off = placements[index], off[index]
        end = index + 1
        if placement is not None:
            while end < count and placements[end] is placement and off[end] == day_off:
                end += 1
        cells.append(Cell(placement, end - index, day_off, index in starts))
        index = end
    return cells
