"""What other pages read about hosts' calendars: holidays and closures on the days shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import bindparam, literal, select, union_all

from somet.models import Department, DepartmentClosure, HospitalHoliday
from somet.web.extensions import db


@dataclass
class ClosedDays:
    """Holidays per (hospital id, day) and closures per (department id, day), with their
    names: looked up in a dict per cell instead of scanning every year's list."""

    holidays: dict[tuple[int, date], str] = field(default_factory=dict)
    closures: dict[tuple[int, date], str] = field(default_factory=dict)

    def reason(self, department: Department, day: date) -> str:
        """Why ``department`` does not host on ``day`` (a holiday first), or ""."""
        holiday = self.holidays.get((department.hospital_id, day))
        if holiday is not None:
            return holiday or "holiday"
        closure = self.closures.get((department.id, day))
        return "" if closure is None else closure or "closed"

    def days_of(self, department: Department) -> set[date]:
        """Every closed day of ``department`` in the range loaded."""
        return {d for (h, d) in self.holidays if h == department.hospital_id} | {
            d for (k, d) in self.closures if k == department.id
        }


def closed_days(departments: list[Department], start: date, end: date) -> ClosedDays:
    """Holidays of the departments' hospitals and the departments' closures between ``start``
    and ``end``: one statement, only the days shown, whatever years of history are stored."""
    closed = ClosedDays()
    if not departments:
        return closed
    at = {
        "hospital_ids": sorted({d.hospital_id for d in departments}),
        "department_ids": sorted({d.id for d in departments}),
        "start": start,
        "end": end,
    }
    for kind, owner, day, why in db.session.execute(_closed_days_statement(), at):
        (closed.holidays if kind == "h" else closed.closures)[(owner, day)] = why or ""
    return closed


@cache
def _closed_days_statement():
    """Built once (parameters ``hospital_ids``, ``department_ids``, ``start``, ``end``): the
    capacity view, the overview's readiness and the plan read it on every visit."""
    start, end = bindparam("start"), bindparam("end")
    holidays = select(
        literal("h").label("kind"), HospitalHoliday.hospital_id.label("owner"),
        HospitalHoliday.day, HospitalHoliday.name.label("why"),
    ).where(
        HospitalHoliday.hospital_id.in_(bindparam("hospital_ids", expanding=True)),
        HospitalHoliday.day.between(start, end),
    )  # fmt: skip
    closures = select(
        literal("c").label("kind"), DepartmentClosure.department_id.label("owner"),
        DepartmentClosure.day, DepartmentClosure.reason.label("why"),
    ).where(
        DepartmentClosure.department_id.in_(bindparam("department_ids", expanding=True)),
        DepartmentClosure.day.between(start, end),
    )  # fmt: skip
    return union_all(holidays, closures)


def holidays_from(hospital_id: int, since: date | None) -> list[HospitalHoliday]:
    """The hospital's holidays by day, from ``since`` on (every year's when None)."""
    query = select(HospitalHoliday).where(HospitalHoliday.hospital_id == hospital_id)
    if since is not None:
        query = query.where(HospitalHoliday.day >= since)
    return list(db.session.scalars(query.order_by(HospitalHoliday.day)))


def closures_from(department_id: int, since: date | None) -> list[DepartmentClosure]:
    """The department's closed days by day, from ``since`` on (every year's when None)."""
    query = select(DepartmentClosure).where(DepartmentClosure.department_id == department_id)
    if since is not None:
        query = query.where(DepartmentClosure.day >= since)
    return list(db.session.scalars(query.order_by(DepartmentClosure.day)))
