"""What a coordinator's request page shows: its hospital's requests by department and week."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from somet.core.workdays import week_start
from somet.models import Department, Hospital, Placement, PlacementStatus, User
from somet.requests.operations import placement_options
from somet.web.extensions import db

RECENT_DECISIONS = 20


@dataclass
class RequestGroup:
    department: Department
    week_start: date
    placements: list[Placement] = field(default_factory=list)


def hospital_requests(user: User) -> tuple[Hospital, list[RequestGroup], list[Placement]]:
    """The open requests of the coordinator's hospital, grouped, and its latest decisions."""
    hospital = db.session.get(Hospital, user.hospital_id)
    base = (
        select(Placement)
        .join(Department, Placement.department_id == Department.id)
        .where(Department.hospital_id == user.hospital_id)
        .options(*placement_options())
    )
    open_requests = db.session.scalars(
        base.where(Placement.status == PlacementStatus.REQUESTED).order_by(
            Department.name, Placement.start_date, Placement.id
        )
    ).unique()
    groups: dict[tuple[int, date], RequestGroup] = {}
    for placement in open_requests:
        week = week_start(placement.start_date, hospital.weekday_numbers)
        key = (placement.department_id, week)
        groups.setdefault(key, RequestGroup(placement.department, week)).placements.append(
            placement
        )
    decided = db.session.scalars(
        base.where(Placement.status.in_((PlacementStatus.CONFIRMED, PlacementStatus.DECLINED)))
        .where(Placement.decided_at.is_not(None))
        .order_by(Placement.decided_at.desc())
        .limit(RECENT_DECISIONS)
    ).unique()
    return hospital, list(groups.values()), list(decided)


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
