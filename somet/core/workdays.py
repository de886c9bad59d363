"""Working days: the calendar days of a span on a hospital's working weekdays (PURE).

One rule for the scheduler's instance, the readiness check, the attendance grid, the
lifecycle job and the demo: weekdays are ``date.weekday()`` numbers, as in somet-schedule/1.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=64)
def parse_weekdays(stored: str) -> tuple[int, ...]:
    """A hospital's stored week ("6,0,1,2,3") as weekday numbers, in stored order."""
    return tuple(int(x) for x in stored.split(",") if x != "")


def working_days(
    start: date, end: date, weekdays: Iterable[int], closed: Iterable[date] = ()
) -> list[date]:
    """The days from ``start`` to ``end`` (inclusive) on ``weekdays``, minus ``closed`` days."""
    open_weekdays = set(weekdays)
    closed_days = set(closed)
    days = []
    day = start
    while day <= end:
        if day.weekday() in open_weekdays and day not in closed_days:
            days.append(day)
        day += timedelta(days=1)
    return days
