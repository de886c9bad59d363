"""``flask demo``: load a realistic training centre, once (``--reset`` starts over)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, select
from werkzeug.security import generate_password_hash

from somet.certificates.operations import remove_certificate_files
from somet.demo import data
from somet.demo.budget import load_demo_budget
from somet.demo.certificates import issue_demo_certificates
from somet.demo.cohort_states import advance_demo_cohorts
from somet.demo.documents import load_demo_documents
from somet.demo.evaluations import answer_demo_evaluations
from somet.demo.follow_up import play_follow_up
from somet.demo.history import load_demo_history
from somet.demo.masterclasses import load_demo_registrations
from somet.demo.participation import confirm_demo_participation
from somet.demo.past_cohort import play_past_cohort
from somet.demo.planning import plan_demo_cohort
from somet.demo.travel import load_demo_travel
from somet.demo.visas import record_demo_visas
from somet.documents.operations import remove_document_files
from somet.models import (
    Base,
    Certificate,
    Cohort,
    CohortHost,
    Cost,
    CurriculumItem,
    CurriculumOption,
    Department,
    DepartmentClosure,
    Doctor,
    Enrollment,
    Hospital,
    HospitalHoliday,
    Language,
    Masterclass,
    Role,
    SpecialtyMode,
    TravelDocument,
    User,
)
from somet.web.extensions import db

DEMO_LOGINS = [
    ("admin@example.org", "admin"),
    ("director@example.org", "director"),
    ("coordinator@example.org", "coordinator, Rambam (Haifa)"),
    ("coordinator2@example.org", "coordinator, Hadassah (Jerusalem)"),
    ("doctor@example.org", "doctor in both cohorts"),
    ("doctor2@example.org", "doctor in the upcoming cohort"),
]


@dataclass(frozen=True)
class DemoResult:
    created: bool
    logins: list[tuple[str, str]]


def load_demo(reset: bool = False) -> DemoResult:
    """Load the demo centre unless it is already there; ``reset`` empties every table first."""
    if reset:
        _empty_every_table()
    if db.session.scalar(select(Hospital.id).where(Hospital.name == data.HAIFA["name"])):
        return DemoResult(created=False, logins=DEMO_LOGINS)
    haifa = _hospital(data.HAIFA, data.HAIFA_DEPARTMENTS)
    jerusalem = _hospital(data.JERUSALEM, data.JERUSALEM_DEPARTMENTS)
    users = _users(haifa, jerusalem)
    doctors = [_doctor(row) for row in data.DOCTORS]
    past_doctors = [doctors[data.DOCTOR_LOGIN]] + [_doctor(row) for row in data.PAST_ONLY_DOCTORS]
    db.session.flush()
    _link_doctor_logins(users, doctors)
    _upcoming_cohort(users["director"], haifa, jerusalem, doctors)
    _past_cohort(users["director"], haifa, past_doctors)
    _masterclass(users["director"])
    load_demo_registrations()
    load_demo_documents(haifa, jerusalem, users["director"], doctors)
    db.session.commit()
    advance_demo_cohorts()
    play_past_cohort()
    answer_demo_evaluations()
    play_follow_up()
    confirm_demo_participation()
    issue_demo_certificates()
    plan_demo_cohort()
    record_demo_visas()
    load_demo_travel()
    load_demo_history()
    load_demo_budget()
    return DemoResult(created=True, logins=DEMO_LOGINS)


def _empty_every_table() -> None:
    """Delete every row, then the uploaded documents and certificate PDFs the rows named
    (only those: the storage folder may hold other files)."""
    documents = db.session.scalars(select(TravelDocument.storage_name)).all()
    invoices = db.session.scalars(
        select(Cost.invoice_storage_name).where(Cost.invoice_storage_name.is_not(None))
    ).all()
    pdfs = db.session.scalars(select(Certificate.pdf_path).where(Certificate.pdf_path.is_not(None)))
    pdfs = pdfs.all()
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()
    storage_dir = current_app.config["SOMET_STORAGE_DIR"]
    remove_document_files(storage_dir, [*documents, *invoices])
    remove_certificate_files(storage_dir, pdfs)


def _hospital(fields: dict, departments: list[tuple]) -> Hospital:
    hospital = Hospital(**fields)
    db.session.add(hospital)
    for name, specialty, capacity, supervisor, languages in departments:
        slug = supervisor.split()[-1].lower()
        db.session.add(
            Department(
                hospital=hospital,
                name=name,
                specialty=specialty,
                capacity=capacity,
                supervisor_name=supervisor,
                supervisor_email=f"{slug}@{fields['city'].lower()}.hospital.example.org",
                languages=languages,
            )
        )
    for day, name in data.HOLIDAYS:
        db.session.add(HospitalHoliday(hospital=hospital, day=day, name=name))
    db.session.flush()
    return hospital


def _users(haifa: Hospital, jerusalem: Hospital) -> dict[str, User]:
    password_hash = generate_password_hash(data.DEMO_PASSWORD)
    specs = {
        "admin": ("admin@example.org", "Asel Nurpeisova", Role.ADMIN, None, Language.EN),
        "director": ("director@example.org", "Gulmira Abenova", Role.DIRECTOR, None, Language.EN),
        "coordinator": (
            "coordinator@example.org",
            "Noa Levi",
            Role.COORDINATOR,
            haifa,
            Language.EN,
        ),
        "coordinator2": (
            "coordinator2@example.org",
            "Yael Cohen",
            Role.COORDINATOR,
            jerusalem,
            Language.EN,
        ),
    }
    users = {}
    for key, (email, name, role, hospital, language) in specs.items():
        users[key] = User(
            email=email,
            full_name=name,
            role=role,
            language=language,
            hospital_id=hospital.id if hospital else None,
            password_hash=password_hash,
        )
        db.session.add(users[key])
    return users


def _doctor(row: tuple) -> Doctor:
    first, last, native, specialty, institution, licence, passport = row
    doctor = Doctor(
        first_name=first,
        last_name=last,
        native_name=native,
        specialty=specialty,
        home_institution=institution,
        country="Kazakhstan",
        region="Abay region",
        licence_number=licence,
        passport_number=passport,
        nationality="Kazakhstan",
        passport_expires_on=date(2031, 6, 30),
        date_of_birth=date(1988, 3, 14),
        email=f"{first.lower()}.{last.lower()}@doctors.example.kz",
        phone="+7 701 555 " + passport[-4:],
        preferred_language=Language.RU,
    )
    db.session.add(doctor)
    return doctor


def _link_doctor_logins(users: dict[str, User], doctors: list[Doctor]) -> None:
    password_hash = generate_password_hash(data.DEMO_PASSWORD)
    for email, index in (
        ("doctor@example.org", data.DOCTOR_LOGIN),
        ("doctor2@example.org", data.DOCTOR2_LOGIN),
    ):
        doctor = doctors[index]
        users[email] = User(
            email=email,
            full_name=doctor.latin_name,
            role=Role.DOCTOR,
            doctor_id=doctor.id,
            language=Language.RU,
            password_hash=password_hash,
        )
        db.session.add(users[email])


def _cohort(fields: dict, director: User, hosts: list[Hospital]) -> Cohort:
    """A draft: its lifecycle moves on through the operations (demo/cohort_states.py)."""
    cohort = Cohort(**fields, director=director)
    db.session.add(cohort)
    for hospital in hosts:
        db.session.add(CohortHost(cohort=cohort, hospital_id=hospital.id))
    return cohort


def _curriculum(cohort: Cohort, rows: list[tuple], hospitals: list[Hospital]) -> list:
    items = []
    for position, (name, specialty, days, required, weight) in enumerate(rows):
        item = CurriculumItem(
            cohort=cohort,
            name=name,
            days=days,
            required=required,
            weight=weight,
            position=position,
            specialty=specialty,
            specialty_mode=SpecialtyMode.NAMED if specialty else SpecialtyMode.OWN,
        )
        db.session.add(item)
        items.append(item)
    departments = db.session.scalars(
        select(Department).where(Department.hospital_id.in_([h.id for h in hospitals]))
    ).all()
    for item in items:
        for department in departments:
            if item.specialty and department.specialty == item.specialty:
                db.session.add(
                    CurriculumOption(
                        item=item,
                        department_id=department.id,
                        preference=3 if department.hospital_id == hospitals[0].id else 1,
                    )
                )
    return items


def _upcoming_cohort(director: User, haifa: Hospital, jerusalem: Hospital, doctors) -> Cohort:
    cohort = _cohort(data.UPCOMING_COHORT, director, [haifa, jerusalem])
    _curriculum(cohort, data.UPCOMING_CURRICULUM, [haifa, jerusalem])
    start, end = data.UPCOMING_COHORT["start_date"], data.UPCOMING_COHORT["end_date"]
    for index, doctor in enumerate(doctors):
        arrival = start + timedelta(days=1) if index == 7 else start  # one arrives late
        db.session.add(
            Enrollment(
                cohort=cohort,
                doctor_id=doctor.id,
                arrival_date=arrival,
                departure_date=end,
            )
        )
    neurosurgery = db.session.scalar(
        select(Department).where(
            Department.hospital_id == haifa.id, Department.specialty == "neurosurgery"
        )
    )
    db.session.add(
        DepartmentClosure(
            department=neurosurgery, day=date(2027, 1, 14), reason="Department training day"
        )
    )
    return cohort


def _past_cohort(director: User, haifa: Hospital, doctors: list[Doctor]) -> Cohort:
    """Last year's cohort and its roster; its life is played by demo/past_cohort.py."""
    cohort = _cohort(data.PAST_COHORT, director, [haifa])
    _curriculum(cohort, data.PAST_CURRICULUM, [haifa])
    for doctor in doctors:
        # invited, as every roster row starts; confirmed and judged by the operations
        db.session.add(
            Enrollment(
                cohort=cohort,
                doctor_id=doctor.id,
                arrival_date=cohort.start_date,
                departure_date=cohort.end_date,
            )
        )
    return cohort


def _masterclass(director: User) -> Masterclass:
    fields = dict(data.MASTERCLASS)
    zone = ZoneInfo(fields["timezone"])
    starts = datetime(*fields.pop("local_start"), tzinfo=zone)
    ends = datetime(*fields.pop("local_end"), tzinfo=zone)
    masterclass = Masterclass(**fields, starts_at=starts, ends_at=ends, created_by_id=director.id)
    db.session.add(masterclass)
    return masterclass
