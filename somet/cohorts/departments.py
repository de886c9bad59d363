"""The departments of a cohort's host hospitals as plain rows: what the curriculum pages show
of them and what the readiness rules need (loading them as objects, with their hospitals,
cost more than the statement itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import groupby

from sqlalchemy import Date, and_, bindparam, select

from somet.cohorts.rules.readiness import DepartmentInfo
from somet.core.workdays import parse_weekdays
from somet.models import (
    Cohort,
    CohortHost,
    Department,
    DepartmentClosure,
    Hospital,
    HospitalHoliday,
)
from somet.web.extensions import db


@dataclass(frozen=True, slots=True)
class HostHospital:
    name: str
    working_weekdays: str
    active: bool

    @property
    def weekday_numbers(self) -> list[int]:
        return list(parse_weekdays(self.working_weekdays))


@dataclass(frozen=True, slots=True)
class HostDepartment:
    """A host department with its hospital, as the curriculum pages and forms read it."""

    id: int
    hospital_id: int
    name: str
    specialty: str
    capacity: int
    active: bool
    hospital: HostHospital


def host_departments(cohort_id: int) -> list[HostDepartment]:
    """Departments of the cohort's host hospitals by hospital, then name: one statement."""
    rows = db.session.execute(_host_departments_statement(), {"cohort_id": cohort_id})
    return [_department(row) for row in rows]


def cohort_with_departments(cohort_id: int) -> tuple[Cohort, list[HostDepartment]] | None:
    """The cohort and ``host_departments`` of it, in one statement (None: no such cohort)."""
    rows = db.session.execute(_cohort_statement(), {"cohort_id": cohort_id}).all()
    if not rows:
        return None
    return rows[0][0], [_department(row[1:]) for row in rows if row[1] is not None]


def plan_departments(cohort_id: int, start: date, end: date) -> tuple[DepartmentInfo, ...]:
    """The host departments as the readiness rules see them, each with its hospital's
    holidays and its own closures between ``start`` and ``end``: one statement of plain
    rows (the closed days ride on their department's rows), whatever years are stored."""
    at = {"cohort_id": cohort_id, "start": start, "end": end}
    found = []
    for _id, group in groupby(db.session.execute(_plan_statement(), at), key=lambda r: r[0]):
        group = list(group)
        department = _department(group[0])
        hospital = department.hospital
        found.append(
            DepartmentInfo(
                id=department.id,
                name=f"{department.name} ({hospital.name})",
                specialty=department.specialty,
                capacity=department.capacity,
                working_weekdays=tuple(hospital.weekday_numbers),
                closed=frozenset(day for row in group for day in row[9:] if day is not None),
                active=department.active and hospital.active,
            )
        )
    return tuple(found)


# A department's columns, in HostDepartment's order, its hospital's last.
_COLUMNS = (
    Department.id,
    Department.hospital_id,
    Department.name,
    Department.specialty,
    Department.capacity,
    Department.active,
    Hospital.name,
    Hospital.working_weekdays,
    Hospital.active,
)
_ORDER = (Department.hospital_id, Department.name, Department.id)


def _department(row) -> HostDepartment:
    return HostDepartment(*row[:6], HostHospital(*row[6:9]))


@cache
def _host_departments_statement():
    """Built once (parameter ``cohort_id``): every curriculum page reads it."""
    return (
        select(*_COLUMNS)
        .join(CohortHost, CohortHost.hospital_id == Department.hospital_id)
        .join(Hospital, Hospital.id == Department.hospital_id)
        .where(CohortHost.cohort_id == bindparam("cohort_id"))
        .order_by(*_ORDER)
    )


@cache
def _cohort_statement():
    """Built once (parameter ``cohort_id``): the cohort on each row, its departments after."""
    return (
        select(Cohort, *_COLUMNS)
        .outerjoin(CohortHost, CohortHost.cohort_id == Cohort.id)
        .outerjoin(Department, Department.hospital_id == CohortHost.hospital_id)
        .outerjoin(Hospital, Hospital.id == Department.hospital_id)
        .where(Cohort.id == bindparam("cohort_id"))
        .order_by(*_ORDER)
    )


@cache
def _plan_statement():
    """Built once (parameters ``cohort_id``, ``start``, ``end``). A department's row repeats
    for each pair of its hospital's holidays and its closures in the window (a handful)."""
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    return (
        select(*_COLUMNS, HospitalHoliday.day, DepartmentClosure.day)
        .join(CohortHost, CohortHost.hospital_id == Department.hospital_id)
        .join(Hospital, Hospital.id == Department.hospital_id)
        .outerjoin(
            HospitalHoliday,
            and_(
                HospitalHoliday.hospital_id == Department.hospital_id,
                HospitalHoliday.day.between(start, end),
            ),
        )
        .outerjoin(
            DepartmentClosure,
            and_(
                DepartmentClosure.department_id == Department.id,
                DepartmentClosure.day.between(start, end),
            ),
        )
        .where(CohortHost.cohort_id == bindparam("cohort_id"))
        .order_by(*_ORDER)
    )
