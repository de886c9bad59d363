"""PURE: which days a masterclass keeps a doctor away from the wards.

The one rule for the scheduler's blocked days; the planner and the manual placement edit
both check against the instance built from it, so what one avoids the other refuses:

- the days are the local calendar days, in the masterclass's own time zone, from its start
  to its end (an end at exactly midnight does not take the day it ends on);
- a class meant for one cohort blocks them for every doctor of that cohort (enrollment not
  withdrawn), registered or not: the cohort attends it as part of its programme;
- a class open to all doctors blocks them for the doctors holding a place (registered, or
  attended); waitlisted and cancelled doctors are not going. Holding a place blocks for a
  class meant for a cohort too, so nobody who is going is ever left out.

No Flask, no SQLAlchemy: plain values in, ``doctor id -> set of dates`` out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from somet.core.workdays import is_working_day


@dataclass(frozen=True)
class MasterclassTimes:
    """When and where (time zone) a masterclass runs, and the cohort it is meant for."""

    id: int
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    timezone: str
    cohort_id: int | None = None  # None: open to all doctors


def local_days(starts_at: datetime, ends_at: datetime, timezone: str) -> set[date]:
    """The local calendar days in ``timezone`` that a session touches."""
    zone = ZoneInfo(timezone)
    first = starts_at.astimezone(zone).date()
    # An end at exactly midnight does not occupy the day it ends on.
    last = (ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def blocked_days(
    masterclasses: Iterable[MasterclassTimes],
    cohorts_of: Mapping[int, Iterable[int]],
    places: Iterable[tuple[int, int]],
    start: date,
    end: date,
) -> dict[int, set[date]]:
    """Doctor id -> the masterclass days between ``start`` and ``end`` blocked for them.

    ``cohorts_of`` maps each doctor to its cohorts (withdrawn enrollments left out);
    ``places`` are ``(doctor id, masterclass id)`` pairs of registered or attended doctors.
    Doctors without such days are absent from the result.
    """
    members: dict[int, set[int]] = defaultdict(set)
    for doctor_id, cohort_ids in cohorts_of.items():
        for cohort_id in cohort_ids:
            members[cohort_id].add(doctor_id)
    holders: dict[int, set[int]] = defaultdict(set)
    for doctor_id, masterclass_id in places:
        holders[masterclass_id].add(doctor_id)
    blocked: dict[int, set[date]] = defaultdict(set)
    for masterclass in masterclasses:
        days = local_days(masterclass.starts_at, masterclass.ends_at, masterclass.timezone)
        days = {d for d in days if start <= d <= end}
        if not days:
            continue
        going = set(holders.get(masterclass.id, ()))
        if masterclass.cohort_id is not None:
            going |= members.get(masterclass.cohort_id, set())
        for doctor_id in going:
            blocked[doctor_id] |= days
    return dict(blocked)


@dataclass(frozen=True)
class PlacedSpan:
    """A doctor's placement as a clash check needs it: where, and on which days it runs."""

    where: str  # e.g. "Cardiology, Rambam Health Care Campus"
    start: date
    end: date
    weekdays: frozenset[int]  # the hospital's working weekdays (date.weekday() numbers)


def clashes(masterclass: MasterclassTimes, placements: Iterable[PlacedSpan]) -> list[tuple]:
    """(day, where) for each of the class's local days that one of ``placements`` works."""
    days = local_days(masterclass.starts_at, masterclass.ends_at, masterclass.timezone)
    found = [
        (day, span.where)
        for span in placements
        for day in sorted(days)
        if span.start <= day <= span.end and is_working_day(day, span.weekdays)
    ]
    return sorted(found)
