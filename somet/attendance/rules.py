"""PURE: the hospital weeks a stretch of attendance touches.

No Flask, no SQLAlchemy: dates and weekday numbers (``date.weekday()``, Monday = 0) in,
dates out. Where a week begins, and which days are worked, is ``somet.core.workdays``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from somet.core.workdays import week_start, working_days


def weeks_spanned(start: date, end: date, weekdays: Iterable[int]) -> list[date]:
    """The start of each hospital week that the days ``start``..``end`` touch."""
    weekdays = list(weekdays)
    weeks = []
    first = week_start(start, weekdays)
    while first <= end:
        weeks.append(first)
        first += timedelta(days=7)
    return weeks


def unrecorded_weeks(
    placement: tuple[date, date],
    recorded: Iterable[date],
    closed: Iterable[date],
    weekdays: Iterable[int],
    last_day: date,
) -> set[date]:
    """The weeks (their first days) with a working day of the placement, up to ``last_day``,
    that has no attendance mark yet. Days the hospital or department is closed do not count.
    """
    start, end = placement
    weekdays = list(weekdays)
    marked = set(recorded)
    return {
        week_start(day, weekdays)
        for day in working_days(start, min(end, last_day), weekdays, closed)
        if day not in marked
    }
