"""PURE: is a doctor ready to travel? Documents, flights, a bed, the visa and the passport.

Plain frozen dataclasses in, problems (code + parameters) out; no Flask, no SQLAlchemy, no
models. Visa statuses are the string values of ``VisaStatus``. The queries build the facts
from the database; tests build them by hand. The edge words the codes in the reader's language.

- documents: every document the hosts require accepted and valid (the documents feature
  decides it; here only the kinds it found lacking arrive);
- flights: the legs that apply (the doctor's own if any, else the group's) hold one arriving
  on or before the arrival date and one leaving on or after the departure date, in the host's
  time zone;
- bed: the doctor's room bookings at the cohort's hotels cover every night from arrival to
  departure;
- visa: granted or not required;
- passport: valid until at least the departure date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from somet.core.problems import Problem, problem
from somet.travel.rules import own_or_group

ASPECTS = ("documents", "flights", "bed", "visa", "passport")
NOT_REQUIRED, APPLIED, GRANTED, REFUSED = "not_required", "applied", "granted", "refused"
VISA_OK = (NOT_REQUIRED, GRANTED)
# What flags the doctor on the director's queue: the trip cannot happen as planned.
FLAGS = frozenset({"travel.visa_refused", "travel.passport_expires_before_departure"})


@dataclass(frozen=True)
class Leg:
    departs_at: datetime  # aware (UTC)
    departure_timezone: str
    arrives_at: datetime
    arrival_timezone: str
    enrollment_id: int | None = None  # None: the group's leg


@dataclass(frozen=True)
class Bed:
    check_in: date  # the booking's own dates, or its hotel stay's
    check_out: date


@dataclass(frozen=True)
class Traveller:
    enrollment_id: int
    arrival: date
    departure: date
    visa_status: str | None = None
    passport_expires_on: date | None = None  # as recorded on the doctor
    # valid_until of each accepted passport document (None: it does not expire)
    accepted_passports: tuple[date | None, ...] = ()
    documents_lacking: tuple[str, ...] = ()  # kinds the documents feature finds not ready
    beds: tuple[Bed, ...] = ()


@dataclass(frozen=True)
class Readiness:
    enrollment_id: int
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # aspect -> problems

    @property
    def ready(self) -> bool:
        return not any(self.problems.values())

    @property
    def flags(self) -> list[Problem]:
        return [p for found in self.problems.values() for p in found if p.code in FLAGS]


def readiness(traveller: Traveller, legs: Iterable[Leg], host_zone: str | None) -> Readiness:
    """Each aspect's problems for one doctor (empty lists: ready)."""
    return Readiness(
        traveller.enrollment_id,
        {
            "documents": document_problems(traveller.documents_lacking),
            "flights": flight_problems(
                own_or_group(legs, traveller.enrollment_id),
                traveller.arrival,
                traveller.departure,
                host_zone,
            ),
            "bed": bed_problems(traveller.beds, traveller.arrival, traveller.departure),
            "visa": visa_problems(traveller.visa_status),
            "passport": passport_problems(
                traveller.passport_expires_on, traveller.accepted_passports, traveller.departure
            ),
        },
    )


def document_problems(lacking: Iterable[str]) -> list[Problem]:
    lacking = tuple(lacking)
    return [problem("travel.documents_not_ready", kinds=lacking)] if lacking else []


def _local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def flight_problems(
    legs: list[Leg], arrival: date, departure: date, host_zone: str | None = None
) -> list[Problem]:
    """Whether the legs bring the doctor in by ``arrival`` and take them home from
    ``departure`` on (days in the host's zone, else each airport's own)."""
    if not legs:
        return [problem("travel.flights_missing")]
    lands = sorted(_local_day(leg.arrives_at, host_zone or leg.arrival_timezone) for leg in legs)
    leaves = sorted(_local_day(leg.departs_at, host_zone or leg.departure_timezone) for leg in legs)
    problems = []
    if lands[0] > arrival:
        if lands[0] < departure:
            problems.append(problem("travel.outbound_flight_late", arrival=arrival, day=lands[0]))
        else:
            problems.append(problem("travel.outbound_flight_missing", arrival=arrival))
    if leaves[-1] < departure:
        if leaves[-1] > arrival:
            problems.append(
                problem("travel.return_flight_early", departure=departure, day=leaves[-1])
            )
        else:  # only outbound legs so far
            problems.append(problem("travel.return_flight_missing", departure=departure))
    return problems


def uncovered_nights(beds: Iterable[Bed], arrival: date, departure: date) -> list[date]:
    """The nights from ``arrival`` to the eve of ``departure`` no booking covers."""
    beds = list(beds)
    nights = [arrival + timedelta(days=n) for n in range((departure - arrival).days)]
    return [night for night in nights if not any(b.check_in <= night < b.check_out for b in beds)]


def bed_problems(beds: Iterable[Bed], arrival: date, departure: date) -> list[Problem]:
    beds = list(beds)
    if not beds and departure > arrival:
        return [problem("travel.bed_missing")]
    gaps = uncovered_nights(beds, arrival, departure)
    return [problem("travel.nights_uncovered", days_list=tuple(gaps))] if gaps else []


def visa_problems(status: str | None) -> list[Problem]:
    if status in VISA_OK:
        return []
    if status == REFUSED:
        return [problem("travel.visa_refused")]
    if status == APPLIED:
        return [problem("travel.visa_applied")]
    return [problem("travel.visa_not_recorded")]


def passport_valid_until(
    expires_on: date | None, accepted: Iterable[date | None]
) -> tuple[bool, date | None]:
    """(known, last valid day) of the passport: an accepted passport document decides (the
    latest of them; one without an expiry never expires), else the date on the doctor."""
    accepted = list(accepted)
    if accepted:
        return (True, None) if None in accepted else (True, max(accepted))
    return expires_on is not None, expires_on


def passport_problems(
    expires_on: date | None, accepted: Iterable[date | None], departure: date
) -> list[Problem]:
    known, valid_until = passport_valid_until(expires_on, accepted)
    if not known:
        return [problem("travel.passport_expiry_unknown")]
    if valid_until is not None and valid_until < departure:
        return [
            problem(
                "travel.passport_expires_before_departure", day=valid_until, departure=departure
            )
        ]
    return []


def flags(visa_status: str | None, passport: list[Problem]) -> list[Problem]:
    """What flags the doctor on the director's queue: a refused visa, an expiring passport."""
    found = visa_problems(visa_status) + passport
    return [p for p in found if p.code in FLAGS]
