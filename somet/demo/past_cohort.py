"""Demo: last year's cohort lived its life through the operations, as of its own dates.

The director planned it, sent the requests and Rambam's coordinator confirmed them; the
director confirmed each doctor's participation (they answered by phone), scheduled the
cohort a week before it started, the coordinator recorded attendance (the last doctor missed
the first three days of the core rotation), and the nightly lifecycle of the day after the
end closed the placements, completed the cohort and judged each enrollment.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.attendance import operations as attendance
from somet.cohorts import operations as cohorts
from somet.core.workdays import working_days
from somet.demo import data
from somet.jobs import operations as jobs
from somet.models import (
    AttendanceStatus,
    Cohort,
    CurriculumItem,
    Department,
    Enrollment,
    Hospital,
    Placement,
    PlacementStatus,
    Role,
    User,
)
from somet.planning import operations as planning
from somet.requests import operations as requests
from somet.web.extensions import db

MISSED_CORE_DAYS = 3  # the last doctor's absences: too many for the core rotation
TIME_LIMIT = 5.0


def play_past_cohort() -> None:
    """Plan, request, confirm, schedule, attend and close last year's cohort."""
    director = _user("director@example.org")
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == data.PAST_COHORT["name"]))
    cohort_id, start, end = cohort.id, cohort.start_date, cohort.end_date
    cohorts.change_status(director, cohort, "planning", "", start - timedelta(days=60))
    planning.plan_cohort(director, cohort_id, time_limit=TIME_LIMIT)
    requests.send_requests(director, cohort_id)
    _confirm_requests(cohort_id)
    for enrollment_id in _enrollment_ids(cohort_id):
        cohorts.confirm_participation(director, enrollment_id)
    cohort = db.session.get(Cohort, cohort_id)
    cohorts.change_status(director, cohort, "scheduled", "", start - timedelta(days=7))
    after_end = datetime.combine(end + timedelta(days=1), time(12), UTC)
    _record_attendance(cohort_id, after_end)
    # the nightly job of the day after the end, run as `flask jobs run-now --as-of` runs it
    jobs.execute_scheduled("nightly-lifecycle", after_end, runner="demo loader", now=after_end)


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _enrollment_ids(cohort_id: int) -> list[int]:
    query = select(Enrollment.id).where(Enrollment.cohort_id == cohort_id).order_by(Enrollment.id)
    return list(db.session.scalars(query))


def _confirm_requests(cohort_id: int) -> None:
    coordinators = {
        user.hospital_id: user
        for user in db.session.scalars(select(User).where(User.role == Role.COORDINATOR))
    }
    rows = db.session.execute(
        select(Placement.id, Department.hospital_id)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .join(Department, Department.id == Placement.department_id)
        .where(Enrollment.cohort_id == cohort_id, Placement.status == PlacementStatus.REQUESTED)
        .order_by(Placement.id)
    ).all()
    for placement_id, hospital_id in rows:
        requests.confirm_placement(coordinators[hospital_id], placement_id)


def _record_attendance(cohort_id: int, now: datetime) -> None:
    """Every week of the stay, as Rambam's coordinator records it."""
    coordinator = _user("coordinator@example.org")
    hospital = db.session.get(Hospital, coordinator.hospital_id)
    missed = _missed_days(cohort_id, hospital)
    today = attendance.local_today(hospital.timezone, now)
    for week in attendance.recordable_weeks(hospital, today):
        department = db.session.get(
            Department, week.department_id, options=[joinedload(Department.hospital)]
        )
        grid = attendance.attendance_grid(department, week.week)
        marks = {
            (row.placement.id, day): AttendanceStatus.ABSENT
            if (row.placement.id, day) in missed
            else AttendanceStatus.PRESENT
            for row in grid.rows
            if row.placement.enrollment.cohort_id == cohort_id
            for day in row.days
            if day <= today
        }
        attendance.record_attendance(coordinator, department.id, week.week, marks, now=now)


def _missed_days(cohort_id: int, hospital: Hospital) -> set:
    """The last doctor's first days of the core rotation: (placement id, day)."""
    absent = _enrollment_ids(cohort_id)[-1]
    placement = db.session.scalar(
        select(Placement)
        .join(CurriculumItem, CurriculumItem.id == Placement.curriculum_item_id)
        .where(Placement.enrollment_id == absent, CurriculumItem.specialty.is_(None))
    )
    days = working_days(placement.start_date, placement.end_date, hospital.weekday_numbers)
    return {(placement.id, day) for day in days[:MISSED_CORE_DAYS]}
