"""``make_<thing>(**overrides)``: realistic objects, committed, for tests."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from werkzeug.security import generate_password_hash

from somet.core.workdays import working_days
from somet.models import (
    Attendance,
    Cohort,
    CohortHost,
    CohortStatus,
    CurriculumItem,
    CurriculumOption,
    Department,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Masterclass,
    Placement,
    PlacementStatus,
    Registration,
    RegistrationStatus,
    Role,
    SpecialtyMode,
    User,
)
from somet.web.extensions import db

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose
_sequence = itertools.count(1)

# The factories' defaults: hospitals work Sunday to Thursday; a cohort runs from Sunday
# 7 March to Thursday 18 March 2027.
HOSPITAL_WEEK = (6, 0, 1, 2, 3)
COHORT_START = date(2027, 3, 7)


def cohort_day(n: int) -> date:
    """The default cohort's day ``n`` (0 is its first Sunday)."""
    return COHORT_START + timedelta(days=n)


def placement_days(placement: Placement) -> list[date]:
    """The working days a placement at a default hospital occupies."""
    return working_days(placement.start_date, placement.end_date, HOSPITAL_WEEK)


def _next() -> int:
    return next(_sequence)


def _save(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def make_hospital(**overrides) -> Hospital:
    n = _next()
    fields = dict(
        name=f"Hospital {n}",
        city="Haifa",
        country="Israel",
        timezone="Asia/Jerusalem",
        working_weekdays=",".join(map(str, HOSPITAL_WEEK)),
        address=f"{n} HaAliya St",
    )
    fields.update(overrides)
    return _save(Hospital(**fields))


def make_department(hospital: Hospital | None = None, **overrides) -> Department:
    hospital = hospital or make_hospital()
    fields = dict(
        hospital_id=hospital.id,
        name=f"Department {_next()}",
        specialty="general-surgery",
        capacity=2,
        supervisor_name="Dr. Supervisor",
        supervisor_email=f"supervisor{_next()}@hospital.example.org",
    )
    fields.update(overrides)
    return _save(Department(**fields))


def make_doctor(**overrides) -> Doctor:
    n = _next()
    fields = dict(
        first_name=f"Aigerim{n}",
        last_name="Nurlanovna",
        native_name="Әйгерім Нұрланқызы",
        specialty="anaesthesiology",
        home_institution="Semey Medical University",
        country="Kazakhstan",
        region="Abay region",
        licence_number=f"LIC-{n:05d}",
        passport_number=f"N{n:08d}",
        email=f"doctor{n}@example.kz",
    )
    fields.update(overrides)
    return _save(Doctor(**fields))


def make_user(role: Role = Role.DIRECTOR, **overrides) -> User:
    n = _next()
    fields = dict(
        email=f"{role.value}{n}@example.org",
        full_name=f"{role.value.title()} {n}",
        role=role,
        password_hash=_PASSWORD_HASH,
    )
    if role == Role.COORDINATOR and "hospital_id" not in overrides:
        fields["hospital_id"] = make_hospital().id
    if role == Role.DOCTOR and "doctor_id" not in overrides:
        fields["doctor_id"] = make_doctor().id
    fields.update(overrides)
    return _save(User(**fields))


def make_users_per_role() -> dict[str, User]:
    return {role.value: make_user(role) for role in Role}


def make_cohort(hosts: list[Hospital] | None = None, **overrides) -> Cohort:
    start = overrides.pop("start_date", COHORT_START)
    fields = dict(
        name=f"Cohort {_next()}",
        origin_country="Kazakhstan",
        origin_region="Abay region",
        sponsor="Health Department",
        start_date=start,
        end_date=start + timedelta(days=11),
        status=CohortStatus.PLANNING,
    )
    fields.update(overrides)
    cohort = _save(Cohort(**fields))
    for hospital in hosts or []:
        db.session.add(CohortHost(cohort_id=cohort.id, hospital_id=hospital.id))
    db.session.commit()
    return cohort


def make_enrollment(
    cohort: Cohort | None = None, doctor: Doctor | None = None, **overrides
) -> Enrollment:
    cohort = cohort or make_cohort()
    doctor = doctor or make_doctor()
    fields = dict(cohort_id=cohort.id, doctor_id=doctor.id, status=EnrollmentStatus.CONFIRMED)
    fields.update(overrides)
    return _save(Enrollment(**fields))


def make_curriculum_item(cohort: Cohort, departments: list[Department] = (), **overrides):
    fields = dict(
        cohort_id=cohort.id,
        name=f"Rotation {_next()}",
        days=3,
        required=True,
        specialty_mode=SpecialtyMode.DEPARTMENTS if departments else SpecialtyMode.OWN,
    )
    fields.update(overrides)
    item = _save(CurriculumItem(**fields))
    for department in departments:
        db.session.add(CurriculumOption(item_id=item.id, department_id=department.id, preference=1))
    db.session.commit()
    return item


def make_placement(
    enrollment: Enrollment | None = None,
    department: Department | None = None,
    item: CurriculumItem | None = None,
    **overrides,
) -> Placement:
    enrollment = enrollment or make_enrollment()
    department = department or make_department()
    if item is None:
        cohort = db.session.get(Cohort, enrollment.cohort_id)
        item = make_curriculum_item(cohort, [department])
    fields = dict(
        enrollment_id=enrollment.id,
        department_id=department.id,
        curriculum_item_id=item.id,
        start_date=date(2027, 3, 7),
        end_date=date(2027, 3, 9),
        status=PlacementStatus.REQUESTED,
    )
    fields.update(overrides)
    return _save(Placement(**fields))


def make_attendance(placement: Placement, day: date, status) -> Attendance:
    return _save(Attendance(placement_id=placement.id, day=day, status=status))


def make_masterclass(**overrides) -> Masterclass:
    starts = overrides.pop("starts_at", datetime(2027, 3, 10, 6, 0, tzinfo=UTC))
    fields = dict(
        title=f"Masterclass {_next()}",
        lead_specialist="Prof. Visiting",
        venue="Conference hall",
        city="Almaty",
        country="Kazakhstan",
        timezone="Asia/Almaty",
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        capacity=10,
        credit_hours=8.0,
    )
    fields.update(overrides)
    return _save(Masterclass(**fields))


def make_registration(masterclass: Masterclass, doctor: Doctor, **overrides) -> Registration:
    fields = dict(
        masterclass_id=masterclass.id, doctor_id=doctor.id, status=RegistrationStatus.REGISTERED
    )
    fields.update(overrides)
    return _save(Registration(**fields))


def make_document_requirement(hospital, kind="passport", **overrides):
    from somet.models import DocumentKind, DocumentRequirement

    fields = dict(
        hospital_id=hospital.id, kind=DocumentKind(kind), expires=True, due_days_before_arrival=30
    )
    fields.update(overrides)
    return _save(DocumentRequirement(**fields))


def make_travel_document(doctor, kind="passport", content: bytes | None = None, **overrides):
    """A stored document of ``doctor`` (a real file in the storage folder)."""
    import hashlib

    from flask import current_app

    from somet.demo.documents import tiny_pdf
    from somet.documents.storage import store_file
    from somet.models import DocumentKind, DocumentStatus, TravelDocument

    content = content if content is not None else tiny_pdf(f"{kind} of {doctor.latin_name}")
    fields = dict(
        doctor_id=doctor.id,
        kind=DocumentKind(kind),
        storage_name=store_file(current_app.config["SOMET_STORAGE_DIR"], content),
        original_filename=f"{kind}.pdf",
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        valid_until=date(2031, 6, 30),
        status=DocumentStatus.UPLOADED,
    )
    fields.update(overrides)
    return _save(TravelDocument(**fields))


def make_notification(user=None, **overrides):
    """A message in the outbox (issue 8), addressed to ``user`` when given."""
    from somet.models import Notification

    fields = dict(
        user_id=user.id if user is not None else None,
        to_email=user.email if user is not None else f"someone{_next()}@example.org",
        kind="test",
        subject=f"Message {_next()}",
        body="Hello.\n",
    )
    fields.update(overrides)
    return _save(Notification(**fields))
