"""PURE: the hospital weeks a stretch of attendance touches.

No Flask, no SQLAlchemy: dates and weekday numbers (``date.weekday()``, Monday = 0) in,
dates out. Where a week begins, and which days are worked, is ``somet.core.workdays``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from somet.core.workdays import week_start


def weeks_spanned(start: date, end: date, weekdays: Iterable[int]) -> list[date]:
    """The start of each hospital week that the days ``start``..``end`` touch."""
    weekdays = list(weekdays)
    weeks = []
    first = week_start(start, weekdays)
    while first <= end:
        weeks.append(first)
        first += timedelta(days=7)
    return weeks
