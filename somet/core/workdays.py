"""Working days and hospital weeks (PURE): the one answer for every feature.

The scheduler's instance, the readiness check, the attendance grid, the request list, the
timeline and capacity grid, masterclass clashes, the lifecycle job and the demo all ask here.
Weekdays are ``date.weekday()`` numbers (Monday = 0), as in somet-schedule/1; a hospital
stores its week as their comma-separated list, in any order ("6,0,1,2,3" is Sunday–Thursday).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from functools import lru_cache

MONDAY = 0


@lru_cache(maxsize=64)
def parse_weekdays(stored: str) -> tuple[int, ...]:
    """A hospital's stored week ("6,0,1,2,3") as weekday numbers, in stored order."""
    return tuple(int(x) for x in stored.split(",") if x != "")


def is_working_day(day: date, weekdays: Collection[int], closed: Collection[date] = ()) -> bool:
    """Whether ``day`` falls on one of ``weekdays`` and is not one of the ``closed`` days."""
    return day.weekday() in weekdays and day not in closed


def working_days(
    start: date, end: date, weekdays: Iterable[int], closed: Iterable[date] = ()
) -> list[date]:
    """The days from ``start`` to ``end`` (inclusive) on ``weekdays``, minus ``closed`` days."""
    open_weekdays = set(weekdays)
    closed_days = set(closed)
    days = []
    day = start
    while day <= end:
        if is_working_day(day, open_weekdays, closed_days):
            days.append(day)
        day += timedelta(days=1)
    return days


@lru_cache(maxsize=64)
def _first_weekday(open_days: frozenset[int]) -> int:
    if not open_days or len(open_days) == 7:
        return MONDAY
    # A week begins on the first working day after the longest run of days off (the weekend);
    # on a tie, the lowest weekday number, so the answer never depends on the stored order.
    starts = [d for d in sorted(open_days) if (d - 1) % 7 not in open_days]
    return max(starts, key=lambda d: (_days_off_before(d, open_days), -d))


def _days_off_before(day: int, open_days: frozenset[int]) -> int:
    gap = 1
    while (day - gap - 1) % 7 not in open_days:
        gap += 1
    return gap


def first_weekday(weekdays: Iterable[int]) -> int:
    """The weekday a hospital's week begins on: Sunday for Sunday–Thursday, Monday for
    Monday–Friday, Tuesday for Tuesday–Saturday; Monday when every day (or none) is worked."""
    return _first_weekday(frozenset(weekdays))


def week_start(day: date, weekdays: Iterable[int]) -> date:
    """The first day of the hospital week (see ``first_weekday``) that contains ``day``."""
    return day - timedelta(days=(day.weekday() - first_weekday(weekdays)) % 7)
