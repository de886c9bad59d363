"""A doctor's whole history for directors: cohorts with their credit hours, placements,
masterclasses, certificates, evaluations both ways and follow-up answers (as the evaluations
and follow-up features read them, their ``queries.answers_for_doctor``). A fixed number of
statements whatever the length of the history (each list is one statement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, load_only, selectinload, undefer

from somet.alumni import rules
from somet.alumni.hours import hours_of_loaded
from somet.evaluations import queries as evaluations
from somet.evaluations.queries import AnswerRecord, EvaluationRecord
from somet.followup import queries as followup
from somet.models import (
    Certificate,
    Cohort,
    Department,
    Doctor,
    Enrollment,
    EvaluationDirection,
    Masterclass,
    Placement,
    QuestionKind,
    Registration,
    RegistrationStatus,
    utcnow,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class EnrollmentHistory:
    enrollment: Enrollment  # with its cohort and placements (department, hospital, attendance)
    hours: float


@dataclass(frozen=True)
class EvaluationHistory:
    record: EvaluationRecord  # the evaluation, where and when, its answers in form order
    state: str  # the evaluations' link state: answered | expired | open
    mean: float | None  # of the 1–5 answers

    @property
    def of_doctor(self) -> bool:
        return self.record.direction == EvaluationDirection.OF_DOCTOR

    @property
    def answers(self) -> tuple[AnswerRecord, ...]:
        return self.record.answers


@dataclass(frozen=True)
class DoctorHistory:
    doctor: Doctor
    enrollments: list[EnrollmentHistory]
    registrations: list[Registration]
    certificates: list[Certificate]
    evaluations: list[EvaluationHistory]
    follow_ups: list[followup.DoctorAnswer]  # every survey sent, answered or not
    hours_outside: float  # attended masterclasses of no cohort of the doctor's
    hours: float

    @property
    def placements(self) -> list[tuple[Enrollment, Placement]]:
        pairs = [(e.enrollment, p) for e in self.enrollments for p in e.enrollment.placements]
        return sorted(pairs, key=lambda pair: (pair[1].start_date, pair[1].id))

    def cohort_name(self, enrollment_id: int | None) -> str:
        for item in self.enrollments:
            if item.enrollment.id == enrollment_id:
                return item.enrollment.cohort.name
        return ""


def doctor_history(doctor: Doctor) -> DoctorHistory:
    """Everything the centre holds of ``doctor``'s training (6 statements)."""
    enrollments = _enrollments(doctor.id)
    registrations = _registrations(doctor.id)
    classes = {doctor.id: _attended(registrations)}
    hours = hours_of_loaded(enrollments, classes)
    cohorts = [EnrollmentHistory(e, hours.get(e.id, 0.0)) for e in enrollments]
    outside = rules.hours_outside(classes.get(doctor.id, ()), {e.cohort_id for e in enrollments})
    return DoctorHistory(
        doctor=doctor,
        enrollments=cohorts,
        registrations=registrations,
        certificates=_certificates(doctor.id),
        evaluations=_evaluation_items(doctor.id, utcnow()),
        follow_ups=followup.answers_for_doctor(doctor.id),
        hours_outside=outside,
        hours=rules.total_hours((c.hours for c in cohorts), outside),
    )


def _attended(registrations: list[Registration]) -> list[rules.AttendedClass]:
    """The attended classes among the doctor's registrations (newest first), oldest first:
    what ``queries.attended_classes`` reads, without reading the registrations again."""
    return [
        rules.AttendedClass(r.masterclass.cohort_id, r.masterclass.credit_hours)
        for r in reversed(registrations)
        if r.status == RegistrationStatus.ATTENDED
    ]


def _evaluation_items(doctor_id: int, now: datetime) -> list[EvaluationHistory]:
    """Both directions, for the doctor's placements (the supervisors' and the doctor's own),
    in the order they were sent."""
    records = sorted(
        evaluations.answers_for_doctor(doctor_id), key=lambda r: (r.sent_at, r.evaluation_id)
    )
    return [
        EvaluationHistory(
            record,
            record.state(now),
            rules.mean_score(a.score for a in record.answers if a.kind == QuestionKind.SCALE),
        )
        for record in records
    ]


def _enrollments(doctor_id: int) -> list[Enrollment]:
    """The doctor's enrollments, oldest cohort first, with their cohort and its curriculum
    (a few rows each, in the same statement: the credit hours' rotations), their placements
    with where (the page's list) and their present days counted (what the credit hours'
    rule reads)."""
    return list(db.session.scalars(_ENROLLMENTS, {"doctor_id": doctor_id}).unique())


# The page's statements are built once (parameter ``doctor_id``): building them with their
# loader options, and their cache keys, cost about as much as running them.
DOCTOR_ID = bindparam("doctor_id")

_ENROLLMENTS = (
    select(Enrollment)
    .join(Cohort, Cohort.id == Enrollment.cohort_id)
    .where(Enrollment.doctor_id == DOCTOR_ID)
    .options(
        joinedload(Enrollment.cohort).joinedload(Cohort.curriculum),
        selectinload(Enrollment.placements).options(
            undefer(Placement.present_days),
            joinedload(Placement.department).joinedload(Department.hospital),
        ),
    )
    .order_by(Cohort.start_date, Cohort.id)
)


def _registrations(doctor_id: int) -> list[Registration]:
    return list(db.session.scalars(_REGISTRATIONS, {"doctor_id": doctor_id}))


_REGISTRATIONS = (
    select(Registration)
    .join(Masterclass, Registration.masterclass_id == Masterclass.id)
    .where(Registration.doctor_id == DOCTOR_ID)
    .options(joinedload(Registration.masterclass))
    .order_by(Masterclass.starts_at.desc())
)


def _certificates(doctor_id: int) -> list[Certificate]:
    return list(db.session.scalars(_CERTIFICATES, {"doctor_id": doctor_id}))


_CERTIFICATES = (
    select(Certificate)
    .where(Certificate.doctor_id == DOCTOR_ID)
    .options(
        # What the page shows: not the snapshot or the signature (documents of their own).
        load_only(
            Certificate.id,
            Certificate.serial,
            Certificate.kind,
            Certificate.enrollment_id,
            Certificate.masterclass_id,
            Certificate.hours,
            Certificate.verification_code,
            Certificate.issued_at,
            Certificate.revoked_at,
            Certificate.revocation_reason,
        ),
        joinedload(Certificate.masterclass).load_only(Masterclass.title),
    )
    .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
)
