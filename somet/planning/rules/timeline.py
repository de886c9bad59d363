"""The timeline's layout: pure, no HTML.

A cohort's timeline has a column per day. A placement is drawn as segments: runs of its
hospital's working days (a weekend inside a rotation splits it, and the part after the weekend
is a segment of its own, labelled again). Empty days are not drawn at all: a row holds only its
segments, placed on the grid by column, and the days no host works are shaded once for the
whole grid (``off_day_shading``). Rotations get a colour and a short code each, so that a
segment too narrow for the rotation's name still says which rotation it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# The colours the stylesheet defines (.tl-c0 ... .tl-c11): distinct hues, readable dark text.
PALETTE_SIZE = 12


@dataclass(frozen=True, slots=True)
class Segment:
    placement: Any
    column: int  # the grid column it starts in (1 = the cohort's first day)
    span: int  # days it covers
    first: bool  # the placement's first segment

    @property
    def grid_column(self) -> str:
        """Its place on the grid, as CSS's ``grid-column`` reads it."""
        return f"{self.column} / span {self.span}"


def placement_segments(
    placement: Any, start: int, end: int, working: Callable[[int], bool]
) -> list[Segment]:
    """``placement`` over day indexes ``start``..``end`` (inclusive), cut into runs of the days
    ``working(index)`` says its hospital works."""
    segments: list[Segment] = []
    run_start = None
    for index in range(start, end + 2):
        works = index <= end and working(index)
        if works and run_start is None:
            run_start = index
        elif not works and run_start is not None:
            segments.append(Segment(placement, run_start + 1, index - run_start, not segments))
            run_start = None
    return segments


def off_day_shading(off: Sequence[bool], colour: str = "#e9ecef") -> str:
    """A CSS gradient shading the columns of the days no host works, for every row at once:
    ``off[i]`` for day ``i`` of the grid."""
    count = len(off)
    if not count or not any(off):
        return "none"
    stops, index = [], 0
    while index < count:
        end = index
        while end < count and off[end] == off[index]:
            end += 1
        shade = colour if off[index] else "transparent"
        stops.append(f"{shade} {100 * index / count:.3f}% {100 * end / count:.3f}%")
        index = end
    return f"linear-gradient(to right, {', '.join(stops)})"


def rotation_codes(names: Iterable[str]) -> dict[str, str]:
    """A short code per rotation name, unique among ``names``: the initials of a name of
    several words ("General Internal Medicine" -> "GIM"), or its first three letters; a
    number is added when two names would share one."""
    codes: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in codes:
            continue
        words = re.findall(r"\w+", name)
        if len(words) > 1:
            base = "".join(word[0] for word in words[:3])
        else:
            base = (words[0] if words else name)[:3]
        base = base.upper() or "?"
        if base.isdigit() or (words and words[-1].isdigit() and len(words) > 1):
            base = (words[0][:2] + words[-1]).upper()  # "Rotation 12" -> "RO12"
        code, number = base, 1
        while code in taken:
            number += 1
            code = f"{base}{number}"
        codes[name] = code
        taken.add(code)
    return codes
