"""What other features read about requests: the home pages' work queues (what waits on the
hosts, declines to re-plan, plans ready to send), one statement each, oldest first, and the
badges' counts. The coordinator's own request page reads ``listing``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, and_, bindparam, cast, exists, func, select
from sqlalchemy.orm import aliased

from somet.models import (
    Cohort,
    CohortStatus,
    CurriculumItem,
    Department,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Placement,
    PlacementStatus,
    constant,
)
from somet.requests import rules
from somet.web.extensions import db


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


@dataclass(frozen=True)
class WaitingAtHospital:
    """The oldest groups of a hospital's unanswered requests, and how many there are in all."""

    groups: list[WaitingRequests]
    requests: int  # every unanswered request at the hospital
    all_groups: int  # every group (department × cohort), shown or not


def waiting_on_hosts(now: datetime, hospital_id: int, shown: int) -> WaitingAtHospital:
    """A hospital's unanswered requests by department and cohort, oldest first: the ``shown``
    oldest groups, with the counts of all. One statement (the counts ride on its rows)."""
    at = {"hospital_id": hospital_id, "shown": shown}
    rows = db.session.execute(_waiting_on_hosts(), at).all()
    if not rows:
        return WaitingAtHospital([], 0, 0)
    groups = [_waiting(row[:-2], True, now) for row in rows]
    return WaitingAtHospital(groups, requests=rows[0][-1], all_groups=rows[0][-2])


@cache
def _waiting_on_hosts():
    """Built once (parameters ``hospital_id``, ``shown``): a coordinator's home runs it on
    every visit. Rows: hospital id and name, cohort id and name, department id and name,
    count, oldest request, then the groups and requests in all."""
    groups = _waiting_groups(per_department=True)
    keys = [groups.c.hospital_id, Hospital.name, groups.c.cohort_id, _cohort_name(groups)]
    keys += [groups.c.department_id, Department.name]
    counts = [func.count().over(), cast(func.sum(groups.c["items"]).over(), Integer)]
    statement = _named(select(*keys, groups.c["items"], groups.c.since, *counts), groups, True)
    return statement.order_by(
        groups.c.since, Hospital.name, _cohort_name(groups), Department.name
    ).limit(bindparam("shown"))


def waiting_on_hosts_rows():
    """``waiting_on_hosts`` (by hospital) as rows of the director's queue statement, by name:
    ``hospital_id``, ``hospital_name``, ``cohort_id``, ``cohort_name``, ``items``, ``since``
    (the oldest request), ``position`` (the row's place in that list's order), ``groups`` and
    ``total`` (how many rows and requests the whole list has)."""
    groups = _waiting_groups(per_department=False)
    cohort_name = _cohort_name(groups)
    order = (groups.c.since, Hospital.name, cohort_name)
    return _named(
        select(
            groups.c.hospital_id,
            Hospital.name.label("hospital_name"),
            groups.c.cohort_id,
            cohort_name.label("cohort_name"),
            groups.c["items"],
            groups.c.since,
            func.row_number().over(order_by=order).label("position"),
            # How many groups and requests in all: the home shows only the oldest groups.
            func.count().over().label("groups"),
            cast(func.sum(groups.c["items"]).over(), Integer).label("total"),
        ),
        groups,
        per_department=False,
    )


def _waiting_groups(per_department: bool):
    """The waiting requests counted by hospital and cohort (and department), with the oldest:
    first by department and rotation straight from the waiting requests' own index (a few
    hundred groups at a large centre), then each group's hospital and cohort looked up, not
    each request joined to its enrollment. A rotation is of its doctor's cohort (planning
    places a cohort's doctors only in its own curriculum's rotations)."""
    waiting = Placement.status == constant(PlacementStatus.REQUESTED)
    if per_department:
        at_hospital = select(Department.id).where(
            Department.hospital_id == bindparam("hospital_id")
        )
        waiting = and_(waiting, Placement.department_id.in_(at_hospital))
    by_rotation = (
        select(
            Placement.department_id,
            Placement.curriculum_item_id,
            func.count().label("items"),  # not of a column: read from the index alone
            func.min(Placement.requested_at).label("since"),
        )
        .where(waiting)
        .group_by(Placement.department_id, Placement.curriculum_item_id)
        .subquery("by_rotation")
    )
    cohort_id = (
        select(CurriculumItem.cohort_id)
        .where(CurriculumItem.id == by_rotation.c.curriculum_item_id)
        .scalar_subquery()
    )
    keys = [Department.hospital_id.label("hospital_id"), cohort_id.label("cohort_id")]
    if per_department:
        keys.append(Department.id.label("department_id"))
    of_rotations = (
        select(*keys, by_rotation.c["items"], by_rotation.c.since)
        .join_from(by_rotation, Department, Department.id == by_rotation.c.department_id)
        .subquery("of_rotations")
    )
    grouped = [c for c in of_rotations.c if c.name not in ("items", "since")]
    return (
        select(
            *grouped,
            cast(func.sum(of_rotations.c["items"]), Integer).label("items"),
            func.min(of_rotations.c.since).label("since"),
        )
        .group_by(*grouped)
        .subquery("waiting_groups")
    )


def _cohort_name(groups):
    """The group's cohort name, looked up by id (one row each, not a join of every cohort)."""
    return select(Cohort.name).where(Cohort.id == groups.c.cohort_id).scalar_subquery()


def _named(statement, groups, per_department: bool):
    statement = statement.join_from(groups, Hospital, Hospital.id == groups.c.hospital_id)
    if per_department:
        statement = statement.join(Department, Department.id == groups.c.department_id)
    return statement


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
    """How many requests wait for an answer (at one hospital), as a scalar subquery. Rows
    counted, not ids: the hospital's departments' entries in the index of waiting requests
    answer it alone, not every waiting request of every hospital."""
    statement = (
        select(func.count())
        .select_from(Placement)
        .where(Placement.status == constant(PlacementStatus.REQUESTED))
    )
    if hospital_id is not None:
        statement = statement.join(Department, Placement.department_id == Department.id).where(
            Department.hospital_id == hospital_id
        )
    return statement.scalar_subquery()
