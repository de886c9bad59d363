"""PURE: which days of a placement are working days, and how weeks are cut.

No Flask, no SQLAlchemy: dates and weekday numbers (``date.weekday()``, Monday = 0) in,
dates out. Used by the attendance grid and by the nightly placement completion.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

SUNDAY = 6
SATURDAY = 5


def first_day_of_week(weekdays: Iterable[int]) -> int:
    """Sunday for a Sunday–Thursday week (Israel), Monday otherwise."""
    open_weekdays = set(weekdays)
    return SUNDAY if SUNDAY in open_weekdays and SATURDAY not in open_weekdays else 0


def week_start(day: date, weekdays: Iterable[int]) -> date:
    """The first day of the hospital week that contains ``day``."""
    first = first_day_of_week(weekdays)
    return day - timedelta(days=(day.weekday() - first) % 7)


def weeks_spanned(start: date, end: date, weekdays: Iterable[int]) -> list[date]:
    """The start of each hospital week that the days ``start``..``end`` touch."""
    weekdays = list(weekdays)
    weeks = []
    first = week_start(start, weekdays)
    while first <= end:
        weeks.append(first)
        first += timedelta(days=7)
    return weeks
