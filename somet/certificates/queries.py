"""What the database says about completion: loaded in a fixed number of queries, handed to the
pure rules (somet.certificates.core.completion) and the snapshot builder as frozen dataclasses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, bindparam, func, select, union_all
from sqlalchemy.orm import joinedload, load_only, selectinload

from somet.certificates.core.completion import (
    CompletionInput,
    PlacementRecord,
    RotationRequirement,
    Verdict,
    credit_hours,  # noqa: F401 - the alumni's hours reach the rule here
    judge_enrollment,
)
from somet.certificates.core.payload import Holder, Host, MasterclassFacts, Programme
from somet.certificates.files import verify_url

# The cohorts that still owe certificates live in owed.py; other features reach them here.
from somet.certificates.owed import (  # noqa: F401
    CohortWithoutCertificates,
    owes_certificates,
    uncertified_count,
    without_certificate_count,
    without_certificate_rows,
)
from somet.core.specialties import specialty_name
from somet.models import (
    AttendanceStatus,
    Certificate,
    CertificateKind,
    Cohort,
    CohortHost,
    Department,
    Enrollment,
    Hospital,
    Masterclass,
    Placement,
    Registration,
    RegistrationStatus,
    constant,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class CohortRules:
    """What completion and the snapshot need of a cohort, as plain data (cached per batch)."""

    cohort_id: int
    threshold: float
    hours_per_day: float
    rotations: tuple[RotationRequirement, ...]
    programme: Programme


def cohort_rules(cohort: Cohort) -> CohortRules:
    return CohortRules(
        cohort_id=cohort.id,
        threshold=cohort.attendance_threshold,
        hours_per_day=cohort.hours_per_day,
        rotations=tuple(
            RotationRequirement(item.id, item.name, item.days, item.required)
            for item in cohort.curriculum
        ),
        programme=programme_of(cohort),
    )


@dataclass(frozen=True)
class DoctorCompletion:
    """One row of a cohort's certificate page."""

    enrollment: Enrollment
    verdict: Verdict
    certificate: Certificate | None  # the live (unrevoked) internship certificate


def load_cohort(cohort_id: int) -> Cohort | None:
    """The cohort with its director, hosts (hospitals) and rotations: one statement."""
    return db.session.scalars(_cohort_statement(), {"cohort_id": cohort_id}).unique().first()


@cache
def _cohort_statement():
    """Built once (parameter ``cohort_id``); the few hosts and rotations ride on the cohort's
    rows (a second statement for the rotations cost more CPU than the rows they add)."""
    return (
        select(Cohort)
        .where(Cohort.id == bindparam("cohort_id"))
        .options(
            joinedload(Cohort.hosts).joinedload(CohortHost.hospital),
            joinedload(Cohort.curriculum),
            joinedload(Cohort.director),
        )
    )


def cohort_completion(cohort: Cohort) -> list[DoctorCompletion]:
    """Every enrollment of ``cohort`` with its verdict and live certificate (4 queries)."""
    enrollments = list(db.session.scalars(_roster_statement(), {"cohort_id": cohort.id}))
    placements = placement_records(_COHORT_PLACEMENTS, {"cohort_id": cohort.id})
    hours = _cohort_masterclass_hours(cohort.id)
    certificates = live_internship_certificates([e.id for e in enrollments])
    rules = cohort_rules(cohort)
    return [
        DoctorCompletion(
            enrollment=e,
            verdict=judge_enrollment(
                _input(rules, e, placements.get(e.id, ()), hours.get(e.doctor_id, ()))
            ),
            certificate=certificates.get(e.id),
        )
        for e in enrollments
    ]


@cache
def _roster_statement():
    """The cohort's enrollments with their doctors, built once (parameter ``cohort_id``)."""
    return (
        select(Enrollment)
        .where(Enrollment.cohort_id == bindparam("cohort_id"))
        .options(joinedload(Enrollment.doctor))
    )


# What the completion rule reads of a placement (``PlacementRecord``, in its order); a
# statement selecting them joins the placement's department and hospital.
PLACEMENT_RECORD_COLUMNS = (
    Placement.curriculum_item_id,
    Placement.status,
    Department.name,
    Hospital.name,
    Placement.start_date,
    Placement.end_date,
    # The model's own counts (the days marked present, the days with any mark).
    Placement.present_days,
    Placement.recorded_days,
)


def placement_record_of_row(item, status, *where_when_and_days) -> PlacementRecord:
    """A ``PlacementRecord`` from the values of ``PLACEMENT_RECORD_COLUMNS``."""
    return PlacementRecord(item, status.value, *where_when_and_days)


def placement_records_statement(enrollment_ids: Select) -> Select:
    """The statement ``placement_records`` runs for the enrollments ``enrollment_ids``
    selects (with bind parameters): a caller builds it once, as a module constant, since
    building it costs about as much as running it."""
    return (
        select(Placement.enrollment_id, *PLACEMENT_RECORD_COLUMNS)
        .join(Department, Placement.department_id == Department.id)
        .join(Hospital, Department.hospital_id == Hospital.id)
        .where(Placement.enrollment_id.in_(enrollment_ids))
        .order_by(Placement.id)
    )


def placement_records(statement: Select, params: dict) -> dict[int, tuple[PlacementRecord, ...]]:
    """The placements of some enrollments (``statement`` from ``placement_records_statement``
    run with ``params``), with their attendance counted, as the rules take them, by
    enrollment: plain rows of one statement (a row per placement, its days counted by the
    database), not hundreds of ORM objects or a row per attendance day. The certificates page
    judges from these; the alumni's hours read less (``credit_hours``)."""
    rows = db.session.execute(statement, params)
    records: dict[int, list[PlacementRecord]] = defaultdict(list)
    for enrollment_id, *record in rows:
        records[enrollment_id].append(placement_record_of_row(*record))
    return {enrollment_id: tuple(rows) for enrollment_id, rows in records.items()}


# The placements of a cohort's enrollments (parameter ``cohort_id``), built once.
_COHORT_PLACEMENTS = placement_records_statement(
    select(Enrollment.id).where(Enrollment.cohort_id == bindparam("cohort_id"))
)


# What judging an enrollment reads: its doctor, its placements with where, their attendance.
_JUDGED_ENROLLMENT = (
    joinedload(Enrollment.doctor),
    selectinload(Enrollment.placements)
    .joinedload(Placement.department)
    .joinedload(Department.hospital),
    selectinload(Enrollment.placements).selectinload(Placement.attendance),
)


def load_enrollment(enrollment_id: int) -> Enrollment | None:
    query = select(Enrollment).where(Enrollment.id == enrollment_id)
    return db.session.scalars(query.options(*_JUDGED_ENROLLMENT)).first()


def masterclass_hours_for(cohort_id: int, doctor_id: int) -> tuple[float, ...]:
    return _cohort_masterclass_hours(cohort_id, doctor_id).get(doctor_id, ())


def _cohort_masterclass_hours(cohort_id: int, doctor_id: int | None = None) -> dict:
    """Credit hours of the cohort's masterclasses each doctor attended."""
    query = (
        select(Registration.doctor_id, Masterclass.credit_hours)
        .join(Masterclass, Registration.masterclass_id == Masterclass.id)
        .where(
            Masterclass.cohort_id == cohort_id,
            Registration.status == RegistrationStatus.ATTENDED,
        )
        .order_by(Masterclass.starts_at)
    )
    if doctor_id is not None:
        query = query.where(Registration.doctor_id == doctor_id)
    hours: dict[int, list[float]] = defaultdict(list)
    for doctor, credit in db.session.execute(query):
        hours[doctor].append(credit)
    return {doctor: tuple(values) for doctor, values in hours.items()}


def live_internship_certificates(enrollment_ids: list[int]) -> dict[int, Certificate]:
    if not enrollment_ids:
        return {}
    rows = db.session.scalars(_live_certificates(), {"enrollment_ids": enrollment_ids})
    return {c.enrollment_id: c for c in rows}


@cache
def _live_certificates():
    """Built once (parameter ``enrollment_ids``, a list)."""
    # What the page shows of them: not the snapshot (a JSON document per certificate).
    shown = load_only(
        Certificate.id, Certificate.enrollment_id, Certificate.serial, Certificate.verification_code
    )
    return (
        select(Certificate)
        .options(shown)
        .where(
            Certificate.enrollment_id.in_(bindparam("enrollment_ids", expanding=True)),
            Certificate.kind == constant(CertificateKind.INTERNSHIP),
            Certificate.revoked_at.is_(None),
        )
    )


def completion_input(rules: CohortRules, enrollment: Enrollment, hours: tuple) -> CompletionInput:
    """The pure rules' input for one enrollment (relationships already loaded)."""
    placements = tuple(
        placement_record(
            p,
            present_days=sum(1 for a in p.attendance if a.status == AttendanceStatus.PRESENT),
            recorded_days=len(p.attendance),
        )
        for p in enrollment.placements
    )
    return _input(rules, enrollment, placements, hours)


def placement_record(placement, *, present_days: int, recorded_days: int) -> PlacementRecord:
    """A placement (its department and hospital loaded) as the completion rules read it."""
    return PlacementRecord(
        item_id=placement.curriculum_item_id,
        status=placement.status.value,
        department=placement.department.name,
        hospital=placement.department.hospital.name,
        start=placement.start_date,
        end=placement.end_date,
        present_days=present_days,
        recorded_days=recorded_days,
    )


def _input(rules: CohortRules, enrollment: Enrollment, placements: tuple, hours: tuple):
    return CompletionInput(
        enrollment_status=enrollment.status.value,
        threshold=rules.threshold,
        hours_per_day=rules.hours_per_day,
        rotations=rules.rotations,
        placements=placements,
        masterclass_hours=hours,
    )


def holder_of(doctor) -> Holder:
    return Holder(
        latin_name=doctor.latin_name,
        native_name=doctor.native_name or "",
        specialty_en=specialty_name(doctor.specialty, "en"),
        specialty_ru=specialty_name(doctor.specialty, "ru"),
        home_institution=doctor.home_institution or "",
    )


def programme_of(cohort: Cohort) -> Programme:
    return Programme(
        name=cohort.name,
        sponsor=cohort.sponsor or "",
        hosts=tuple(
            Host(h.hospital.name, h.hospital.city, h.hospital.country)
            for h in sorted(cohort.hosts, key=lambda h: h.hospital.name)
        ),
        start=cohort.start_date,
        end=cohort.end_date,
        hours_per_day=cohort.hours_per_day,
        director=cohort.director.full_name if cohort.director else "",
    )


def masterclass_facts_of(masterclass: Masterclass) -> MasterclassFacts:
    from zoneinfo import ZoneInfo

    local_day = masterclass.starts_at.astimezone(ZoneInfo(masterclass.timezone)).date()
    return MasterclassFacts(
        title=masterclass.title,
        lead_specialist=masterclass.lead_specialist,
        lead_title=masterclass.lead_title or "",
        venue=masterclass.venue,
        city=masterclass.city,
        country=masterclass.country,
        day=local_day,
        hours=masterclass.credit_hours,
    )


def attended_registrations(cohort_id: int) -> list[Registration]:
    """Attended registrations of the cohort's own masterclasses (one certificate each)."""
    return list(
        db.session.scalars(
            select(Registration)
            .join(Masterclass, Registration.masterclass_id == Masterclass.id)
            .where(
                Masterclass.cohort_id == cohort_id,
                Registration.status == RegistrationStatus.ATTENDED,
            )
            .options(joinedload(Registration.masterclass), joinedload(Registration.doctor))
            .order_by(Registration.id)
        )
    )


def of_cohort(cohort_id: int):
    """The ``where`` condition for a cohort's certificates: its doctors' and its masterclasses'.

    A union of the two index lookups: an OR of the two ``IN`` would read every certificate."""
    return Certificate.id.in_(
        union_all(
            select(Certificate.id)
            .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
            .where(Enrollment.cohort_id == cohort_id),
            select(Certificate.id)
            .join(Masterclass, Masterclass.id == Certificate.masterclass_id)
            .where(Masterclass.cohort_id == cohort_id),
        )
    )


def cohort_zip_contents(cohort_id: int) -> tuple:
    """Which certificates the cohort's ZIP holds (the live ones of its doctors and of its
    masterclasses), as ``where`` conditions."""
    return Certificate.revoked_at.is_(None), of_cohort(cohort_id)


def cohort_zip_size(cohort_id: int) -> int:
    """How many certificates the cohort's ZIP would hold: the overview offers it only then."""
    return db.session.scalar(select(cohort_zip_size_column(cohort_id))) or 0


def cohort_zip_size_column(cohort_id: int):
    """``cohort_zip_size`` as a scalar subquery, for a statement reading other figures too."""
    return (
        select(func.count())
        .select_from(Certificate)
        .where(*cohort_zip_contents(cohort_id))
        .scalar_subquery()
    )


def verification_url(certificate: Certificate) -> str:
    """The public page that checks ``certificate`` (what its QR code opens)."""
    return verify_url(certificate.verification_code)
