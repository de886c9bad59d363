"""PURE: what a doctor's home page shows, computed from already loaded rows and a moment.

No Flask, no SQLAlchemy, no models: placements and registrations are read by attribute
(``somet.portal.queries`` rows, or simple objects in tests). Every date is the
hospital's (or masterclass's) local date: "today" in Almaty starts hours before Haifa's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from somet.core.statuses import PlacementStatus


@dataclass
class DayPlan:
    """One day (today or tomorrow): where the doctor is, and the local time there."""

    offset: int
    placements: list = field(default_factory=list)
    masterclasses: list = field(default_factory=list)
    local_day: date | None = None
    local_time: str = ""  # e.g. "09:12 (Asia/Jerusalem)"

    @property
    def empty(self) -> bool:
        return not self.placements and not self.masterclasses


@dataclass(frozen=True)
class TimelineBar:
    placement: object
    left: float  # percent of the programme's span
    width: float
    fixed: bool


@dataclass(frozen=True)
class TimelineRow:
    cohort_name: str
    start: date
    end: date
    bars: list


def is_fixed(placement) -> bool:
    """Confirmed (or completed) by the host; anything else is still awaiting the host."""
    return placement.status in PlacementStatus.FIXED  # a stored string or the enum alike


def local_now(now: datetime, timezone: str) -> datetime:
    return now.astimezone(ZoneInfo(timezone))


def day_plan(offset: int, placements: list, registrations: list, now: datetime) -> DayPlan:
    """Placements and masterclasses on local day today + ``offset`` of each one's place."""
    plan = DayPlan(offset)
    for placement in placements:
        zone = placement.timezone
        here = local_now(now, zone)
        day = here.date() + timedelta(days=offset)
        if placement.start_date <= day <= placement.end_date:
            plan.placements.append(placement)
            if plan.local_day is None:
                plan.local_day = day
                plan.local_time = f"{here:%H:%M} ({zone})"
    for registration in registrations:
        day = local_now(now, registration.timezone).date() + timedelta(days=offset)
        if local_now(registration.starts_at, registration.timezone).date() == day:
            plan.masterclasses.append(registration)
    return plan


def next_rotation(placements: list, now: datetime):
    """The first placement that starts after today (in its hospital's zone), if any."""
    for placement in placements:
        today = local_now(now, placement.timezone).date()
        if placement.start_date > today:
            return placement
    return None


def timeline(placements: list) -> list[TimelineRow]:
    """One row per programme (cohort) with a bar per placement, positioned in percent."""
    by_cohort: dict[int, list] = {}
    for placement in placements:
        by_cohort.setdefault(placement.cohort_id, []).append(placement)
    rows = []
    for group in by_cohort.values():
        first = group[0]
        start = min([first.cohort_start] + [p.start_date for p in group])
        end = max([first.cohort_end] + [p.end_date for p in group])
        span = (end - start).days + 1
        bars = [
            TimelineBar(
                placement=p,
                left=round(100 * (p.start_date - start).days / span, 2),
                width=round(100 * ((p.end_date - p.start_date).days + 1) / span, 2),
                fixed=is_fixed(p),
            )
            for p in group
        ]
        rows.append(TimelineRow(first.cohort_name, start, end, bars))
    return rows
