"""What a coordinator's request page shows: its hospital's requests by department and week."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload

from somet.core.workdays import week_start
from somet.models import (
    Cohort,
    CurriculumItem,
    Department,
    Doctor,
    Enrollment,
    Hospital,
    Placement,
    PlacementStatus,
    User,
    constant,
)
from somet.requests.queries import waiting_count
from somet.web.extensions import db

RECENT_DECISIONS = 20
REQUESTS_PER_PAGE = 40


@dataclass
class RequestGroup:
    department: Department
    week_start: date
    placements: list[Placement] = field(default_factory=list)


def hospital_requests(
    user: User, page: int = 1
) -> tuple[Hospital, list[RequestGroup], list[Placement], Pagination]:
    """One page of the open requests of the coordinator's hospital, grouped by department and
    week, its latest decisions and the page's place among the pages (a page past the last one
    shows the last: answering the last requests of a page empties it)."""
    hospital = db.session.get(Hospital, user.hospital_id)
    at = {"hospital_id": hospital.id}
    open_requests = _RequestPage(page=page, at=at)
    if open_requests.pages and page > open_requests.pages:
        open_requests = _RequestPage(page=open_requests.pages, at=at)
    groups: dict[tuple[int, date], RequestGroup] = {}
    for placement in open_requests.items:
        week = week_start(placement.start_date, hospital.weekday_numbers)
        key = (placement.department_id, week)
        groups.setdefault(key, RequestGroup(placement.department, week)).placements.append(
            placement
        )
    decided = db.session.scalars(_recent_decisions(), at).unique()
    return hospital, list(groups.values()), list(decided), open_requests


def _at_hospital():
    """The placements at the hospital (parameter ``hospital_id``), with what the list shows."""
    return (
        select(Placement)
        .join(Department, Placement.department_id == Department.id)
        .where(Department.hospital_id == bindparam("hospital_id"))
        .options(*_list_options())
    )


# The open requests' order: by department, then first day.
_ORDER = (Department.name, Placement.start_date, Placement.id)


@cache
def _waiting_page():
    """One page of the open requests with their total on each row, built once (parameters
    ``hospital_id``, ``limit``, ``offset``): building it and its cache key, with its loader
    options, cost about as much as running it. The page's ids are chosen first, department
    by department along the open requests' (department, first day) index, and only those
    rows joined to their doctors: ordering the joined rows read every open request of
    every hospital (2.5 ms at 35,000 doctors instead of 0.4)."""
    page_ids = (
        select(Placement.id)
        .join(Department, Placement.department_id == Department.id)
        .where(
            Department.hospital_id == bindparam("hospital_id"),
            Placement.status == constant(PlacementStatus.REQUESTED),
        )
        .order_by(*_ORDER)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .correlate(None)
    )
    return (
        _at_hospital()
        .where(Placement.id.in_(page_ids.scalar_subquery()))
        .order_by(*_ORDER)
        .add_columns(_waiting_total())
    )


@cache
def _waiting_total():
    return waiting_count(bindparam("hospital_id"))


@cache
def _recent_decisions():
    """The hospital's latest answers, built once (parameter ``hospital_id``)."""
    return (
        _at_hospital()
        .where(
            Placement.status.in_(constant((PlacementStatus.CONFIRMED, PlacementStatus.DECLINED)))
        )
        .where(Placement.decided_at.is_not(None))
        .order_by(Placement.decided_at.desc())
        .limit(RECENT_DECISIONS)
    )


def _list_options():
    """What the list shows of each request: the department comes from the join that filters
    by hospital (a second join of it, and of its hospital, only made each page slower to
    plan: the page's hospital is the coordinator's own)."""
    # Only the columns the rows show of the doctor, cohort and rotation (raising on any other,
    # so a new one is added here, not loaded a row at a time).
    enrollment = joinedload(Placement.enrollment).load_only(
        Enrollment.doctor_id, Enrollment.cohort_id, raiseload=True
    )
    return (
        contains_eager(Placement.department),
        enrollment.joinedload(Enrollment.doctor).load_only(
            Doctor.first_name,
            Doctor.last_name,
            Doctor.native_name,
            Doctor.specialty,
            Doctor.home_institution,
            raiseload=True,
        ),
        enrollment.joinedload(Enrollment.cohort).load_only(Cohort.name, raiseload=True),
        joinedload(Placement.curriculum_item).load_only(CurriculumItem.name, raiseload=True),
    )


class _RequestPage(Pagination):
    """A page of open requests that reads their total in the same statement (a scalar
    subquery on each row), not in a ``count(*)`` of its own: one statement less per page."""

    def __init__(self, *, page: int, at: dict):
        self._counted: int | None = None
        super().__init__(page=page, per_page=REQUESTS_PER_PAGE, error_out=False, at=at)

    def _query_items(self) -> list[Placement]:
        window = {"limit": self.per_page, "offset": self._query_offset}
        rows = db.session.execute(_waiting_page(), {**self._query_args["at"], **window}).all()
        if rows:
            self._counted = rows[0][1]
        return [placement for placement, _ in rows]

    def _query_count(self) -> int:
        if self._counted is not None:
            return self._counted
        if self.page == 1:
            return 0  # nothing on the first page: nothing at all
        # A page past the last (its requests just answered): the total says where the last is.
        return db.session.scalar(select(_waiting_total()), self._query_args["at"])


@dataclass
class DepartmentRequests:
    """A department's open requests, week by week (one card, one "select all")."""

    department: Department
    weeks: list[RequestGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(week.placements) for week in self.weeks)


def by_department(groups: list[RequestGroup]) -> list[DepartmentRequests]:
    """``hospital_requests``' groups gathered per department, in the order they came."""
    departments: dict[int, DepartmentRequests] = {}
    for group in groups:
        departments.setdefault(
            group.department.id, DepartmentRequests(group.department)
        ).weeks.append(group)
    return list(departments.values())
