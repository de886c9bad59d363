"""A training centre with years of history for bench/pages.py, written with bulk inserts into
an already migrated schema (PostgreSQL or SQLite).

``build(url, doctors)`` writes ``doctors // 20`` cohorts of 20 spread over 17 years (the last
few still ahead; the bench cohort on its rotations today), 10 host hospitals of 10 departments
(their holidays and closures for every year), four placements per doctor with attendance for
the finished ones, an internship certificate (signed) for every completed enrollment (so the
cohorts ended over 90 days ago are archived, as the nightly lifecycle leaves them), one
masterclass per 7 doctors with 20 registrations each, 26 audit events per doctor, an outbox
message per doctor, and a login for every doctor plus a director, a coordinator and an admin.
Then bench/pages_history.py writes what those years left behind: evaluations both ways of
every completed placement with their answers and tallies, follow-up surveys, host hospitals'
document requirements and the recent doctors' documents, invitations, and every cohort's
budget, rates and costs. At 3,500 doctors that is the history a real centre holds after 17
years: 175 cohorts, about 3,400 certificates, 500 masterclasses, 92,000 audit events, 27,000
evaluations and 9,600 follow-up surveys.
"""

from __future__ import annotations

import enum
import json
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, inspect, text
from werkzeug.security import generate_password_hash

from bench.pages_history import build_history
from bench.web_data import (
    DEPARTMENTS,
    HOSPITALS,
    PASSWORD,
    SPECIALTIES,
    _hospitals,
    curriculum_rows,
)
from somet.certificates import storage
from somet.certificates.core import completion, payload, signing
from somet.models import (
    Attendance,
    AttendanceStatus,
    AuditEvent,
    Certificate,
    CertificateKind,
    Cohort,
    CohortHost,
    CohortStatus,
    CurriculumItem,
    CurriculumOption,
    DepartmentClosure,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    HospitalHoliday,
    Masterclass,
    Notification,
    Placement,
    PlacementStatus,
    Registration,
    RegistrationStatus,
    Role,
    User,
)
from somet.reports import tallies as dashboard_tallies

YEARS, PER_COHORT, CHUNK = 17, 20, 5000
AUDIT_PER_DOCTOR, DOCTORS_PER_MASTERCLASS = 26, 7
FIRST_NAMES = ["Ерлан", "Әйгерім", "Айгуль", "Нурлан", "Дана", "Серик", "Асель", "Бауыржан"]
LATIN_FIRST = ["Erlan", "Aigerim", "Aigul", "Nurlan", "Dana", "Serik", "Asel", "Baurzhan"]
# Surnames vary as a real roster's do (200 of them, each first name under every one): with
# a single surname, the roster sorted by name held each first name in one block, so a name
# search read a share of every doctor before its first match, more as history grew.
SURNAME_ROOTS = [
    ("Akhmet", "Ахмет"), ("Serikbay", "Серікбай"), ("Nurlan", "Нұрлан"), ("Omar", "Омар"),
    ("Zhaksylyk", "Жақсылық"), ("Seit", "Сейіт"), ("Murat", "Мұрат"), ("Kasym", "Қасым"),
    ("Abdrakhman", "Әбдірахман"), ("Tokhtar", "Тоқтар"), ("Yesim", "Есім"), ("Karim", "Кәрім"),
    ("Sultan", "Сұлтан"), ("Zhumabay", "Жұмабай"), ("Ospan", "Оспан"), ("Ermek", "Ермек"),
    ("Dauletbay", "Дәулетбай"), ("Baktybay", "Бақтыбай"), ("Iskak", "Ысқақ"), ("Temir", "Темір"),
]  # fmt: skip
SURNAME_ENDINGS = [
    ("ov", "ов"), ("ova", "ова"), ("uly", "ұлы"), ("kyzy", "қызы"), ("ev", "ев"),
    ("eva", "ева"), ("in", "ин"), ("ina", "ина"), ("bekov", "беков"), ("bekova", "бекова"),
]  # fmt: skip
AUDIT_ACTIONS = [
    ("placement.requested", "Placement"), ("placement.confirmed", "Placement"),
    ("attendance.recorded", "Department"), ("certificate.issued", "Certificate"),
    ("roster.add", "Enrollment"), ("cohort.update", "Cohort"), ("user.invited", "User"),
    ("masterclass.checked_in", "Masterclass"), ("doctor.profile_updated", "Doctor"),
    ("hospital.holiday_add", "Hospital"), ("department.closure_add", "Department"),
]  # fmt: skip


def build(url: str, doctors: int, instance_path: Path, history: bool = True) -> dict:
    """Fill the migrated database at ``url``; return the logins and ids the bench needs.
    ``history``: also the outcomes, documents, invitations and money (bench/pages_history.py)."""
    cohorts = max(doctors // PER_COHORT, 2)
    future = max(1, cohorts // 20)
    bench_cohort = cohorts - future  # 1-based id of the cohort on rotation today
    today = date.today()
    spacing = YEARS * 365 / cohorts
    starts = {
        c: today - timedelta(days=7 + round((bench_cohort - c) * spacing))
        for c in range(1, cohorts + 1)
    }
    rng = random.Random(22)
    # The key file the served app adopts as its active key (key history, migration 0017).
    kid = storage.save_private_key(instance_path, signing.generate_private_key_pem())
    key = storage.private_key(instance_path, kid)
    engine = create_engine(url)
    with engine.begin() as db:
        _hospitals(db)
        _holidays_and_closures(db, today)
        _cohorts(db, starts, today)
        users = _doctors_and_users(db, doctors, starts, today)
        _placements(db, rng, doctors, starts, today)
        codes = _certificates(db, key, doctors, starts, today)
        _masterclasses(db, rng, doctors, starts, today)
        _audit_events(db, rng, doctors, today)
        _outbox(db, doctors)
        if history:  # the director reviews the documents; the app's default storage folder
            build_history(db, _rows, rng, starts, today, doctors + 1, instance_path / "storage")
    with engine.begin() as db:
        _reset_sequences(db)
        for statement in dashboard_tallies.rebuild_statements():  # kept on flush by the app
            db.execute(statement)
    engine.dispose()
    bench_doctor = (bench_cohort - 1) * PER_COHORT + 1
    return {
        "doctor": f"doctor{bench_doctor}@bench.example.org",
        "director": "director@bench.example.org",
        "coordinator": "coordinator@bench.example.org",
        "admin": "admin@bench.example.org",
        "password": PASSWORD,
        "cohort_id": bench_cohort,
        "verification_code": codes[0] if codes else "",
        "users": users,
    }


def _rows(db, model, rows: list[dict]) -> None:
    if db.dialect.name == "postgresql" and len(rows) > CHUNK:
        _copy(db, model.__table__, rows)
        return
    for first in range(0, len(rows), CHUNK):
        db.execute(insert(model.__table__), rows[first : first + CHUNK])


def _copy(db, table, rows: list[dict]) -> None:
    """PostgreSQL's COPY for the big tables (ten times faster than INSERT at the large size);
    the models' Python-side defaults are filled in here, as an INSERT through Core would."""
    defaults = {
        c.name: c.default
        for c in table.columns
        if c.default is not None and c.name not in rows[0] and not c.primary_key
    }
    names = list(rows[0]) + list(defaults)
    fixed = {
        name: (d.arg(None) if d.is_callable else d.arg) for name, d in defaults.items()
    }  # one timestamp for the batch is fine for a benchmark
    cursor = db.connection.driver_connection.cursor()
    columns = ", ".join(names)
    with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_plain(row.get(n, fixed.get(n))) for n in names])


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _holidays_and_closures(db, today: date) -> None:
    years = range(today.year - YEARS, today.year + 2)
    _rows(db, HospitalHoliday, [
        dict(hospital_id=h, day=date(y, m, 10 + h % 5), name=f"Holiday {m}")
        for h in range(1, HOSPITALS + 1) for y in years for m in range(1, 13)
    ])  # fmt: skip
    _rows(db, DepartmentClosure, [
        dict(department_id=d, day=date(y, m, 3 + d % 20), reason="Inspection")
        for d in range(1, HOSPITALS * DEPARTMENTS + 1) for y in years for m in (2, 5, 8, 11)
    ])  # fmt: skip


# What the nightly lifecycle leaves: a finished cohort with every certificate issued is archived
# this long after its end (the default ``SOMET_ARCHIVE_AFTER_DAYS``).
ARCHIVED_AFTER = timedelta(days=90)


def _status_of(start: date, today: date) -> CohortStatus:
    end = start + timedelta(days=13)
    if end + ARCHIVED_AFTER <= today:
        return CohortStatus.ARCHIVED
    if end < today:
        return CohortStatus.COMPLETED
    return CohortStatus.ACTIVE if start <= today else CohortStatus.SCHEDULED


def _cohorts(db, starts: dict[int, date], today: date) -> None:
    rows, hosts, items, options = [], [], [], []
    for c, start in starts.items():
        rows.append(dict(
            id=c, name=f"Cohort {c:04d} — Abay region {start.year}", origin_country="Kazakhstan",
            origin_region="Abay region", sponsor="Abay Health Department", start_date=start,
            end_date=start + timedelta(days=13), status=_status_of(start, today),
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


def _surname(d: int) -> tuple[str, str]:
    """Doctor ``d``'s surname, in Latin and Cyrillic letters."""
    k = d // len(FIRST_NAMES)
    (latin_root, root), (latin_end, end) = (
        SURNAME_ROOTS[k % len(SURNAME_ROOTS)],
        SURNAME_ENDINGS[k // len(SURNAME_ROOTS) % len(SURNAME_ENDINGS)],
    )
    return latin_root + latin_end, root + end


def _cohort_of(d: int) -> int:
    return (d - 1) // PER_COHORT + 1


def _doctors_and_users(db, count: int, starts, today: date) -> int:
    password_hash = generate_password_hash(PASSWORD)
    doctors, users, enrollments = [], [], []
    for d in range(1, count + 1):
        n, (surname, native_surname) = d % len(FIRST_NAMES), _surname(d)
        doctors.append(dict(
            id=d, first_name=f"{LATIN_FIRST[n]}{d}", last_name=surname,
            native_name=f"{FIRST_NAMES[n]} {native_surname} {d}",
            specialty=SPECIALTIES[d % DEPARTMENTS],
            home_institution="Semey Medical University", country="Kazakhstan",
            region="Abay region", licence_number=f"LIC-{d:06d}", passport_number=f"N{d:08d}",
            email=f"doctor{d}@doctors.example.kz", phone=f"+7 701 {d:07d}",
        ))  # fmt: skip
        users.append(dict(
            id=d, email=f"doctor{d}@bench.example.org", full_name=f"{LATIN_FIRST[n]}{d} {surname}",
            role=Role.DOCTOR, doctor_id=d, password_hash=password_hash,
        ))  # fmt: skip
        past = _status_of(starts[_cohort_of(d)], today) in CohortStatus.FINISHED
        status = EnrollmentStatus.COMPLETED if past else EnrollmentStatus.CONFIRMED
        enrollments.append(dict(id=d, cohort_id=_cohort_of(d), doctor_id=d, status=status))
    hospital = (len(starts) - max(1, len(starts) // 20) - 1) % HOSPITALS + 1  # the bench cohort's
    staff = [
        (Role.DIRECTOR, "director", None), (Role.COORDINATOR, "coordinator", hospital),
        (Role.ADMIN, "admin", None),
    ]  # fmt: skip
    _rows(db, Doctor, doctors)
    _rows(db, User, users)
    _rows(db, User, [
        dict(id=count + i + 1, email=f"{name}@bench.example.org", full_name=f"Bench {name}",
             role=role, hospital_id=hospital_id, password_hash=password_hash)
        for i, (role, name, hospital_id) in enumerate(staff)
    ])  # fmt: skip
    _rows(db, Enrollment, enrollments)
    return count + len(staff)


def _placements(db, rng, count: int, starts, today: date) -> None:
    placements, attendance = [], []
    for e in range(1, count + 1):
        cohort = _cohort_of(e)
        hospital = (cohort - 1) % HOSPITALS + 1
        start = starts[cohort]
        for i in range(4):
            pid = (e - 1) * 4 + i + 1
            first = start + timedelta(days=3 * i + (i > 1))
            if first + timedelta(days=2) < today:
                status = PlacementStatus.COMPLETED
            elif first <= today or i < 2:
                status = PlacementStatus.CONFIRMED
            else:
                status = PlacementStatus.REQUESTED
            awaiting = status == PlacementStatus.REQUESTED
            decided = None if awaiting else _at(start - timedelta(days=20))
            placements.append(dict(
                id=pid, enrollment_id=e, curriculum_item_id=(cohort - 1) * 4 + i + 1,
                department_id=(hospital - 1) * DEPARTMENTS + (i + 4 * rng.randint(0, 1)) + 1,
                start_date=first, end_date=first + timedelta(days=2), status=status,
                requested_at=_at(start - timedelta(days=30)), decided_at=decided,
            ))  # fmt: skip
            if status == PlacementStatus.COMPLETED:
                attendance += [
                    dict(placement_id=pid, day=first + timedelta(days=k),
                         status=AttendanceStatus.PRESENT if rng.random() > 0.05
                         else AttendanceStatus.ABSENT, recorded_at=_at(first))
                    for k in range(3)
                ]  # fmt: skip
    _rows(db, Placement, placements)
    _rows(db, Attendance, attendance)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), UTC)


def _certificates(db, key, count: int, starts, today: date) -> list[str]:
    rows, codes, verdict = [], [], _verdict()
    for d in range(1, count + 1):
        start = starts[_cohort_of(d)]
        if _status_of(start, today) not in CohortStatus.FINISHED:
            continue
        issued = start + timedelta(days=14)
        stamp = payload.Stamp(
            payload.format_serial(issued.year, d), payload.new_verification_code(),
            signing.key_id(key.public_key()), issued,
        )  # fmt: skip
        n, (surname, native_surname) = d % len(FIRST_NAMES), _surname(d)
        holder = payload.Holder(
            f"{LATIN_FIRST[n]}{d} {surname}", f"{FIRST_NAMES[n]} {native_surname}",
            "Anaesthesiology", "Анестезиология", "Semey MU",
        )  # fmt: skip
        programme = payload.Programme(
            f"Abay region {start.year}", "Abay Health Department",
            (payload.Host(f"Host hospital {(_cohort_of(d) - 1) % HOSPITALS + 1}", "Haifa",
                          "Israel"),), start, start + timedelta(days=13), 6.0, "Bench director",
        )  # fmt: skip
        snapshot = payload.internship_snapshot(stamp, holder, programme, verdict)
        codes.append(stamp.verification_code)
        rows.append(dict(
            serial=stamp.serial, kind=CertificateKind.INTERNSHIP, doctor_id=d, enrollment_id=d,
            snapshot=snapshot, hours=snapshot["hours"], verification_code=stamp.verification_code,
            signature=signing.sign_snapshot(key, snapshot), issued_at=_at(issued),
            signing_key_id=stamp.key_id,
        ))  # fmt: skip
    _rows(db, Certificate, rows)
    return codes


def _verdict():
    """Four completed three-day rotations, every day present: 72 credit hours."""
    rotations = tuple(
        completion.RotationRequirement(i, f"Rotation {i}", 3, True) for i in range(1, 5)
    )
    placements = tuple(
        completion.PlacementRecord(
            i,
            "completed",
            "Anaesthesiology",
            "Host hospital",
            date(2020, 3, 3 * i),
            date(2020, 3, 3 * i + 2),
            present_days=3,
            recorded_days=3,
        )
        for i in range(1, 5)
    )
    return completion.judge_enrollment(
        completion.CompletionInput("completed", 0.8, 6.0, rotations, placements)
    )


def _masterclasses(db, rng, count: int, starts, today: date) -> None:
    total = max(count // DOCTORS_PER_MASTERCLASS, 5)
    first, last = min(starts.values()), max(starts.values())
    step = (last - first).days / total
    classes, registrations = [], []
    for m in range(1, total + 1):
        day = first + timedelta(days=round(m * step))
        starts_at = datetime.combine(day, time(7, 0), UTC)
        cohort = min(starts, key=lambda c: abs((starts[c] - day).days)) if m % 3 else None
        classes.append(dict(
            id=m, title=f"Masterclass {m}: laparoscopic techniques",
            lead_specialist="Prof. Visiting",
            lead_title="Head of Surgery", venue="Conference hall", city="Haifa", country="Israel",
            timezone="Asia/Jerusalem", starts_at=starts_at, ends_at=starts_at + timedelta(hours=6),
            capacity=30, credit_hours=6.0, cohort_id=cohort, hospital_id=(m % HOSPITALS) + 1,
        ))  # fmt: skip
        pool = (
            range((cohort - 1) * PER_COHORT + 1, cohort * PER_COHORT + 1)
            if cohort
            else range(1, count + 1)
        )
        status = RegistrationStatus.ATTENDED if day < today else RegistrationStatus.REGISTERED
        registrations += [
            dict(masterclass_id=m, doctor_id=d, status=status)
            for d in rng.sample(list(pool), min(20, len(pool)))
        ]
    _rows(db, Masterclass, classes)
    _rows(db, Registration, registrations)


def _audit_events(db, rng, count: int, today: date) -> None:
    total = count * AUDIT_PER_DOCTOR
    first = datetime.combine(today - timedelta(days=YEARS * 365), time(0, 0), UTC)
    step = (YEARS * 365 * 86400) / total
    rows = []
    for n in range(total):
        action, object_type = AUDIT_ACTIONS[n % len(AUDIT_ACTIONS)]
        rows.append(dict(
            actor_id=count + 1 + n % 3, actor_label="staff@bench.example.org", action=action,
            object_type=object_type, object_id=rng.randint(1, count), details={"n": n},
            remote_addr="10.0.0.1", created_at=first + timedelta(seconds=n * step),
        ))  # fmt: skip
        if len(rows) == CHUNK:
            _rows(db, AuditEvent, rows)
            rows = []
    _rows(db, AuditEvent, rows)


def _outbox(db, count: int) -> None:
    _rows(db, Notification, [
        dict(user_id=d, to_email=f"doctor{d}@bench.example.org", kind="placement.confirmed",
             subject="Your rotation is confirmed", body="See you on Sunday.")
        for d in range(1, count + 1)
    ])  # fmt: skip


def _reset_sequences(db) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the rows written."""
    if db.dialect.name != "postgresql":
        return
    for table in inspect(db).get_table_names():
        columns = {c["name"] for c in inspect(db).get_columns(table)}
        if "id" in columns and db.scalar(text(f"SELECT pg_get_serial_sequence('{table}', 'id')")):
            move = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"  # noqa: E501, S608 - our own tables
            db.execute(text(move))
    db.execute(text("ANALYZE"))
