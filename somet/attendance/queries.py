"""What pages read about attendance: the weeks a coordinator still has to record, and the
placements, marks and days off the week list and the home queue both count from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, union_all

from somet.attendance import rules
from somet.core.workdays import week_start
from somet.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Department,
    DepartmentClosure,
    Enrollment,
    HospitalHoliday,
    Placement,
    PlacementStatus,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class WeekToRecord:
    department_id: int
    department_name: str
    week: date  # its first day, as the attendance page's address has it


def weeks_to_record(hospital_id: int, weekdays: list[int], today: date) -> list[WeekToRecord]:
    """Department weeks with a working day up to ``today`` of a confirmed placement left
    unmarked, oldest first, for cohorts not yet over: the attendance page's own tally
    (``rules.week_tallies``), so the home queue and the week list agree. Four statements."""
    names, stays = hospital_stays(hospital_id, today, live_only=True)
    if not stays:
        return []
    tallies = rules.week_tallies(
        stays,
        recorded_days({stay.placement_id for stay in stays}),
        weekdays,
        days_off(hospital_id, set(names), stays_span(stays, today)),
        today,
    )
    weeks = [
        WeekToRecord(department_id, names[department_id], week)
        for (department_id, week), tally in tallies.items()
        if not tally.complete
    ]
    return sorted(weeks, key=lambda w: (w.week, w.department_name))


# The week list shows this many weeks at a time (the weeks still to record always).
WEEKS_PER_PAGE = 12


@dataclass(frozen=True)
class WeekSummary:
    department_id: int
    department_name: str
    week: date
    doctors: int
    due: int = 0  # working days up to today
    recorded: int = 0

    @property
    def missing(self) -> int:
        """Days up to today still without a mark: the week still needs recording."""
        return max(self.due - self.recorded, 0)


@dataclass(frozen=True)
class WeekList:
    weeks: list[WeekSummary]  # newest first
    first: date  # the first day of the oldest week of the page
    last: date  # the last day of its newest week
    earlier: date | None  # where the page of earlier weeks ends, when there were any
    later: date | None  # where the page of later weeks ends (None: this page reaches today)


def recordable_weeks(
    hospital, today: date, until: date | None = None, span: int = WEEKS_PER_PAGE
) -> WeekList:
    """The (department, week) pairs of the hospital's recordable placements in the ``span``
    weeks up to the week of ``until`` (default: this week), with how many of their days so
    far are recorded, and every week before them still to record. Five statements, however
    many years of history the hospital has."""
    weekdays = hospital.weekday_numbers
    newest = week_start(min(until or today, today), weekdays)
    oldest = newest - timedelta(weeks=span - 1)
    last = newest + timedelta(days=6)
    names, stays = hospital_stays(hospital.id, today, shown=(oldest, last))
    tallies = {}
    if stays:
        tallies = rules.week_tallies(
            stays,
            recorded_days({stay.placement_id for stay in stays}),
            weekdays,
            days_off(hospital.id, set(names), stays_span(stays, today)),
            today,
        )
    summaries = [
        WeekSummary(d, names[d], w, tally.doctors, tally.due, tally.recorded)
        for (d, w), tally in tallies.items()
        if oldest <= w <= newest or not tally.complete
    ]
    summaries.sort(key=lambda s: (-s.week.toordinal(), s.department_name))
    later = newest + timedelta(weeks=span)
    return WeekList(
        weeks=summaries,
        first=oldest,
        last=last,
        earlier=_latest_start_before(hospital.id, oldest),
        later=None if newest >= week_start(today, weekdays) else min(later, today),
    )


def _latest_start_before(hospital_id: int, day: date) -> date | None:
    """The latest first day before ``day`` of a confirmed (or completed) placement at the
    hospital: the page of earlier weeks ends there, skipping the weeks nobody visited."""
    # Per department, so each is one step back along its (department, start) index.
    latest_in_department = (
        select(func.max(Placement.start_date))
        .where(
            Placement.department_id == Department.id,
            Placement.status.in_(PlacementStatus.FIXED),
            Placement.start_date < day,
        )
        .correlate(Department)
        .scalar_subquery()
    )
    return db.session.scalar(
        select(func.max(latest_in_department)).where(Department.hospital_id == hospital_id)
    )


def hospital_stays(
    hospital_id: int,
    today: date,
    *,
    live_only: bool = False,
    shown: tuple[date, date] | None = None,
) -> tuple[dict[int, str], list[rules.Stay]]:
    """The hospital's recordable placements begun by ``today`` (of cohorts not yet over, with
    ``live_only``: judged and closed, nothing is left to record), with department names.

    With ``shown`` (first and last day of the weeks a page shows), completed placements only
    when they overlap those days: a completed placement has every day recorded, so older ones
    would only add recorded weeks nobody asked to see, years of them."""
    statement = (
        select(
            Placement.id, Department.id, Department.name, Placement.start_date, Placement.end_date
        )
        .join(Department, Department.id == Placement.department_id)
        .where(
            Department.hospital_id == hospital_id,
            Placement.status.in_(PlacementStatus.FIXED),
            Placement.start_date <= today,
        )
    )
    if shown is not None:
        # Two index lookups (open placements by status; completed ones by department and end
        # day), since an OR of the two would read every placement of every year.
        first, last = shown
        departments = select(Department.id).where(Department.hospital_id == hospital_id)
        statement = statement.where(
            Placement.id.in_(
                union_all(
                    select(Placement.id).where(
                        Placement.department_id.in_(departments),
                        Placement.status == PlacementStatus.CONFIRMED,
                        Placement.start_date <= today,
                    ),
                    select(Placement.id).where(
                        Placement.department_id.in_(departments),
                        Placement.status == PlacementStatus.COMPLETED,
                        Placement.end_date >= first,
                        Placement.start_date <= last,
                    ),
                )
            )
        )
    if live_only:
        statement = (
            statement.join(Enrollment, Enrollment.id == Placement.enrollment_id)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Cohort.status.not_in(CohortStatus.FINISHED))
        )
    rows = db.session.execute(statement).all()
    names = {department_id: name for _, department_id, name, _, _ in rows}
    stays = [rules.Stay(pid, department, start, end) for pid, department, _, start, end in rows]
    return names, stays


def stays_span(stays: list[rules.Stay], today: date) -> tuple[date, date]:
    """The first and last day the stays' tallies look at (none after ``today``)."""
    return min(s.start for s in stays), min(max(s.end for s in stays), today)


def recorded_days(placement_ids: set[int]) -> set[tuple[int, date]]:
    """(placement id, day) of every attendance mark of these placements."""
    if not placement_ids:
        return set()
    rows = db.session.execute(
        select(Attendance.placement_id, Attendance.day).where(
            Attendance.placement_id.in_(placement_ids)
        )
    )
    return {(placement_id, day) for placement_id, day in rows}


def days_off(
    hospital_id: int, department_ids: set[int], between: tuple[date, date] | None = None
) -> dict[int, set[date]]:
    """Each department's closed days, with the hospital's holidays (only ``between`` two
    days, inclusive, when given: not every year of them)."""
    holidays = select(HospitalHoliday.day).where(HospitalHoliday.hospital_id == hospital_id)
    closures = select(DepartmentClosure.department_id, DepartmentClosure.day).where(
        DepartmentClosure.department_id.in_(department_ids)
    )
    if between is not None:
        holidays = holidays.where(HospitalHoliday.day.between(*between))
        closures = closures.where(DepartmentClosure.day.between(*between))
    holidays = set(db.session.scalars(holidays))
    closed = {department_id: set(holidays) for department_id in department_ids}
    closures = db.session.execute(closures)
    for department_id, day in closures:
        closed[department_id].add(day)
    return closed
