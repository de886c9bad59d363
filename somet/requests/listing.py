"""What a coordinator's request page shows: its hospital's requests by department and week.

The rows are read as plain rows of the columns the page shows, not as placements with their
enrollment, doctor, cohort, rotation and department objects: building those six objects a
row cost more than the page's statements themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, select

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


@dataclass(frozen=True)
class RequestDoctor:
    """What a row shows of the requested doctor (their name is written by ``person_name``)."""

    first_name: str
    last_name: str
    native_name: str | None
    specialty: str | None
    home_institution: str | None


@dataclass(frozen=True)
class Ward:
    """The department a group of requests is for."""

    id: int
    name: str
    capacity: int


@dataclass(frozen=True)
class OpenRequest:
    """A request waiting for the coordinator's answer, as its row shows it."""

    id: int
    department_id: int
    start_date: date
    end_date: date
    doctor: RequestDoctor
    rotation: str
    cohort: str


@dataclass(frozen=True)
class Answer:
    """One of the hospital's latest answers, as the answered list shows it."""

    id: int
    doctor: RequestDoctor
    department: str
    start_date: date
    end_date: date
    status: PlacementStatus
    decided_at: datetime
    decided_by_name: str | None
    decline_reason: str | None


@dataclass
class RequestGroup:
    department: Ward
    week_start: date
    placements: list[OpenRequest] = field(default_factory=list)


def hospital_requests(
    user: User, page: int = 1
) -> tuple[Hospital, list[RequestGroup], list[Answer], Pagination]:
    """One page of the open requests of the coordinator's hospital, grouped by department and
    week, its latest decisions and the page's place among the pages (a page past the last one
    shows the last: answering the last requests of a page empties it)."""
    hospital = db.session.get(Hospital, user.hospital_id)
    at = {"hospital_id": hospital.id}
    open_requests = _RequestPage(page=page, at=at)
    if open_requests.pages and page > open_requests.pages:
        open_requests = _RequestPage(page=open_requests.pages, at=at)
    groups: dict[tuple[int, date], RequestGroup] = {}
    for request, ward in open_requests.items:
        week = week_start(request.start_date, hospital.weekday_numbers)
        key = (request.department_id, week)
        groups.setdefault(key, RequestGroup(ward, week)).placements.append(request)
    decided = [
        Answer(row.id, RequestDoctor(*row[1:6]), *row[6:])
        for row in db.session.execute(_recent_decisions(), at)
    ]
    return hospital, list(groups.values()), decided, open_requests


# The open requests' order: by department, then first day.
_ORDER = (Department.name, Placement.start_date, Placement.id)
_DOCTOR = (
    Doctor.first_name,
    Doctor.last_name,
    Doctor.native_name,
    Doctor.specialty,
    Doctor.home_institution,
)


def _at_hospital(*columns):
    """``columns`` of the placements at the hospital (parameter ``hospital_id``), each with
    its doctor's and department's (the department from the join that filters by hospital)."""
    return (
        select(Placement.id, *_DOCTOR, *columns)
        .join(Department, Placement.department_id == Department.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .where(Department.hospital_id == bindparam("hospital_id"))
    )


@cache
def _waiting_page():
    """One page of the open requests with their total on each row, built once (parameters
    ``hospital_id``, ``limit``, ``offset``): building it and its cache key cost about as
    much as running it. The page's ids are chosen first, department by department along the
    open requests' (department, first day) index, and only those rows joined to their
    doctors: ordering the joined rows read every open request of every hospital (2.5 ms at
    35,000 doctors instead of 0.4)."""
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
        _at_hospital(
            CurriculumItem.name,
            Cohort.name,
            Placement.department_id,
            Placement.start_date,
            Placement.end_date,
            Department.name,
            Department.capacity,
            _waiting_total(),
        )
        .join(CurriculumItem, Placement.curriculum_item_id == CurriculumItem.id)
        .join(Cohort, Enrollment.cohort_id == Cohort.id)
        .where(Placement.id.in_(page_ids.scalar_subquery()))
        .order_by(*_ORDER)
    )


@cache
def _waiting_total():
    return waiting_count(bindparam("hospital_id"))


@cache
def _recent_decisions():
    """The hospital's latest answers, built once (parameter ``hospital_id``)."""
    return (
        _at_hospital(
            Department.name,
            Placement.start_date,
            Placement.end_date,
            Placement.status,
            Placement.decided_at,
            Placement.decided_by_name,
            Placement.decline_reason,
        )
        .where(
            Placement.status.in_(constant((PlacementStatus.CONFIRMED, PlacementStatus.DECLINED)))
        )
        .where(Placement.decided_at.is_not(None))
        .order_by(Placement.decided_at.desc())
        .limit(RECENT_DECISIONS)
    )


class _RequestPage(Pagination):
    """A page of open requests (with their departments) that reads their total in the same
    statement (a scalar subquery on each row), not in a ``count(*)`` of its own: one
    statement less per page."""

    def __init__(self, *, page: int, at: dict):
        self._counted: int | None = None
        super().__init__(page=page, per_page=REQUESTS_PER_PAGE, error_out=False, at=at)

    def _query_items(self) -> list[tuple[OpenRequest, Ward]]:
        window = {"limit": self.per_page, "offset": self._query_offset}
        rows = db.session.execute(_waiting_page(), {**self._query_args["at"], **window}).all()
        if rows:
            self._counted = rows[0][-1]
        wards: dict[int, Ward] = {}
        items = []
        for row in rows:
            (placement_id, *doctor, rotation, cohort, department_id, start, end) = row[:-3]
            ward = wards.setdefault(department_id, Ward(department_id, *row[-3:-1]))
            request = OpenRequest(
                placement_id, department_id, start, end, RequestDoctor(*doctor), rotation, cohort
            )
            items.append((request, ward))
        return items

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

    department: Ward
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
