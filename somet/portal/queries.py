"""Reading one doctor's programme for the home page and the calendar feed.

The doctor's home is the page doctors open most (on a phone, abroad), so it is read with two
queries of named columns into small frozen rows rather than ORM objects: enrollments with
their placements (and each placement's evaluation of its department still to answer) in one,
masterclass registrations in the other. Both statements are built
once, with bound parameters: building a 20-column SELECT and its cache key on every request
cost more than running it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, func, select

from somet.core.localisation import PersonName
from somet.models import (
    Cohort,
    CurriculumItem,
    Department,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Evaluation,
    EvaluationDirection,
    Hospital,
    Masterclass,
    Placement,
    PlacementStatus,
    Registration,
    RegistrationStatus,
    constant,
)
from somet.portal import rules as programme
from somet.web.extensions import db


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
    video_url: str | None = None


@dataclass(frozen=True)
class EvaluationToAnswer:
    """An open evaluation of a department the doctor was placed in, not yet answered."""

    id: int
    department: str
    expires_at: datetime
    sent_at: datetime


@dataclass(frozen=True)
class Programme:
    enrollments: list[EnrollmentEntry]
    placements: list[PlacementEntry]  # fixed and awaiting, in date order
    to_answer: list[EvaluationToAnswer] | None = None  # oldest sent first (the home's only)


_PROGRAMME = (
    select(
        Enrollment.id.label("enrollment_id"),
        Enrollment.status.label("enrollment_status"),
        Enrollment.completion_reasons.label("completion_reasons"),
        Cohort.id.label("cohort_id"),
        Cohort.name.label("cohort_name"),
        Cohort.start_date.label("cohort_start"),
        Cohort.end_date.label("cohort_end"),
        Placement.id.label("placement_id"),
        Placement.start_date,
        Placement.end_date,
        Placement.status,
        Placement.updated_at,
        CurriculumItem.name.label("rotation"),
        Department.name.label("department"),
        Department.supervisor_name,
        Department.supervisor_email,
        Hospital.name.label("hospital"),
        Hospital.address,
        Hospital.city,
        Hospital.country,
        Hospital.timezone,
        Hospital.working_weekdays,
    )
    .select_from(Enrollment)
    .join(Cohort, Cohort.id == Enrollment.cohort_id)
    .outerjoin(Placement, Placement.enrollment_id == Enrollment.id)
    .outerjoin(Department, Department.id == Placement.department_id)
    .outerjoin(Hospital, Hospital.id == Department.hospital_id)
    .outerjoin(CurriculumItem, CurriculumItem.id == Placement.curriculum_item_id)
    .where(Enrollment.doctor_id == bindparam("doctor_id"))
    .order_by(Cohort.start_date.desc(), Enrollment.id)
)


# The home's: each placement also with its evaluation of the department, when it is still open
# at ``now`` (one per placement and direction).
_HOME_PROGRAMME = _PROGRAMME.add_columns(
    Evaluation.id.label("evaluation_id"),
    Evaluation.expires_at.label("evaluation_expires_at"),
    Evaluation.sent_at.label("evaluation_sent_at"),
).outerjoin(
    Evaluation,
    and_(
        Evaluation.placement_id == Placement.id,
        Evaluation.direction == constant(EvaluationDirection.OF_DEPARTMENT),
        Evaluation.answered_at.is_(None),
        Evaluation.expires_at > bindparam("now"),
    ),
)


def programme_of(doctor_id: int, now: datetime | None = None) -> Programme:
    """The doctor's enrollments (newest first) and shown placements (in date order). One query.
    Given ``now`` (the home), also the evaluations of departments still to answer, of any of
    the doctor's placements.

    Placement statuses are filtered here rather than in SQL: a doctor has a handful of
    placements, and a status condition tempts SQLite into walking the status index instead.
    """
    enrollments: dict[int, EnrollmentEntry] = {}
    placements, to_answer = [], []
    if now is None:
        rows = db.session.execute(_PROGRAMME, {"doctor_id": doctor_id}).mappings()
    else:
        rows = db.session.execute(_HOME_PROGRAMME, {"doctor_id": doctor_id, "now": now})
        rows = rows.mappings()
    for row in rows:  # mappings: a key lookup is several times cheaper than a row attribute
        enrollments.setdefault(row["enrollment_id"], _enrollment_entry(row))
        if now is not None and row["evaluation_id"] is not None:
            to_answer.append(_evaluation_entry(row))
        if row["placement_id"] is None or row["enrollment_status"] == EnrollmentStatus.WITHDRAWN:
            continue
        if row["status"] in PlacementStatus.STANDING:
            placements.append(_placement_entry(row))
    placements.sort(key=lambda p: (p.start_date, p.id))
    to_answer.sort(key=lambda e: (e.sent_at, e.id))
    return Programme(list(enrollments.values()), placements, to_answer if now else None)


def _evaluation_entry(row) -> EvaluationToAnswer:
    return EvaluationToAnswer(
        row["evaluation_id"],
        row["department"],
        row["evaluation_expires_at"],
        row["evaluation_sent_at"],
    )


def _enrollment_entry(row) -> EnrollmentEntry:
    return EnrollmentEntry(
        id=row["enrollment_id"],
        status=row["enrollment_status"],
        completion_reasons=row["completion_reasons"],
        cohort_id=row["cohort_id"],
        cohort_name=row["cohort_name"],
        cohort_start=row["cohort_start"],
        cohort_end=row["cohort_end"],
    )


# Every field of PlacementEntry but its id is a column of the programme statement, by name.
_PLACEMENT_FIELDS = tuple(f for f in PlacementEntry.__dataclass_fields__ if f != "id")


def _placement_entry(row) -> PlacementEntry:
    fields = {name: row[name] for name in _PLACEMENT_FIELDS}
    return PlacementEntry(id=row["placement_id"], **fields)


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
            Masterclass.video_url,
        )
        .join(Masterclass, Masterclass.id == Registration.masterclass_id)
        .where(Registration.doctor_id == bindparam("doctor_id"), Registration.status.in_(statuses))
        .order_by(Masterclass.starts_at)
    )


def registrations_of(
    doctor_id: int, statuses=RegistrationStatus.STANDING
) -> list[RegistrationEntry]:
    """The doctor's masterclass registrations with their classes, by start time. One query."""
    statement = _registrations(tuple(statuses))
    rows = db.session.execute(statement, {"doctor_id": doctor_id}).mappings()
    return [RegistrationEntry(**row) for row in rows]


def doctor_home(doctor_id: int, now: datetime) -> dict:
    """The doctor's home: today, tomorrow, the next rotation and the whole programme."""
    mine = programme_of(doctor_id, now)
    placements = mine.placements
    registrations = registrations_of(doctor_id)
    return {
        "enrollments": mine.enrollments,
        "placements": placements,
        "evaluations_to_answer": mine.to_answer,
        "registrations": registrations,
        "today": programme.day_plan(0, placements, registrations, now),
        "tomorrow": programme.day_plan(1, placements, registrations, now),
        "next_rotation": programme.next_rotation(placements, now),
        "timeline": programme.timeline(placements),
    }


# --- a coordinator's work queue: who arrives, who is here (confirmed placements only) -------


@dataclass(frozen=True)
class Arrival:
    doctor_name: PersonName  # worded in the reader's order by the person_name filter
    first_day: date  # the doctor's first confirmed day at the hospital
    department: str


def visits_to(hospital_id, *columns):
    """``select(*columns)`` over the placements at the hospital, each with its doctor, enrollment
    and cohort: read from the cohorts, so that a bound on their dates bounds what is read."""
    return (
        select(*columns)
        .select_from(Cohort)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .join(Placement, Placement.enrollment_id == Enrollment.id)
        .join(Department, Department.id == Placement.department_id)
        .where(Department.hospital_id == hospital_id)
    )


def arrivals_at(hospital_id: int, first: date, last: date) -> list[Arrival]:
    """Doctors whose first confirmed day of a visit (their cohort's placements) at the hospital
    falls within first..last. One query, over the cohorts still running by ``first``: a visit
    arriving then belongs to one of them, so the years before are not read."""
    rows = db.session.execute(
        _arrivals(), {"hospital_id": hospital_id, "first": first, "last": last}
    )
    return [
        Arrival(PersonName(first, last, native), day, department)
        for first, last, native, day, department in rows
    ]


@functools.cache
def _arrivals():
    """Built once (parameters ``hospital_id``, ``first``, ``last``): a coordinator's home runs
    it on every visit, and building it cost more than running it."""
    hospital_id, first, last = bindparam("hospital_id"), bindparam("first"), bindparam("last")
    return (
        visits_to(
            hospital_id,
            Doctor.first_name,
            Doctor.last_name,
            Doctor.native_name,
            func.min(Placement.start_date),
            func.min(Department.name),
        )
        .where(
            Cohort.end_date >= first,
            Placement.status.in_(constant(PlacementStatus.FIXED)),
            Enrollment.status != constant(EnrollmentStatus.WITHDRAWN),
            # Only visits with a placement starting in the window can arrive in it: found by
            # the hospital's departments and start day, not through every running cohort.
            Enrollment.id.in_(
                select(Placement.enrollment_id).where(
                    Placement.department_id.in_(
                        select(Department.id).where(Department.hospital_id == hospital_id)
                    ),
                    Placement.start_date.between(first, last),
                    Placement.status.in_(constant(PlacementStatus.FIXED)),
                )
            ),
        )
        .group_by(Enrollment.id, Doctor.id)
        .having(func.min(Placement.start_date).between(first, last))
        .order_by(func.min(Placement.start_date), Doctor.last_name, Doctor.first_name)
    )


def visitors_on_site_count(hospital_id, day):
    """How many doctors have a confirmed placement at the hospital on ``day``, as a scalar
    subquery (the arguments may be values or bound parameters), over the cohorts running that
    day."""
    return (
        visits_to(hospital_id, func.count(func.distinct(Enrollment.doctor_id)))
        .where(
            Cohort.start_date <= day,
            Cohort.end_date >= day,
            Placement.status.in_(constant(PlacementStatus.FIXED)),
            Placement.start_date <= day,
            Placement.end_date >= day,
        )
        .scalar_subquery()
    )


@functools.cache
def _invitations_to_answer(doctor_id=None):
    """The statement behind the doctor's badge (``doctor_id``: an expression, by default the
    parameter of that name)."""
    return (
        select(func.count(Enrollment.id))
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(
            Enrollment.doctor_id == (bindparam("doctor_id") if doctor_id is None else doctor_id),
            Enrollment.status == EnrollmentStatus.INVITED,
            Cohort.end_date >= bindparam("today"),
        )
    )


def invitations_to_answer_count(doctor_id=None):
    """How many programmes not yet over the doctor is invited to and has not confirmed, as a
    scalar subquery (a column of the doctor's badge statement) of the parameter ``today`` and
    of ``doctor_id`` (an expression; by default the parameter of that name)."""
    return _invitations_to_answer(doctor_id).scalar_subquery()
