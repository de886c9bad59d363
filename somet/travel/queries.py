"""Reading itineraries: the director's page of a cohort, a doctor's own travel, the feed.

Each list is one statement naming its loading; a doctor's legs (or transfers) are their own
when they have any, else the group's (``rules.own_or_group``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import and_, bindparam, exists, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from somet.models import (
    Cohort,
    CohortHost,
    Enrollment,
    EnrollmentStatus,
    FlightLeg,
    Hospital,
    HotelStay,
    Role,
    RoomBooking,
    Transfer,
    User,
)
from somet.travel import rules
from somet.web.extensions import db


def cohort_legs(cohort_id: int) -> list[FlightLeg]:
    return list(
        db.session.scalars(
            select(FlightLeg)
            .options(joinedload(FlightLeg.enrollment).joinedload(Enrollment.doctor))
            .where(FlightLeg.cohort_id == cohort_id)
            .order_by(FlightLeg.departs_at, FlightLeg.id)
        )
    )


def cohort_transfers(cohort_id: int) -> list[Transfer]:
    return list(
        db.session.scalars(
            select(Transfer)
            .options(joinedload(Transfer.enrollment).joinedload(Enrollment.doctor))
            .where(Transfer.cohort_id == cohort_id)
            .order_by(Transfer.departs_at, Transfer.id)
        )
    )


def cohort_stays(cohort_id: int) -> list[HotelStay]:
    return list(
        db.session.scalars(
            select(HotelStay)
            .options(
                selectinload(HotelStay.rooms)
                .joinedload(RoomBooking.enrollment)
                .joinedload(Enrollment.doctor)
            )
            .where(HotelStay.cohort_id == cohort_id)
            .order_by(HotelStay.check_in, HotelStay.id)
        )
    )


def travelling_enrollments(cohort_id: int) -> list[Enrollment]:
    """The cohort's doctors still to travel or travelling (not withdrawn), with the doctor."""
    return list(
        db.session.scalars(
            select(Enrollment)
            .options(joinedload(Enrollment.doctor))
            .where(
                Enrollment.cohort_id == cohort_id,
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
            )
            .order_by(Enrollment.id)
        )
    )


def leg_of(cohort_id: int, leg_id: int) -> FlightLeg | None:
    """The leg through its cohort (another cohort's leg is None)."""
    return db.session.scalar(
        select(FlightLeg).where(FlightLeg.id == leg_id, FlightLeg.cohort_id == cohort_id)
    )


def transfer_of(cohort_id: int, transfer_id: int) -> Transfer | None:
    return db.session.scalar(
        select(Transfer).where(Transfer.id == transfer_id, Transfer.cohort_id == cohort_id)
    )


def stay_of(cohort_id: int, stay_id: int) -> HotelStay | None:
    return db.session.scalar(
        select(HotelStay)
        .options(selectinload(HotelStay.rooms))
        .where(HotelStay.id == stay_id, HotelStay.cohort_id == cohort_id)
    )


def with_own(cohort_id: int, model) -> set[int]:
    """Enrollments of the cohort that have legs (``FlightLeg``) or transfers of their own."""
    return set(
        db.session.scalars(
            select(model.enrollment_id)
            .where(model.cohort_id == cohort_id, model.enrollment_id.is_not(None))
            .distinct()
        )
    )


@dataclass
class DoctorTravel:
    """One doctor's travel in one cohort, as their page shows it."""

    enrollment: Enrollment
    cohort: Cohort
    legs: list[FlightLeg]
    transfers: list[Transfer]
    rooms: list[tuple[RoomBooking, list[RoomBooking]]]  # (their booking, roommates' bookings)
    hosts: list[CohortHost] = field(default_factory=list)  # with their hospitals
    coordinators: dict[int, list] = field(default_factory=dict)  # by hospital id


def doctor_enrollments(doctor_id: int) -> list[Enrollment]:
    """The doctor's enrollments (not withdrawn) with their cohorts, latest cohort first."""
    return list(
        db.session.scalars(
            select(Enrollment)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .options(joinedload(Enrollment.cohort))
            .where(
                Enrollment.doctor_id == doctor_id,
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
            )
            .order_by(Cohort.start_date.desc(), Cohort.id.desc())
        )
    )


def doctor_travel(enrollments: list[Enrollment], cohort_id: int) -> DoctorTravel | None:
    """The doctor's travel in the cohort, from their ``doctor_enrollments``; None when they
    are not (or no longer) in it. Four statements: hosts with coordinators, legs, transfers,
    rooms."""
    enrollment = next((e for e in enrollments if e.cohort_id == cohort_id), None)
    if enrollment is None:
        return None
    parameters = {"cohort_id": cohort_id, "enrollment_id": enrollment.id}
    legs, transfers, bookings = (
        list(db.session.scalars(statement, parameters)) for statement in _doctor_travel()
    )
    rooms = [
        (b, rules.roommates(bookings, b.hotel_stay_id, b.room, enrollment.id))
        for b in bookings
        if b.enrollment_id == enrollment.id
    ]
    hosts, coordinators = _hosts_with_coordinators(cohort_id)
    return DoctorTravel(
        enrollment=enrollment,
        cohort=enrollment.cohort,
        legs=rules.own_or_group(legs, enrollment.id),
        transfers=rules.own_or_group(transfers, enrollment.id),
        rooms=rooms,
        hosts=hosts,
        coordinators=coordinators,
    )


@cache
def _doctor_travel():
    """The legs, transfers and room bookings of one doctor's trip, built once (parameters
    ``cohort_id``, ``enrollment_id``): their cache keys, with the loader options, are computed
    once instead of on every visit."""
    enrollment_id, cohort_id = bindparam("enrollment_id"), bindparam("cohort_id")
    legs = (
        select(FlightLeg)
        .where(
            FlightLeg.cohort_id == cohort_id,
            or_(FlightLeg.enrollment_id.is_(None), FlightLeg.enrollment_id == enrollment_id),
        )
        .order_by(FlightLeg.departs_at, FlightLeg.id)
    )
    transfers = (
        select(Transfer)
        .where(
            Transfer.cohort_id == cohort_id,
            or_(Transfer.enrollment_id.is_(None), Transfer.enrollment_id == enrollment_id),
        )
        .order_by(Transfer.departs_at, Transfer.id)
    )
    stays_of_mine = select(RoomBooking.hotel_stay_id).where(
        RoomBooking.enrollment_id == enrollment_id
    )
    bookings = (
        select(RoomBooking)
        .join(HotelStay, HotelStay.id == RoomBooking.hotel_stay_id)
        .options(
            joinedload(RoomBooking.stay),
            joinedload(RoomBooking.enrollment).joinedload(Enrollment.doctor),
        )
        .where(RoomBooking.hotel_stay_id.in_(stays_of_mine))
        .order_by(HotelStay.check_in, RoomBooking.id)
    )
    return legs, transfers, bookings


def _hosts_with_coordinators(cohort_id: int) -> tuple[list[CohortHost], dict[int, list[User]]]:
    """The cohort's host hospitals and each one's active coordinators, in one statement."""
    rows = db.session.execute(
        select(CohortHost, User)
        .join(Hospital, Hospital.id == CohortHost.hospital_id)
        .outerjoin(
            User,
            and_(
                User.hospital_id == CohortHost.hospital_id,
                User.role == Role.COORDINATOR,
                User.active,
            ),
        )
        .options(contains_eager(CohortHost.hospital))
        .where(CohortHost.cohort_id == cohort_id)
        .order_by(CohortHost.id, User.id)
    )
    hosts: dict[int, CohortHost] = {}
    coordinators: dict[int, list[User]] = {}
    for host, user in rows:
        hosts.setdefault(host.id, host)
        if user is not None:
            coordinators.setdefault(host.hospital_id, []).append(user)
    return list(hosts.values()), coordinators


@dataclass(frozen=True)
class FeedLeg:
    id: int
    carrier: str
    flight_number: str
    from_airport: str
    to_airport: str
    departs_at: datetime
    arrives_at: datetime
    departure_timezone: str
    arrival_timezone: str
    booking_reference: str | None
    updated_at: datetime | None
    cohort_name: str


@dataclass(frozen=True)
class FeedStay:
    id: int
    hotel_name: str
    address: str
    phone: str | None
    check_in: date
    check_out: date
    room: str | None
    cohort_name: str


def feed_legs(doctor_id: int) -> list[FeedLeg]:
    """The flights a doctor takes, in every cohort they are in: one statement."""
    own = aliased(FlightLeg)
    has_own = exists().where(own.enrollment_id == Enrollment.id)
    rows = db.session.execute(
        select(
            FlightLeg.id,
            FlightLeg.carrier,
            FlightLeg.flight_number,
            FlightLeg.from_airport,
            FlightLeg.to_airport,
            FlightLeg.departs_at,
            FlightLeg.arrives_at,
            FlightLeg.departure_timezone,
            FlightLeg.arrival_timezone,
            FlightLeg.booking_reference,
            FlightLeg.updated_at,
            Cohort.name,
        )
        .join(Enrollment, Enrollment.cohort_id == FlightLeg.cohort_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(
            Enrollment.doctor_id == doctor_id,
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
            or_(
                FlightLeg.enrollment_id == Enrollment.id,
                and_(FlightLeg.enrollment_id.is_(None), ~has_own),
            ),
        )
        .order_by(FlightLeg.departs_at, FlightLeg.id)
    )
    return [FeedLeg(*row) for row in rows]


def feed_stays(doctor_id: int) -> list[FeedStay]:
    """The doctor's hotel nights (their booking's dates, else the stay's): one statement."""
    rows = db.session.execute(
        select(
            HotelStay.id,
            HotelStay.hotel_name,
            HotelStay.address,
            HotelStay.phone,
            HotelStay.check_in,
            HotelStay.check_out,
            RoomBooking.room,
            RoomBooking.check_in,
            RoomBooking.check_out,
            Cohort.name,
        )
        .join(RoomBooking, RoomBooking.hotel_stay_id == HotelStay.id)
        .join(Enrollment, Enrollment.id == RoomBooking.enrollment_id)
        .join(Cohort, Cohort.id == HotelStay.cohort_id)
        .where(
            Enrollment.doctor_id == doctor_id,
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
        )
        .order_by(HotelStay.check_in, HotelStay.id)
    )
    return [
        FeedStay(sid, name, address, phone, own_in or check_in, own_out or check_out, room, cohort)
        for (sid, name, address, phone, check_in, check_out, room, own_in, own_out, cohort) in rows
    ]


# Travel readiness (kept in its own module, offered here): the director's queue.
from somet.travel.readiness_queries import (  # noqa: E402, F401
    FlaggedTraveller,
    cohort_readiness,
    flagged_travellers,
)
