"""What the travel readiness page and the director's queue read.

Each function runs a fixed number of statements whatever the number of doctors: the readiness
page one per kind of data (the documents checklist, passports, flight legs, beds), the queue
one in all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Date, and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased

from somet.core.localisation import PersonName
from somet.core.problems import Problem
from somet.documents import queries as documents
from somet.models import (
    Cohort,
    CohortStatus,
    Doctor,
    DocumentKind,
    DocumentStatus,
    Enrollment,
    EnrollmentStatus,
    FlightLeg,
    HotelStay,
    RoomBooking,
    TravelDocument,
    VisaStatus,
    constant,
)
from somet.travel import readiness as rules
from somet.web.extensions import db

PASSPORT, ACCEPTED = DocumentKind.PASSPORT.value, DocumentStatus.ACCEPTED.value


@dataclass
class ReadinessRow:
    row: documents.ChecklistRow  # the enrollment, the doctor, the dates, the documents' reasons
    readiness: rules.Readiness

    @property
    def enrollment(self) -> Enrollment:
        return self.row.enrollment

    @property
    def doctor(self) -> Doctor:
        return self.row.doctor


@dataclass
class CohortReadiness:
    cohort: Cohort
    rows: list[ReadinessRow]

    @property
    def ready_count(self) -> int:
        return sum(1 for row in self.rows if row.readiness.ready)


def cohort_readiness(cohort: Cohort, today: date) -> CohortReadiness:
    """Every doctor of the cohort not withdrawn, with the problems of each aspect. ``cohort``
    comes with its hosts and their hospitals (``documents.queries.HOSTS_LOADED``)."""
    checklist = documents.cohort_checklist(cohort.id, today, cohort=cohort)
    passports = checklist.documents  # the checklist read every document of its doctors
    legs = _legs(cohort.id)
    beds = _beds(cohort.id)
    zone = host_zone(cohort)
    rows = []
    for row in checklist.rows:
        traveller = rules.Traveller(
            row.enrollment.id,
            row.arrival,
            row.departure,
            _value(row.enrollment.visa_status),
            row.doctor.passport_expires_on,
            tuple(
                d.valid_until
                for d in passports.get((row.doctor.id, PASSPORT), ())
                if d.status == ACCEPTED
            ),
            tuple(cell.kind for cell in row.cells if not cell.ready),
            tuple(beds.get(row.enrollment.id, ())),
        )
        rows.append(ReadinessRow(row, rules.readiness(traveller, legs, zone)))
    return CohortReadiness(cohort, rows)


def host_zone(cohort: Cohort) -> str | None:
    """The time zone the dates are read in: the first host's (hosts share a country)."""
    hosts = sorted(cohort.hosts, key=lambda host: host.hospital_id)
    return hosts[0].hospital.timezone if hosts else None


def _value(status) -> str | None:
    return status.value if status is not None else None


def _legs(cohort_id: int) -> list[rules.Leg]:
    rows = db.session.execute(_legs_statement(), {"cohort_id": cohort_id})
    return [rules.Leg(*row) for row in rows]


@cache
def _legs_statement():
    """Built once (parameter: ``cohort_id``): the readiness page is read for every visit."""
    return select(
        FlightLeg.departs_at,
        FlightLeg.departure_timezone,
        FlightLeg.arrives_at,
        FlightLeg.arrival_timezone,
        FlightLeg.enrollment_id,
    ).where(FlightLeg.cohort_id == bindparam("cohort_id"))


def _beds(cohort_id: int) -> dict[int, list[rules.Bed]]:
    found: dict[int, list[rules.Bed]] = defaultdict(list)
    rows = db.session.execute(_beds_statement(), {"cohort_id": cohort_id})
    for enrollment_id, check_in, check_out in rows:
        found[enrollment_id].append(rules.Bed(_day(check_in), _day(check_out)))
    return found


@cache
def _beds_statement():
    """Built once (parameter: ``cohort_id``), like ``_legs_statement``."""
    return (
        select(
            RoomBooking.enrollment_id,
            func.coalesce(RoomBooking.check_in, HotelStay.check_in),
            func.coalesce(RoomBooking.check_out, HotelStay.check_out),
        )
        .join(HotelStay, HotelStay.id == RoomBooking.hotel_stay_id)
        .where(HotelStay.cohort_id == bindparam("cohort_id"))
    )


def _day(value) -> date:
    """A date from ``coalesce`` (SQLite hands back its ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


# --- the director's queue: a refused visa or a passport expiring before departure -----------


@dataclass(frozen=True)
class FlaggedTraveller:
    enrollment_id: int
    cohort_id: int
    cohort_name: str
    doctor_name: PersonName  # worded in the reader's order by the person_name filter
    may_plan: bool  # the cohort may still be re-planned
    flags: tuple[Problem, ...]


def flagged_travellers(today: date) -> list[FlaggedTraveller]:
    """Doctors of cohorts not yet over whose visa was refused or whose passport expires
    before departure, by cohort start then name. One statement."""
    return _flagged(db.session.execute(_flagged_statement(), {"today": today}).all())


@cache
def _flagged_statement():
    """Built once (parameter: ``today``): it runs on every visit to a director's home.
    One pass over the trips: a trip is a candidate (a superset) by its own columns or by one
    of its doctor's passports, and comes with all of them; the rule decides below."""
    today = bindparam("today", type_=Date)
    departure = func.coalesce(Enrollment.departure_date, Cohort.end_date)
    passport = and_(
        TravelDocument.doctor_id == Enrollment.doctor_id,
        TravelDocument.kind == constant(DocumentKind.PASSPORT),
        TravelDocument.status == constant(DocumentStatus.ACCEPTED),
    )
    other = aliased(TravelDocument)  # any of the doctor's accepted passports
    expiring_passport = (
        select(other.id)
        .where(
            other.doctor_id == Enrollment.doctor_id,
            other.kind == constant(DocumentKind.PASSPORT),
            other.status == constant(DocumentStatus.ACCEPTED),
            other.valid_until < departure,
        )
        .exists()
    )
    return (
        _trips(
            select(
                Enrollment.id,
                Cohort.id,
                Cohort.name,
                Cohort.status,
                Doctor.first_name,
                Doctor.last_name,
                Doctor.native_name,
                Enrollment.visa_status,
                Doctor.passport_expires_on,
                departure,
                TravelDocument.id,
                TravelDocument.valid_until,
            ),
            passport,
            today,
        )
        .where(
            or_(
                Enrollment.visa_status == constant(VisaStatus.REFUSED),
                Doctor.passport_expires_on < departure,
                expiring_passport,
            )
        )
        .order_by(Cohort.start_date, Cohort.id, Doctor.last_name, Doctor.first_name, Enrollment.id)
    )


def _trips(statement, passport, today):
    """Travelling doctors of cohorts not yet over, with their accepted passports (if any)."""
    return (
        statement.select_from(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .outerjoin(TravelDocument, passport)
        .where(
            Enrollment.status.in_(constant(EnrollmentStatus.TRAVELLING)),
            Cohort.status.not_in(constant(CohortStatus.FINISHED)),
            Cohort.end_date >= today,
        )
    )


def _flagged(rows) -> list[FlaggedTraveller]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    found = []
    for enrollment_id, group in grouped.items():
        first = group[0]
        accepted = [row[11] for row in group if row[10] is not None]
        departure = _day(first[9])
        passport = rules.passport_problems(first[8], accepted, departure)
        flags = rules.flags(_value(first[7]), passport)
        if flags:
            found.append(
                FlaggedTraveller(
                    enrollment_id,
                    first[1],
                    first[2],
                    PersonName(*first[4:7]),
                    first[3] in CohortStatus.PLANNABLE,
                    tuple(flags),
                )
            )
    return found
