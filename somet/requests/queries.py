"""What a coordinator's request page shows: its hospital's requests by department and week."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, bindparam, exists, func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from somet.core.workdays import week_start
from somet.models import (
    Cohort,
    CohortStatus,
    CurriculumItem,
    Department,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Placement,
    PlacementStatus,
    User,
    constant,
)
from somet.requests import rules
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


@cache
def _waiting_page():
    """One page of the open requests with their total on each row, built once (parameters
    ``hospital_id``, ``limit``, ``offset``): building it and its cache key, with its loader
    options, cost about as much as running it."""
    return (
        _at_hospital()
        .where(Placement.status == constant(PlacementStatus.REQUESTED))
        .order_by(Department.name, Placement.start_date, Placement.id)
        .add_columns(_waiting_total())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
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


# --- work queues (home pages): one statement each, oldest first ----------------------------


@dataclass(frozen=True)
class WaitingRequests:
    """Requests sent to one host (one hospital or department) for one cohort, unanswered."""

    hospital_id: int
    hospital_name: str
    department_id: int | None  # grouped by department on a coordinator's home
    department_name: str | None
    cohort_id: int
    cohort_name: str
    count: int
    oldest: datetime | None
    reminder: str | None  # rules.FIRST_STAGE / SECOND_STAGE / None
    days_waiting: int


def waiting_on_hosts(now: datetime, hospital_id: int | None = None) -> list[WaitingRequests]:
    """Unanswered requests by hospital and cohort (by department at one hospital), oldest first."""
    per_department = hospital_id is not None
    rows = db.session.execute(_waiting_on_hosts(per_department), {"hospital_id": hospital_id})
    return [_waiting(row, per_department, now) for row in rows]


@cache
def _waiting_on_hosts(per_department: bool):
    """Built once (parameter ``hospital_id`` when ``per_department``): a coordinator's home
    runs it on every visit."""
    keys = [Hospital.id, Hospital.name, Cohort.id, Cohort.name]
    if per_department:
        keys += [Department.id, Department.name]
    statement = (
        _requested(*keys, func.count(Placement.id), func.min(Placement.requested_at))
        .group_by(*keys)
        .order_by(func.min(Placement.requested_at), Hospital.name, Cohort.name)
    )
    if per_department:
        statement = statement.where(Hospital.id == bindparam("hospital_id"))
    return statement


def waiting_on_hosts_rows():
    """``waiting_on_hosts`` (by hospital) as rows of the director's queue statement, by name:
    ``hospital_id``, ``hospital_name``, ``cohort_id``, ``cohort_name``, ``items``, ``since``
    (the oldest request) and ``position`` (the row's place in that list's order)."""
    keys = (Hospital.id, Hospital.name, Cohort.id, Cohort.name)
    oldest = func.min(Placement.requested_at)
    return _requested(
        Hospital.id.label("hospital_id"),
        Hospital.name.label("hospital_name"),
        Cohort.id.label("cohort_id"),
        Cohort.name.label("cohort_name"),
        func.count(Placement.id).label("items"),
        oldest.label("since"),
        func.row_number().over(order_by=(oldest, Hospital.name, Cohort.name)).label("position"),
    ).group_by(*keys)


def _requested(*columns) -> Select:
    """``columns`` of the requests still waiting on their hosts, with each request's
    department, hospital, enrollment and cohort joined."""
    return (
        select(*columns)
        .select_from(Placement)
        .join(Department, Placement.department_id == Department.id)
        .join(Hospital, Department.hospital_id == Hospital.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Cohort, Enrollment.cohort_id == Cohort.id)
        .where(Placement.status == constant(PlacementStatus.REQUESTED))
    )


def waiting_from(
    hospital: tuple[int, str], cohort: tuple[int, str], count: int, oldest, now: datetime
) -> WaitingRequests:
    """A row of ``waiting_on_hosts_rows``, as ``waiting_on_hosts`` gives it."""
    return _waiting((*hospital, *cohort, count, oldest), False, now)


def _waiting(row, by_department: bool, now: datetime) -> WaitingRequests:
    oldest = row[-1]
    return WaitingRequests(
        hospital_id=row[0],
        hospital_name=row[1],
        department_id=row[4] if by_department else None,
        department_name=row[5] if by_department else None,
        cohort_id=row[2],
        cohort_name=row[3],
        count=row[-2],
        oldest=oldest,
        reminder=rules.reminder_stage(oldest, now),
        days_waiting=(now - oldest).days if oldest else 0,
    )


@dataclass(frozen=True)
class CohortPlacements:
    """How many of a cohort's placements are in one state, and since when (the oldest)."""

    cohort_id: int
    cohort_name: str
    count: int
    since: datetime | None


def _of_live_cohorts(statement, condition):
    """``statement`` over placements of doctors still in a cohort that is not over."""
    return (
        statement.select_from(Placement)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Cohort, Enrollment.cohort_id == Cohort.id)
        .where(
            condition,
            Enrollment.status != constant(EnrollmentStatus.WITHDRAWN),
            Cohort.status.not_in(constant(CohortStatus.FINISHED)),
        )
    )


def _by_cohort(condition, since) -> list[CohortPlacements]:
    keys = (Cohort.id, Cohort.name)
    statement = select(*keys, func.count(Placement.id), func.min(since))
    rows = db.session.execute(
        _of_live_cohorts(statement, condition)
        .group_by(*keys)
        .order_by(func.min(since), Cohort.name)
    )
    return [CohortPlacements(*row) for row in rows]


def _by_cohort_rows(condition, since):
    """``_by_cohort`` as rows of the director's queue statement, by name: ``cohort_id``,
    ``cohort_name``, ``items``, ``since`` (the oldest) and ``position`` (the row's place in
    that list's order)."""
    keys = (Cohort.id, Cohort.name)
    oldest = func.min(since)
    statement = select(
        Cohort.id.label("cohort_id"),
        Cohort.name.label("cohort_name"),
        func.count(Placement.id).label("items"),
        oldest.label("since"),
        func.row_number().over(order_by=(oldest, Cohort.name)).label("position"),
    )
    return _of_live_cohorts(statement, condition).group_by(*keys)


def declines_to_replan_rows():
    """``declines_to_replan`` as rows of one statement (see ``_by_cohort_rows``)."""
    return _by_cohort_rows(_unreplaced_decline(), Placement.decided_at)


def plans_ready_to_send_rows():
    """``plans_ready_to_send`` as rows of one statement (see ``_by_cohort_rows``)."""
    return _by_cohort_rows(_planned(), Placement.created_at)


def _count_of(condition):
    """The number of placements meeting ``condition``, as a column for a badge statement."""
    return _of_live_cohorts(select(func.count(Placement.id)), condition).scalar_subquery()


def declines_to_replan() -> list[CohortPlacements]:
    """Declined placements not yet replaced by another for the same doctor and rotation."""
    return _by_cohort(_unreplaced_decline(), Placement.decided_at)


def declines_to_replan_count():
    """How many declined placements wait to be re-planned (a scalar subquery)."""
    return _count_of(_unreplaced_decline())


# Another placement of the same doctor: an alias is costly to build, and this one never changes.
_OTHER_PLACEMENT = aliased(Placement)


def _unreplaced_decline():
    other = _OTHER_PLACEMENT
    replaced = exists().where(
        and_(
            other.enrollment_id == Placement.enrollment_id,
            other.curriculum_item_id == Placement.curriculum_item_id,
            other.status.in_(constant(PlacementStatus.STANDING)),
        )
    )
    return and_(Placement.status == constant(PlacementStatus.DECLINED), ~replaced)


def plans_ready_to_send() -> list[CohortPlacements]:
    """Cohorts with planned placements not yet sent to their hosts."""
    return _by_cohort(_planned(), Placement.created_at)


def _planned():
    return Placement.status == constant(PlacementStatus.PROPOSED)


def unsent_count():
    """How many planned placements wait to be sent (a scalar subquery)."""
    return _count_of(_planned())


def waiting_count(hospital_id: int | None = None):
    """How many requests wait for an answer (at one hospital), as a scalar subquery."""
    statement = select(func.count(Placement.id)).where(
        Placement.status == constant(PlacementStatus.REQUESTED)
    )
    if hospital_id is not None:
        statement = statement.join(Department, Placement.department_id == Department.id).where(
            Department.hospital_id == hospital_id
        )
    return statement.scalar_subquery()
