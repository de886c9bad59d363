"""``flask demo-hosts --as-of DAY``: the hosts' part of a rehearsal of the demo's upcoming
cohort, played through the same operations a director and the coordinators use.

The director sends what is still proposed, each host's coordinator confirms its requests,
the director schedules the cohort, and the coordinators record attendance up to ``DAY`` (the
nightly jobs then take it from there, see README "Rehearsing the end of a cohort"). One doctor,
doctor2@example.org, misses most of the core rotation, so the rehearsal shows both outcomes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.attendance import operations as attendance
from somet.cohorts import operations as cohorts
from somet.demo import data
from somet.models import (
    AttendanceStatus,
    Cohort,
    CohortStatus,
    CurriculumItem,
    Department,
    Enrollment,
    Hospital,
    Placement,
    PlacementStatus,
    Role,
    User,
)
from somet.requests import operations as requests
from somet.web.extensions import db

ABSENT_LOGIN = "doctor2@example.org"  # misses the core rotation; sees why in the portal


def play_hosts(now: datetime) -> dict:
    """Requests sent and confirmed, the cohort scheduled, attendance up to ``now``'s day."""
    director = _user("director@example.org")
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == data.UPCOMING_COHORT["name"]))
    if cohort.status == CohortStatus.PLANNING:
        _send_the_rest(director, cohort.id)
        confirmed = _confirm_requests(cohort.id)
        cohorts.change_status(director, cohort, "scheduled", "", now.date())
    else:
        confirmed = 0
    return {"confirmed": confirmed, "attendance_days": _record_attendance(cohort.id, now)}


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _send_the_rest(director: User, cohort_id: int) -> None:
    proposed = db.session.scalar(
        select(Placement.id)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .where(Enrollment.cohort_id == cohort_id, Placement.status == PlacementStatus.PROPOSED)
        .limit(1)
    )
    if proposed is not None:
        requests.send_requests(director, cohort_id)


def _confirm_requests(cohort_id: int) -> int:
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
    return len(rows)


def _record_attendance(cohort_id: int, now: datetime) -> int:
    """Each coordinator records every week of its departments up to ``now``'s day."""
    absent_doctor = _user(ABSENT_LOGIN).doctor_id
    core_items = set(
        db.session.scalars(
            select(CurriculumItem.id).where(
                CurriculumItem.cohort_id == cohort_id, CurriculumItem.specialty.is_(None)
            )
        )
    )
    recorded = 0
    for coordinator in db.session.scalars(select(User).where(User.role == Role.COORDINATOR)):
        hospital = db.session.get(Hospital, coordinator.hospital_id)
        today = attendance.local_today(hospital.timezone, now)
        for week in attendance.recordable_weeks(hospital, today):
            department = db.session.get(
                Department, week.department_id, options=[joinedload(Department.hospital)]
            )
            grid = attendance.attendance_grid(department, week.week)
            marks = {
                cell: status
                for row in grid.rows
                if row.placement.enrollment.cohort_id == cohort_id
                for cell, status in _marks(row, core_items, absent_doctor, today).items()
            }
            recorded += attendance.record_attendance(
                coordinator, department.id, week.week, marks, now=now
            )
    return recorded


def _marks(row, core_items: set[int], absent_doctor: int, today: date) -> dict:
    """Present every day, but the absent doctor misses the core rotation after its first day."""
    placement = row.placement
    misses = (
        placement.enrollment.doctor_id == absent_doctor
        and placement.curriculum_item_id in core_items
    )
    return {
        (placement.id, day): AttendanceStatus.ABSENT
        if misses and day > placement.start_date
        else AttendanceStatus.PRESENT
        for day in row.days
        if day <= today
    }
