"""PURE: the hospital weeks a stretch of attendance touches, which of them still need
recording, and what "all present" fills in.

No Flask, no SQLAlchemy: dates and weekday numbers (``date.weekday()``, Monday = 0) in,
dates out. Where a week begins, and which days are worked, is ``somet.core.workdays``'s.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from somet.core.workdays import is_working_day, week_start

T = TypeVar("T")


def weeks_spanned(start: date, end: date, weekdays: Iterable[int]) -> list[date]:
    """The start of each hospital week that the days ``start``..``end`` touch."""
    weekdays = list(weekdays)
    weeks = []
    first = week_start(start, weekdays)
    while first <= end:
        weeks.append(first)
        first += timedelta(days=7)
    return weeks


# --- which weeks still need recording ---------------------------------------------------------


@dataclass(frozen=True)
class Stay:
    """One recordable placement, as the week list needs it."""

    placement_id: int
    department_id: int
    start: date
    end: date


@dataclass
class WeekTally:
    """A department's week: its doctors, the days to record so far and those recorded."""

    doctors: int = 0
    due: int = 0  # working days up to today
    recorded: int = 0

    @property
    def missing(self) -> int:
        return self.due - self.recorded

    @property
    def complete(self) -> bool:
        return self.missing <= 0


def week_tallies(
    stays: Iterable[Stay],
    recorded: Collection[tuple[int, date]],
    weekdays: Iterable[int],
    closed: Mapping[int, Collection[date]],
    today: date,
) -> dict[tuple[int, date], WeekTally]:
    """Per (department, week start): how many of its days up to ``today`` are recorded.

    ``recorded`` holds (placement id, day) of every mark; ``closed`` each department's days
    off (the hospital's holidays and its own closures). A day still to come is never due.
    """
    # One walk over each stay's days, a week at a time: it runs for every stay of the
    # hospital on every page a coordinator opens (the menu's badge).
    open_weekdays = frozenset(weekdays)
    one_day, one_week = timedelta(days=1), timedelta(days=7)
    tallies: dict[tuple[int, date], WeekTally] = {}
    for stay in stays:
        last = min(stay.end, today)
        days_off = closed.get(stay.department_id, ())
        day = stay.start
        for week in weeks_spanned(stay.start, last, open_weekdays):
            tally = tallies.setdefault((stay.department_id, week), WeekTally())
            tally.doctors += 1
            while day < week + one_week and day <= last:
                if is_working_day(day, open_weekdays, days_off):
                    tally.due += 1
                    if (stay.placement_id, day) in recorded:
                        tally.recorded += 1
                day += one_day
    return tallies


# --- "all present" ---------------------------------------------------------------------------


def fill_unmarked(
    cells: Iterable[tuple[int, date]],
    marks: Mapping[tuple[int, date], T | None],
    mark: T,
    today: date,
    *,
    day: date | None = None,
    placement_id: int | None = None,
) -> dict[tuple[int, date], T | None]:
    """``marks`` with ``mark`` in each unmarked cell of one ``day`` (a column) or of one
    placement (a row), up to ``today``: "all present" keeps the absences already given."""
    filled = dict(marks)
    for cell in cells:
        cell_placement, cell_day = cell
        if day is not None and cell_day != day:
            continue
        if placement_id is not None and cell_placement != placement_id:
            continue
        if cell_day <= today and filled.get(cell) is None:
            filled[cell] = mark
    return filled
