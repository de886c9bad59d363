"""Demo: what the demo's people do through the operations, shared by last year's cohort
(``past_cohort.py``, in the loader) and the rehearsal of the upcoming one (``flask demo-hosts``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.attendance import operations as attendance
from somet.attendance.queries import recordable_weeks
from somet.models import (
    AttendanceStatus,
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

DIRECTOR = "director@example.org"
# is this doctor absent on this day of this placement (the demo's story decides)
Absence = Callable[[Placement, date], bool]


def demo_user(email: str) -> User:
    """One of the demo's logins."""
    return db.session.scalar(select(User).where(User.email == email))


def confirm_requests(cohort_id: int) -> int:
    """Each hospital's coordinator confirms its requests of the cohort; how many."""
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


def record_attendance(cohort_id: int, now: datetime, absent: Absence) -> int:
    """Each coordinator records every week of the cohort's visits up to ``now``'s day:
    present, except where ``absent`` says otherwise; how many days were recorded."""
    recorded = 0
    for coordinator in db.session.scalars(select(User).where(User.role == Role.COORDINATOR)):
        hospital = db.session.get(Hospital, coordinator.hospital_id)
        today = attendance.local_today(hospital.timezone, now)
        for week in recordable_weeks(hospital, today).weeks:
            department = db.session.get(
                Department, week.department_id, options=[joinedload(Department.hospital)]
            )
            grid = attendance.attendance_grid(department, week.week)
            marks = {
                (row.placement.id, day): AttendanceStatus.ABSENT
                if absent(row.placement, day)
                else AttendanceStatus.PRESENT
                for row in grid.rows
                if row.placement.enrollment.cohort_id == cohort_id
                for day in row.days
                if day <= today
            }
            recorded += attendance.record_attendance(
                coordinator, department.id, week.week, marks, now=now
            )
    return recorded
