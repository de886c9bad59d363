"""What the timeline and capacity pages show, loaded in a fixed number of queries.

Both pages depend on the number of doctors only through the size of their result sets: the
cohort, its hosts, its doctors, its placements and the departments are each one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from somet.extensions import db
from somet.models import (
    HOLDING_STATUSES,
    Cohort,
    CohortHost,
    Department,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Placement,
    PlacementStatus,
)
from somet.services.errors import NotFound

SHOWN_STATUSES = (PlacementStatus.PROPOSED, *HOLDING_STATUSES)


@dataclass
class Day:
    day: date
    off: bool  # no host hospital works that day (weekend or holiday everywhere)
    note: str = ""  # holidays and partial closures, for the column's tooltip


@dataclass
class Row:
    enrollment: Enrollment
    cells: list[Placement | None]
    starts: set[int] = field(default_factory=set)  # column indexes where a placement begins


@dataclass
class Timeline:
    cohort: Cohort
    days: list[Day]
    rows: list[Row]
    departments: list[Department]
    declined: list[Placement]
    counts: dict[PlacementStatus, int]


def department_colour(department_id: int) -> str:
    """A stable, distinguishable pastel colour per department."""
    return f"hsl({(department_id * 137) % 360}, 65%, 78%)"


def load_cohort(cohort_id: int) -> Cohort:
    cohort = db.session.scalars(
        select(Cohort)
        .where(Cohort.id == cohort_id)
        .options(
            selectinload(Cohort.hosts)
            .joinedload(CohortHost.hospital)
            .selectinload(Hospital.holidays)
        )
    ).first()
    if cohort is None:
        raise NotFound("There is no such cohort.")
    return cohort


def calendar_days(cohort: Cohort) -> list[Day]:
    hospitals = [h.hospital for h in cohort.hosts]
    days, day = [], cohort.start_date
    while day <= cohort.end_date:
        holidays = [
            f"{h.name}: {x.name or 'holiday'}"
            for h in hospitals
            for x in h.holidays
            if x.day == day
        ]
        working = [
            h
            for h in hospitals
            if day.weekday() in h.weekday_numbers and not any(x.day == day for x in h.holidays)
        ]
        days.append(Day(day=day, off=bool(hospitals) and not working, note="; ".join(holidays)))
        day += timedelta(days=1)
    return days


def cohort_timeline(cohort_id: int) -> Timeline:
    """Doctors × days of a cohort with their placements."""
    cohort = load_cohort(cohort_id)
    days = calendar_days(cohort)
    enrollments = db.session.scalars(
        select(Enrollment)
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .where(Enrollment.cohort_id == cohort_id, Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .options(contains_eager(Enrollment.doctor))
        .order_by(Doctor.last_name, Doctor.first_name, Enrollment.id)
    ).all()
    placements = _cohort_placements(cohort_id)
    rows = [_row(e, placements, days) for e in enrollments]
    shown = [p for p in placements if p.status in SHOWN_STATUSES]
    departments = sorted({p.department for p in shown}, key=lambda d: (d.hospital.name, d.name))
    counts = dict.fromkeys(PlacementStatus, 0)
    for placement in placements:
        counts[placement.status] += 1
    declined = [p for p in placements if p.status == PlacementStatus.DECLINED]
    return Timeline(cohort, days, rows, departments, declined, counts)


def _cohort_placements(cohort_id: int) -> list[Placement]:
    return list(
        db.session.scalars(
            select(Placement)
            .join(Enrollment, Placement.enrollment_id == Enrollment.id)
            .where(Enrollment.cohort_id == cohort_id)
            .options(
                joinedload(Placement.department).joinedload(Department.hospital),
                joinedload(Placement.curriculum_item),
                joinedload(Placement.enrollment).joinedload(Enrollment.doctor),
            )
            .order_by(Placement.start_date, Placement.id)
        )
    )


def _row(enrollment: Enrollment, placements: list[Placement], days: list[Day]) -> Row:
    row = Row(enrollment=enrollment, cells=[None] * len(days))
    for placement in placements:
        if placement.enrollment_id != enrollment.id or placement.status not in SHOWN_STATUSES:
            continue
        week = placement.department.hospital.weekday_numbers
        first = True
        for index, day in enumerate(days):
            if placement.start_date <= day.day <= placement.end_date and day.day.weekday() in week:
                row.cells[index] = placement
                if first:
                    row.starts.add(index)
                    first = False
    return row


@dataclass
class CapacityCell:
    used: int = 0
    proposed: int = 0
    capacity: int = 0
    closed: str = ""  # why the department does not host that day

    @property
    def level(self) -> str:
        if self.closed:
            return "closed"
        total = self.used + self.proposed
        if total > self.capacity:
            return "over"
        return "full" if total == self.capacity and total else "ok"


@dataclass
class CapacityView:
    cohort: Cohort
    days: list[Day]
    rows: list[tuple[Department, list[CapacityCell]]]


def cohort_capacity(cohort_id: int) -> CapacityView:
    """Per host department and day: places held (all cohorts) and proposed (this one)."""
    cohort = load_cohort(cohort_id)
    days = calendar_days(cohort)
    departments = _capacity_departments(cohort)
    use = db.session.execute(
        select(Placement.department_id, Placement.start_date, Placement.end_date, Placement.status)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(
            Placement.department_id.in_([d.id for d in departments]),
            Placement.start_date <= cohort.end_date,
            Placement.end_date >= cohort.start_date,
            or_(
                Placement.status.in_(HOLDING_STATUSES),
                (Placement.status == PlacementStatus.PROPOSED)
                & (Enrollment.cohort_id == cohort_id),
            ),
        )
    ).all()
    rows = [(d, [_cell(d, day, use) for day in days]) for d in departments]
    return CapacityView(cohort, days, rows)


def _capacity_departments(cohort: Cohort) -> list[Department]:
    hosts = [h.hospital_id for h in cohort.hosts]
    placed = (
        select(Placement.department_id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == cohort.id)
    )
    return list(
        db.session.scalars(
            select(Department)
            .where(
                or_(
                    Department.hospital_id.in_(hosts) & Department.active, Department.id.in_(placed)
                )
            )
            .options(
                selectinload(Department.closures),
                joinedload(Department.hospital).selectinload(Hospital.holidays),
            )
            .order_by(Department.hospital_id, Department.name)
        ).unique()
    )


def _cell(department: Department, day: Day, use) -> CapacityCell:
    cell = CapacityCell(capacity=department.capacity)
    hospital = department.hospital
    if day.day.weekday() not in hospital.weekday_numbers:
        cell.closed = "not a working day"
    cell.closed = cell.closed or next(
        (h.name or "holiday" for h in hospital.holidays if h.day == day.day), ""
    )
    cell.closed = cell.closed or next(
        (c.reason or "closed" for c in department.closures if c.day == day.day), ""
    )
    for department_id, start, end, status in use:
        if department_id == department.id and start <= day.day <= end:
            if status == PlacementStatus.PROPOSED:
                cell.proposed += 1
            else:
                cell.used += 1
    return cell
