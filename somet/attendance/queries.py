"""What the home pages read about attendance: the weeks a coordinator still has to record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import literal_column, select

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
    """Department weeks with a past working day of a confirmed placement left unmarked,
    oldest first, for cohorts not yet over. Three statements, whatever the numbers.
    """
    yesterday = today - timedelta(days=1)  # a day is recorded once it is over
    live = (
        select(Placement.id)
        .join(Department, Department.id == Placement.department_id)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(
            Department.hospital_id == hospital_id,
            Placement.status.in_(PlacementStatus.FIXED),
            Placement.start_date <= yesterday,
            Cohort.status.not_in(CohortStatus.FINISHED),  # judged and closed: nothing to record
        )
    )
    placements = db.session.execute(
        select(
            Placement.id, Department.id, Department.name, Placement.start_date, Placement.end_date
        )
        .join(Department, Department.id == Placement.department_id)
        .where(Placement.id.in_(live))
    ).all()
    if not placements:
        return []
    marks: dict[int, set[date]] = defaultdict(set)
    for placement_id, day in db.session.execute(
        select(Attendance.placement_id, Attendance.day).where(Attendance.placement_id.in_(live))
    ):
        marks[placement_id].add(day)
    closed = _closed_days(hospital_id)
    weeks = set()
    for placement_id, department_id, name, start, end in placements:
        for week in rules.unrecorded_weeks(
            (start, end), marks[placement_id], closed[department_id], weekdays, yesterday
        ):
            weeks.add(WeekToRecord(department_id, name, week))
    return sorted(weeks, key=lambda w: (w.week, w.department_name))


def _closed_days(hospital_id: int) -> dict[int | None, set[date]]:
    """Closed days by department id: the hospital's holidays are in every department's set."""
    holidays = select(literal_column("0"), HospitalHoliday.day).where(
        HospitalHoliday.hospital_id == hospital_id
    )
    closures = (
        select(DepartmentClosure.department_id, DepartmentClosure.day)
        .join(Department, Department.id == DepartmentClosure.department_id)
        .where(Department.hospital_id == hospital_id)
    )
    rows = db.session.execute(holidays.union_all(closures)).all()
    everywhere = {day for department_id, day in rows if not department_id}
    closed: dict[int | None, set[date]] = defaultdict(lambda: set(everywhere))
    for department_id, day in rows:
        if department_id:
            closed[department_id].add(day)
    return closed
