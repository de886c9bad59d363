"""What pages read about attendance: the weeks a coordinator still has to record, and the
placements, marks and days off the week list and the home queue both count from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from somet.attendance import rules
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
        days_off(hospital_id, set(names)),
        today,
    )
    weeks = [
        WeekToRecord(department_id, names[department_id], week)
        for (department_id, week), tally in tallies.items()
        if not tally.complete
    ]
    return sorted(weeks, key=lambda w: (w.week, w.department_name))


def hospital_stays(
    hospital_id: int, today: date, *, live_only: bool = False
) -> tuple[dict[int, str], list[rules.Stay]]:
    """The hospital's recordable placements begun by ``today`` (of cohorts not yet over, with
    ``live_only``: judged and closed, nothing is left to record), with department names."""
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


def days_off(hospital_id: int, department_ids: set[int]) -> dict[int, set[date]]:
    """Each department's closed days, with the hospital's holidays."""
    holidays = set(
        db.session.scalars(
            select(HospitalHoliday.day).where(HospitalHoliday.hospital_id == hospital_id)
        )
    )
    closed = {department_id: set(holidays) for department_id in department_ids}
    closures = db.session.execute(
        select(DepartmentClosure.department_id, DepartmentClosure.day).where(
            DepartmentClosure.department_id.in_(department_ids)
        )
    )
    for department_id, day in closures:
        closed[department_id].add(day)
    return closed
