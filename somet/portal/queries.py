"""Reading one doctor's programme for the home page and the calendar feed.

The doctor's home is the page doctors open most (on a phone, abroad), so it is read with two
column queries into small frozen rows rather than ORM objects: enrollments with their
placements in one, masterclass registrations in the other. Both statements are built once (at
import; the second once per set of statuses), with bound parameters: building a 30-column
SELECT and its cache key on every request cost more than running it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select

from somet.models import (
    Cohort,
    CurriculumItem,
    Department,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Masterclass,
    Placement,
    PlacementStatus,
    Registration,
    RegistrationStatus,
)
from somet.web.database import equals_any, read_rows


@dataclass(frozen=True)
class EnrollmentEntry:
    id: int
    status: EnrollmentStatus
    completion_reasons: list | None  # why incomplete, as problems (the nightly lifecycle's)
    cohort_id: int
    cohort_name: str
    cohort_start: date
    cohort_end: date


@dataclass(frozen=True)
class PlacementEntry:
    """A placement with its department, hospital, rotation and programme, flattened."""

    id: int
    start_date: date
    end_date: date
    status: PlacementStatus
    updated_at: datetime | None
    rotation: str
    department: str
    supervisor_name: str | None
    supervisor_email: str | None
    hospital: str
    address: str | None
    city: str
    country: str
    timezone: str
    working_weekdays: str
    cohort_id: int
    cohort_name: str
    cohort_start: date
    cohort_end: date

    @property
    def fixed(self) -> bool:
        return self.status in PlacementStatus.FIXED


@dataclass(frozen=True)
class RegistrationEntry:
    """A masterclass registration with what a page or a calendar shows of the class."""

    masterclass_id: int
    status: RegistrationStatus
    updated_at: datetime | None
    title: str
    lead_specialist: str
    lead_title: str | None
    venue: str
    city: str
    country: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    credit_hours: float


@dataclass(frozen=True)
class Programme:
    enrollments: list[EnrollmentEntry]
    placements: list[PlacementEntry]  # fixed and awaiting, in date order


_ENROLLMENT_COLUMNS = (
    Enrollment.id,
    Enrollment.status,
    Enrollment.completion_reasons,
    Cohort.id,
    Cohort.name,
    Cohort.start_date,
    Cohort.end_date,
)
_PLACEMENT_COLUMNS = (
    Placement.id,
    Placement.start_date,
    Placement.end_date,
    Placement.status,
    Placement.updated_at,
    CurriculumItem.name,
    Department.name,
    Department.supervisor_name,
    Department.supervisor_email,
    Hospital.name,
    Hospital.address,
    Hospital.city,
    Hospital.country,
    Hospital.timezone,
    Hospital.working_weekdays,
)


_PROGRAMME = (
    select(*_ENROLLMENT_COLUMNS, *_PLACEMENT_COLUMNS)
    .select_from(Enrollment)
    .join(Cohort, Cohort.id == Enrollment.cohort_id)
    .outerjoin(Placement, Placement.enrollment_id == Enrollment.id)
    .outerjoin(Department, Department.id == Placement.department_id)
    .outerjoin(Hospital, Hospital.id == Department.hospital_id)
    .outerjoin(CurriculumItem, CurriculumItem.id == Placement.curriculum_item_id)
    .where(Enrollment.doctor_id == bindparam("doctor_id"))
    .order_by(Cohort.start_date.desc(), Enrollment.id)
)


def programme_of(doctor_id: int) -> Programme:
    """The doctor's enrollments (newest first) and shown placements (in date order). One query.

    Placement statuses are filtered here rather than in SQL: a doctor has a handful of
    placements, and a status condition tempts SQLite into walking the status index instead.
    """
    rows = read_rows(_PROGRAMME, {"doctor_id": doctor_id}).all()
    enrollments: dict[int, EnrollmentEntry] = {}
    placements = []
    split = len(_ENROLLMENT_COLUMNS)
    for row in rows:
        enrollment = EnrollmentEntry(*row[:split])
        enrollments.setdefault(enrollment.id, enrollment)
        if row[split] is None or enrollment.status == EnrollmentStatus.WITHDRAWN:
            continue
        if row[split + 3] in PlacementStatus.STANDING:
            placements.append(
                PlacementEntry(*row[split:], *row[3:split])  # placement, then its programme
            )
    placements.sort(key=lambda p: (p.start_date, p.id))
    return Programme(list(enrollments.values()), placements)


@functools.cache
def _registrations(statuses: tuple[RegistrationStatus, ...]):
    """The statement for one set of statuses, built once."""
    return (
        select(
            Registration.masterclass_id,
            Registration.status,
            Registration.updated_at,
            Masterclass.title,
            Masterclass.lead_specialist,
            Masterclass.lead_title,
            Masterclass.venue,
            Masterclass.city,
            Masterclass.country,
            Masterclass.timezone,
            Masterclass.starts_at,
            Masterclass.ends_at,
            Masterclass.credit_hours,
        )
        .join(Masterclass, Masterclass.id == Registration.masterclass_id)
        .where(
            Registration.doctor_id == bindparam("doctor_id"),
            equals_any(Registration.status, statuses),
        )
        .order_by(Masterclass.starts_at)
    )


def registrations_of(
    doctor_id: int, statuses=RegistrationStatus.STANDING
) -> list[RegistrationEntry]:
    """The doctor's masterclass registrations with their classes, by start time. One query."""
    statement = _registrations(tuple(statuses))
    rows = read_rows(statement, {"doctor_id": doctor_id}).all()
    return [RegistrationEntry(*row) for row in rows]
