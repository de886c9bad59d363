"""Reading the host's visiting doctors: the visits to a hospital, this year's or a past
year's, as its coordinator sees them (no passport or ids)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, select

from somet.models import (
    Cohort,
    CohortHost,
    Department,
    Doctor,
    Enrollment,
    Placement,
    PlacementStatus,
    constant,
)
from somet.portal.queries import visits_to
from somet.web.extensions import db


@dataclass(frozen=True)
class Visitor:
    """One visit (a doctor in one cohort) as a host coordinator sees it: no passport or ids."""

    doctor_id: int
    name: str
    native_name: str | None
    specialty: str | None
    home_institution: str | None
    email: str | None
    phone: str | None
    first_day: date
    last_day: date
    department_count: int
    a_department: str  # the department's name when there is one


# A page of the visitors list: a busy host has hundreds of visitors at a time.
VISITORS_PER_PAGE = 30


@dataclass(frozen=True)
class VisitorPage:
    """A page of the visitors list. No total: counting them would read every visit again."""

    items: list[Visitor]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def visitors_at(
    hospital_id: int, today: date, year: int | None = None, page: int = 1
) -> VisitorPage:
    """Page ``page`` of the visits to the hospital (requested, confirmed or completed
    placements): those not over by ``today``, or with ``year`` those of the cohorts that began
    that year. One statement, reading the visits it shows, not every year of them.

    Named columns only, so sensitive fields never leave the database.
    """
    page = max(page, 1)
    if year is None:
        statement, parameters = _current_visits(), {"today": today}
    else:
        statement = _visits_of_a_year()
        parameters = {"first": date(year, 1, 1), "last": date(year, 12, 31)}
    window = {"limit": VISITORS_PER_PAGE + 1, "offset": (page - 1) * VISITORS_PER_PAGE}
    rows = db.session.execute(statement, {"hospital_id": hospital_id, **parameters, **window})
    visitors = [
        Visitor(doctor_id, f"{first} {last}", *details) for doctor_id, first, last, *details in rows
    ]
    return VisitorPage(visitors[:VISITORS_PER_PAGE], page, len(visitors) > VISITORS_PER_PAGE)


def _paged(statement):
    return statement.limit(bindparam("limit")).offset(bindparam("offset"))


def _visits():
    return (
        visits_to(
            bindparam("hospital_id"),
            Doctor.id,
            Doctor.first_name,
            Doctor.last_name,
            Doctor.native_name,
            Doctor.specialty,
            Doctor.home_institution,
            Doctor.email,
            Doctor.phone,
            func.min(Placement.start_date),
            func.max(Placement.end_date),
            func.count(func.distinct(Department.id)),
            func.min(Department.name),
        )
        .where(Placement.status.in_(constant(PlacementStatus.HOLDING)))
        .group_by(Enrollment.id, Doctor.id)
    )


@functools.cache
def _current_visits():
    """Built once (parameters ``hospital_id``, ``today``, ``limit``, ``offset``)."""
    today = bindparam("today")
    # The visits with a stay here not over by today, found first through the departments'
    # end-date index (a few hundred stays at a busy host), not by reading every placement of
    # every running cohort at every host; each such visit is then read whole.
    not_over = (
        select(Placement.enrollment_id)
        .where(
            Placement.department_id.in_(
                select(Department.id).where(Department.hospital_id == bindparam("hospital_id"))
            ),
            Placement.status.in_(constant(PlacementStatus.HOLDING)),
            Placement.end_date.between(today, date.max),
        )
        .distinct()
        .cte("not_over")
        .prefix_with("MATERIALIZED")
    )
    return _paged(
        _visits()
        .join(not_over, not_over.c.enrollment_id == Enrollment.id)
        # A range (its end open: date.max), so a prepared plan expects the few cohorts still
        # running, not a third of every year's: PostgreSQL then keeps it.
        .where(Cohort.end_date.between(today, date.max))
        .order_by(
            func.min(Placement.start_date), Doctor.last_name, Doctor.first_name, Enrollment.id
        )
    )


@functools.cache
def _visits_of_a_year():
    """Built once (parameters ``hospital_id``, ``first`` and ``last`` day of the year,
    ``limit``, ``offset``)."""
    return _paged(
        _visits()
        .where(Cohort.start_date.between(bindparam("first"), bindparam("last")))
        .order_by(func.min(Placement.start_date).desc(), Doctor.last_name, Enrollment.id)
    )


def visit_years(hospital_id: int, today: date) -> list[int]:
    """The years, newest first, in which cohorts hosted by the hospital began (up to today)."""
    year = func.extract("year", Cohort.start_date)
    rows = db.session.scalars(
        select(year)
        .join(CohortHost, CohortHost.cohort_id == Cohort.id)
        .where(CohortHost.hospital_id == hospital_id, Cohort.start_date <= today)
        .group_by(year)
        .order_by(year.desc())
    )
    return [int(y) for y in rows]
