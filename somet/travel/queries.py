"""Reading itineraries: the director's page of a cohort, the feed (a doctor's own travel page
is ``doctor_queries``).

Each list is one statement naming its loading; a doctor's legs (or transfers) are their own
when they have any, else the group's (``rules.own_or_group``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from somet.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    FlightLeg,
    HotelStay,
    RoomBooking,
    Transfer,
)
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
