"""Attendance recorded by the host: the department × week grid and saving it.

A cell is one working day of one confirmed (or completed) placement; only the coordinator of
the department's hospital records it, and not for days still to come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, null, select, union_all
from sqlalchemy.orm import joinedload

from somet.attendance.rules import fill_unmarked
from somet.audit.operations import record_event
from somet.core.errors import NotAllowed, NotFound, ValidationFailed
from somet.core.workdays import working_days
from somet.models import (
    Attendance,
    AttendanceStatus,
    Department,
    DepartmentClosure,
    Doctor,
    Enrollment,
    HospitalHoliday,
    Placement,
    PlacementStatus,
    Role,
    User,
    constant,
    utcnow,
)
from somet.web.database import lock_for_write
from somet.web.extensions import db

Cell = tuple[int, date]  # (placement id, day)


@dataclass
class GridRow:
    placement: Placement
    days: list[date]  # the placement's working days in this week
    marks: dict[date, AttendanceStatus] = field(default_factory=dict)


@dataclass
class AttendanceGrid:
    department: Department
    week: date
    days: list[date]
    rows: list[GridRow]

    @property
    def cells(self) -> set[Cell]:
        return {(row.placement.id, day) for row in self.rows for day in row.days}

    @property
    def working_days(self) -> set[date]:
        """The days someone in the grid works (the columns with something to record)."""
        return {day for row in self.rows for day in row.days}


def attendance_grid(department: Department, week: date) -> AttendanceGrid:
    """The department's recordable placements in the week starting ``week``, with their marks.
    Two statements: the placements with their doctors, then their marks with the week's days
    off."""
    last = week + timedelta(days=6)
    parameters = {"department_id": department.id, "first": week, "last": last}
    placements = db.session.scalars(_grid_placements(), parameters).all()
    parameters["hospital_id"] = department.hospital_id
    closed, marks = set(), []
    for placement_id, day, status in db.session.execute(_marks_and_days_off(), parameters):
        if placement_id is None:
            closed.add(day)
        else:
            marks.append((placement_id, day, status))
    weekdays = department.hospital.weekday_numbers
    rows = [
        GridRow(p, working_days(max(p.start_date, week), min(p.end_date, last), weekdays, closed))
        for p in placements
    ]
    by_id = {row.placement.id: row for row in rows}
    for placement_id, day, status in marks:
        if placement_id in by_id:
            by_id[placement_id].marks[day] = status
    days = [week + timedelta(days=n) for n in range(7)]
    return AttendanceGrid(department, week, days, rows)


def _recordable_at(department_id) -> tuple:
    """The department's placements whose attendance is recorded (confirmed or completed)."""
    return (
        Placement.department_id == department_id,
        Placement.status.in_(constant(PlacementStatus.FIXED)),
    )


def _in_grid():
    """The grid's placements: the department's recordable ones meeting ``first``..``last``."""
    return (
        *_recordable_at(bindparam("department_id")),
        Placement.start_date <= bindparam("last"),
        Placement.end_date >= bindparam("first"),
    )


@cache
def _grid_placements():
    """Built once (parameters ``department_id``, ``first``, ``last``): each placement with
    only what the grid shows of its doctor (their name), not their passport and contacts."""
    enrollment = joinedload(Placement.enrollment).load_only(
        Enrollment.doctor_id, Enrollment.cohort_id
    )
    doctor = enrollment.joinedload(Enrollment.doctor).load_only(
        Doctor.first_name, Doctor.last_name, Doctor.native_name
    )
    return (
        select(Placement)
        .where(*_in_grid())
        .options(doctor)
        .order_by(Placement.start_date, Placement.id)
    )


@cache
def _marks_and_days_off():
    """The marks of the grid's placements from ``first`` to ``last``, then the hospital's
    holidays and the department's closed days among those days (rows without a placement).
    Built once (parameters ``department_id``, ``hospital_id``, ``first``, ``last``)."""
    first, last = bindparam("first"), bindparam("last")
    no_placement, no_status = null().cast(Integer), null().cast(Attendance.status.type)
    return union_all(
        # Through the grid's placements (by department and end day), then their marks by
        # placement and day: no index leads from a day to every year's marks.
        select(Attendance.placement_id, Attendance.day, Attendance.status).where(
            Attendance.placement_id.in_(select(Placement.id).where(*_in_grid())),
            Attendance.day.between(first, last),
        ),
        select(no_placement, HospitalHoliday.day, no_status).where(
            HospitalHoliday.hospital_id == bindparam("hospital_id"),
            HospitalHoliday.day.between(first, last),
        ),
        select(no_placement, DepartmentClosure.day, no_status).where(
            DepartmentClosure.department_id == bindparam("department_id"),
            DepartmentClosure.day.between(first, last),
        ),
    )


def record_attendance(
    actor: User,
    department_id: int,
    week: date,
    marks: dict[Cell, AttendanceStatus | None],
    *,
    now: datetime | None = None,
) -> int:
    """Save the coordinator's marks for one department and week; returns how many changed.

    ``None`` clears a day. A placement outside the grid (another department or hospital) is
    not found; a day that is not one of the placement's working days, or still to come, is
    refused. Nothing is saved unless every mark is valid.
    """
    lock_for_write(db.session(), f"attendance:{department_id}")
    department = _department_of(actor, department_id)
    grid = attendance_grid(department, week)
    _check_marks(grid, marks, local_today(department.hospital.timezone, now or utcnow()))
    changes = _apply(grid, marks, actor)
    if changes:
        record_event(actor, "attendance.recorded", department, week=week, changes=changes)
    db.session.commit()
    return len(changes)


def record_all_present(
    actor: User,
    department_id: int,
    week: date,
    marks: dict[Cell, AttendanceStatus | None],
    *,
    day: date | None = None,
    placement_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """ "All present" for one day (a column) or one doctor (a row) of the week: the cells of
    ``marks`` left unmarked there, up to today, are saved present with the rest of ``marks``
    (an absence already given stays). Checked and audited as ``record_attendance``."""
    department = _department_of(actor, department_id)
    grid = attendance_grid(department, week)
    today = local_today(department.hospital.timezone, now or utcnow())
    given = {(row.placement.id, d): mark for row in grid.rows for d, mark in row.marks.items()}
    filled = fill_unmarked(
        sorted(grid.cells), {**given, **marks}, AttendanceStatus.PRESENT, today,
        day=day, placement_id=placement_id,
    )  # fmt: skip
    db.session.rollback()  # record_attendance locks first, then reads afresh
    return record_attendance(actor, department_id, week, filled, now=now)


def _department_of(actor: User, department_id: int) -> Department:
    if actor.role != Role.COORDINATOR:
        raise NotAllowed(_("Only the host hospital's coordinator records attendance."))
    department = db.session.scalars(
        select(Department)
        .where(Department.id == department_id, Department.hospital_id == actor.hospital_id)
        .options(joinedload(Department.hospital))
    ).first()
    if department is None:
        raise NotFound(_("There is no such department at your hospital."))
    return department


def _check_marks(grid: AttendanceGrid, marks: dict, today: date) -> None:
    placement_ids = {row.placement.id for row in grid.rows}
    elsewhere = {placement_id for placement_id, _day in marks} - placement_ids
    # A placement of this department outside the week only has the wrong day (the API names
    # any day); anything else is not this coordinator's to mark.
    placement_ids |= _recordable_in(grid.department, elsewhere)
    for placement_id, day in marks:
        if placement_id not in placement_ids:
            raise NotFound(_("There is no such placement in this department and week."))
        if (placement_id, day) not in grid.cells:
            raise ValidationFailed(
                _("%(day)s is not a working day of this placement.", day=f"{day:%d.%m.%Y}")
            )
        if day > today and marks[(placement_id, day)] is not None:
            raise ValidationFailed(
                _("Attendance for %(day)s cannot be recorded yet.", day=f"{day:%d.%m.%Y}")
            )


def _recordable_in(department: Department, placement_ids: set[int]) -> set[int]:
    if not placement_ids:
        return set()
    return set(
        db.session.scalars(
            select(Placement.id).where(
                Placement.id.in_(placement_ids), *_recordable_at(department.id)
            )
        )
    )


def _apply(grid: AttendanceGrid, marks: dict, actor: User) -> list[dict]:
    existing = {
        (a.placement_id, a.day): a
        for a in db.session.scalars(
            select(Attendance).where(Attendance.placement_id.in_({pid for pid, _ in marks}))
        )
    }
    changes = []
    for (placement_id, day), status in sorted(marks.items()):
        current = existing.get((placement_id, day))
        if (current.status if current else None) == status:
            continue
        if status is None:
            db.session.delete(current)
        elif current is None:
            db.session.add(
                Attendance(
                    placement_id=placement_id, day=day, status=status, recorded_by_id=actor.id
                )
            )
        else:
            current.status, current.recorded_by_id = status, actor.id
            current.recorded_at = utcnow()
        changes.append(
            {
                "placement": placement_id,
                "day": day.isoformat(),
                "status": status.value if status else None,
            }
        )
    return changes


def local_today(timezone: str, now: datetime) -> date:
    """Today in the hospital's time zone."""
    return now.astimezone(ZoneInfo(timezone)).date()
