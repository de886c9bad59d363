"""A demo training centre scaled up for bench/web.py, written with bulk inserts.

1,000 doctors in 50 cohorts of 20 (each a fortnight, one starting every week around today),
10 host hospitals of 10 departments, four placements per doctor (two confirmed, two awaiting
the host), 100 masterclasses (a third open to all doctors) with 2,000 registrations, and a
login for every doctor. The bench doctor is in the cohort that is on its rotations today.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, select
from werkzeug.security import generate_password_hash

from somet.models import (
    Base,
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

PASSWORD = "bench-password"  # noqa: S105  (a throwaway benchmark database)
COHORTS, PER_COHORT, HOSPITALS, DEPARTMENTS, MASTERCLASSES = 50, 20, 10, 10, 100
BENCH_COHORT = 25  # its fortnight started a week ago: its doctors are on rotation today
SPECIALTIES = [
    "general-surgery", "anaesthesiology", "neurosurgery", "obstetrics-gynaecology",
    "neonatology", "cardiology", "oncology", "paediatrics", "intensive-care", "radiology",
]  # fmt: skip


def build(url: str) -> dict:
    """Create the schema and the data in ``url``; return the logins and ids the bench needs."""
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    rng = random.Random(6)
    today = date.today()
    with engine.begin() as db:
        _hospitals(db)
        _cohorts(db, today)
        _doctors_and_users(db)
        _placements(db, rng)
        _masterclasses(db, rng, today)
        bench_doctor = db.scalar(
            select(Enrollment.doctor_id).where(Enrollment.cohort_id == BENCH_COHORT).limit(1)
        )
    engine.dispose()
    return {
        "doctor_email": f"doctor{bench_doctor}@bench.example.org",
        "director_email": "director@bench.example.org",
        "password": PASSWORD,
        "cohort_id": BENCH_COHORT,
    }


def _rows(db, model, rows: list[dict]) -> None:
    if rows:
        db.execute(insert(model.__table__), rows)


def _hospitals(db) -> None:
    _rows(db, Hospital, [
        dict(id=h, name=f"Host hospital {h}", city="Haifa", country="Israel",
             address=f"{h} HaAliya St", timezone="Asia/Jerusalem", working_weekdays="6,0,1,2,3")
        for h in range(1, HOSPITALS + 1)
    ])  # fmt: skip
    _rows(db, Department, [
        dict(id=(h - 1) * DEPARTMENTS + n + 1, hospital_id=h, name=f"{SPECIALTIES[n]} {h}",
             specialty=SPECIALTIES[n], capacity=6, supervisor_name=f"Dr. Supervisor {h}-{n}",
             supervisor_email=f"supervisor{h}-{n}@hospital.example.org")
        for h in range(1, HOSPITALS + 1) for n in range(DEPARTMENTS)
    ])  # fmt: skip


def _cohorts(db, today: date) -> None:
    first_start = today - timedelta(days=7 + 7 * (BENCH_COHORT - 1))
    rows, hosts, items, options = [], [], [], []
    for c in range(1, COHORTS + 1):
        start = first_start + timedelta(days=7 * (c - 1))
        rows.append(dict(
            id=c, name=f"Cohort {c:02d} — Abay region", origin_country="Kazakhstan",
            origin_region="Abay region", start_date=start, end_date=start + timedelta(days=13),
            status=CohortStatus.ACTIVE,
        ))  # fmt: skip
        hospital = (c - 1) % HOSPITALS + 1
        hosts.append(dict(cohort_id=c, hospital_id=hospital))
        cohort_items, cohort_options = curriculum_rows(c, hospital)
        items += cohort_items
        options += cohort_options
    _rows(db, Cohort, rows)
    _rows(db, CohortHost, hosts)
    _rows(db, CurriculumItem, items)
    _rows(db, CurriculumOption, options)


def _doctors_and_users(db) -> None:
    password_hash = generate_password_hash(PASSWORD)
    doctors, users, enrollments = [], [], []
    for d in range(1, COHORTS * PER_COHORT + 1):
        doctors.append(dict(
            id=d, first_name=f"Doctor{d}", last_name="Nurlanovna", native_name="Әйгерім",
            specialty=SPECIALTIES[d % DEPARTMENTS], home_institution="Semey Medical University",
            country="Kazakhstan", licence_number=f"LIC-{d:05d}", passport_number=f"N{d:08d}",
            email=f"doctor{d}@doctors.example.kz", phone=f"+7 701 555 {d:04d}",
        ))  # fmt: skip
        users.append(dict(
            email=f"doctor{d}@bench.example.org", full_name=f"Doctor{d} Nurlanovna",
            role=Role.DOCTOR, doctor_id=d, password_hash=password_hash,
        ))  # fmt: skip
        enrollments.append(
            dict(id=d, cohort_id=(d - 1) // PER_COHORT + 1, doctor_id=d,
                 status=EnrollmentStatus.CONFIRMED)
        )  # fmt: skip
    staff = [
        dict(email="director@bench.example.org", full_name="Bench Director", role=Role.DIRECTOR,
             hospital_id=None),
        dict(email="coordinator@bench.example.org", full_name="Bench Coordinator",
             role=Role.COORDINATOR, hospital_id=1),
    ]  # fmt: skip
    _rows(db, Doctor, doctors)
    _rows(db, User, users)
    _rows(db, User, [dict(row, password_hash=password_hash) for row in staff])
    _rows(db, Enrollment, enrollments)


def _placements(db, rng: random.Random) -> None:
    cohorts = {c.id: c for c in db.execute(select(Cohort.id, Cohort.start_date))}
    rows = []
    for e in range(1, COHORTS * PER_COHORT + 1):
        cohort_id = (e - 1) // PER_COHORT + 1
        hospital = (cohort_id - 1) % HOSPITALS + 1
        start = cohorts[cohort_id].start_date
        for i in range(4):
            first = start + timedelta(days=3 * i + (i > 1))
            dept = (hospital - 1) * DEPARTMENTS + (i + 4 * rng.randint(0, 1)) + 1
            rows.append(dict(
                enrollment_id=e, curriculum_item_id=(cohort_id - 1) * 4 + i + 1,
                department_id=dept, start_date=first, end_date=first + timedelta(days=2),
                status=PlacementStatus.CONFIRMED if i < 2 else PlacementStatus.REQUESTED,
            ))  # fmt: skip
    _rows(db, Placement, rows)


def _masterclasses(db, rng: random.Random, today: date) -> None:
    zone = ZoneInfo("Asia/Jerusalem")
    classes, registrations = [], []
    for m in range(1, MASTERCLASSES + 1):
        day = today + timedelta(days=m - 30)
        starts = datetime.combine(day, time(9, 0), zone).astimezone(UTC)
        cohort_id = None if m % 3 == 0 else (m % COHORTS) + 1
        classes.append(dict(
            id=m, title=f"Masterclass {m}: laparoscopic techniques",
            lead_specialist="Prof. Visiting", lead_title="Head of Surgery",
            venue="Conference hall", city="Haifa", country="Israel",
            timezone="Asia/Jerusalem", starts_at=starts, ends_at=starts + timedelta(hours=6),
            capacity=30, credit_hours=6.0, cohort_id=cohort_id, hospital_id=(m % HOSPITALS) + 1,
        ))  # fmt: skip
        pool = (
            range(1, COHORTS * PER_COHORT + 1)
            if cohort_id is None
            else range((cohort_id - 1) * PER_COHORT + 1, cohort_id * PER_COHORT + 1)
        )
        for d in rng.sample(list(pool), 20):
            registrations.append(
                dict(masterclass_id=m, doctor_id=d, status=RegistrationStatus.REGISTERED)
            )
    _rows(db, Masterclass, classes)
    _rows(db, Registration, registrations)


def curriculum_rows(c: int, hospital: int) -> tuple[list[dict], list[dict]]:
    """Cohort ``c``'s four required rotations, each offered by two departments of its host."""
    items, options = [], []
    for i in range(4):
        item_id = (c - 1) * 4 + i + 1
        items.append(dict(
            id=item_id, cohort_id=c, name=f"Rotation {i + 1}", days=3, required=True,
            position=i, specialty_mode=SpecialtyMode.DEPARTMENTS,
        ))  # fmt: skip
        for n in (i, i + 4):
            dept = (hospital - 1) * DEPARTMENTS + n + 1
            options.append(dict(item_id=item_id, department_id=dept, preference=1))
    return items, options
