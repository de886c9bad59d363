"""Reading one doctor's travel page: three statements of named columns, each built once with
bound parameters (building them and their cache keys on every visit cost more than running
them), read into small frozen rows rather than ORM objects.

1. ``doctor_trips``: the doctor's programmes (not withdrawn), latest first, each with its host
   hospitals and their active coordinators: a doctor has a few programmes, each a few hosts.
2. the moments of the chosen trip: its flight legs and transfers in one ``UNION ALL`` (the
   doctor's own and the group's, ``rules.own_or_group`` picks).
3. the room bookings of the hotel stays the doctor is booked into, with everyone's name (who
   shares the room).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import and_, bindparam, literal, null, or_, select, union_all

from somet.core.localisation import PersonName
from somet.models import (
    Cohort,
    CohortHost,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    FlightLeg,
    Hospital,
    HotelStay,
    Role,
    RoomBooking,
    Transfer,
    User,
    constant,
)
from somet.travel import rules
from somet.web.extensions import db


@dataclass(frozen=True)
class Host:
    """A host hospital of a trip, with its active coordinators (name, e-mail)."""

    id: int
    name: str
    address: str | None
    city: str
    country: str
    coordinators: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Trip:
    """One of the doctor's programmes: the enrollment's dates beside the cohort's."""

    enrollment_id: int
    cohort_id: int
    cohort_name: str
    start_date: date
    end_date: date
    arrival_date: date | None
    departure_date: date | None
    emergency_contact: str | None
    hosts: list[Host] = field(default_factory=list)


@dataclass(frozen=True)
class Moment:
    """A flight leg (``carrier`` set) or a transfer: leaving ``origin`` at ``departs_at``."""

    enrollment_id: int | None
    departs_at: datetime
    timezone: str
    origin: str
    destination: str
    details: str | None  # a transfer's driver, vehicle, phone
    carrier: str | None = None
    flight_number: str | None = None
    booking_reference: str | None = None
    arrives_at: datetime | None = None
    arrival_timezone: str | None = None


@dataclass(frozen=True)
class Booking:
    """A room booking at a hotel stay, with the booked doctor's name."""

    hotel_stay_id: int
    enrollment_id: int
    room: str | None
    check_in: date  # the booking's own dates, else the stay's
    check_out: date
    hotel_name: str
    address: str
    phone: str | None
    doctor: PersonName


@dataclass(frozen=True)
class DoctorTravel:
    """One doctor's travel in one programme, as their page shows it."""

    trip: Trip
    legs: list[Moment]
    transfers: list[Moment]
    rooms: list[tuple[Booking, list[Booking]]]  # (their booking, roommates' bookings)


def doctor_trips(doctor_id: int) -> list[Trip]:
    """The doctor's programmes (not withdrawn), latest first, with their hosts. One statement."""
    trips: dict[int, Trip] = {}
    hosts: dict[tuple[int, int], Host] = {}
    for row in db.session.execute(_trips(), {"doctor_id": doctor_id}):
        trip = trips.get(row.enrollment_id)
        if trip is None:
            trip = trips[row.enrollment_id] = Trip(*row[:8])
        if row.host_id is None:
            continue
        host = hosts.get((row.enrollment_id, row.host_id))
        if host is None:
            host = hosts[(row.enrollment_id, row.host_id)] = Host(*row[9:14])
            trip.hosts.append(host)
        if row.full_name is not None:
            host.coordinators.append((row.full_name, row.email))
    return list(trips.values())


@cache
def _trips():
    """Built once (parameter ``doctor_id``)."""
    return (
        select(
            Enrollment.id.label("enrollment_id"),
            Enrollment.cohort_id,
            Cohort.name,
            Cohort.start_date,
            Cohort.end_date,
            Enrollment.arrival_date,
            Enrollment.departure_date,
            Cohort.emergency_contact,
            CohortHost.id.label("host_id"),
            Hospital.id,
            Hospital.name,
            Hospital.address,
            Hospital.city,
            Hospital.country,
            User.full_name,
            User.email,
        )
        .select_from(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .outerjoin(CohortHost, CohortHost.cohort_id == Cohort.id)
        .outerjoin(Hospital, Hospital.id == CohortHost.hospital_id)
        .outerjoin(
            User,
            and_(
                User.hospital_id == CohortHost.hospital_id,
                User.role == constant(Role.COORDINATOR),
                User.active,
            ),
        )
        .where(
            Enrollment.doctor_id == bindparam("doctor_id"),
            Enrollment.status != constant(EnrollmentStatus.WITHDRAWN),
        )
        .order_by(Cohort.start_date.desc(), Cohort.id.desc(), CohortHost.id, User.id)
    )


def doctor_travel(trips: list[Trip], cohort_id: int) -> DoctorTravel | None:
    """The doctor's travel in the cohort, from their ``doctor_trips``; None when they are not
    (or no longer) in it. Two statements: the legs and transfers, the room bookings."""
    trip = next((t for t in trips if t.cohort_id == cohort_id), None)
    if trip is None:
        return None
    parameters = {"cohort_id": cohort_id, "enrollment_id": trip.enrollment_id}
    legs, transfers = [], []
    for row in db.session.execute(_moments(), parameters):
        if row.carrier is None:
            transfers.append(Moment(*row[1:7]))
        else:
            legs.append(Moment(*row[1:12]))
    bookings = [_booking(*row) for row in db.session.execute(_bookings(), parameters)]
    rooms = [
        (b, rules.roommates(bookings, b.hotel_stay_id, b.room, trip.enrollment_id))
        for b in bookings
        if b.enrollment_id == trip.enrollment_id
    ]
    return DoctorTravel(
        trip=trip,
        legs=rules.own_or_group(legs, trip.enrollment_id),
        transfers=rules.own_or_group(transfers, trip.enrollment_id),
        rooms=rooms,
    )


def _booking(stay_id, enrollment_id, room, own_in, own_out, check_in, check_out, *rest):
    hotel_name, address, phone, first, last, native = rest
    return Booking(
        stay_id,
        enrollment_id,
        room,
        own_in or check_in,
        own_out or check_out,
        hotel_name,
        address,
        phone,
        PersonName(first, last, native),
    )


def _mine_or_group(model):
    return and_(
        model.cohort_id == bindparam("cohort_id"),
        or_(model.enrollment_id.is_(None), model.enrollment_id == bindparam("enrollment_id")),
    )


@cache
def _moments():
    """The trip's flight legs then its transfers, each by departure: one ``UNION ALL``, a
    transfer's columns lined up with a leg's (its place names as the airports, its zone as
    the departure's), the leg-only ones null. Built once (``cohort_id``, ``enrollment_id``)."""
    legs = select(
        literal(0).label("kind"),
        FlightLeg.enrollment_id,
        FlightLeg.departs_at,
        FlightLeg.departure_timezone,
        FlightLeg.from_airport,
        FlightLeg.to_airport,
        null().label("details"),
        FlightLeg.carrier,
        FlightLeg.flight_number,
        FlightLeg.booking_reference,
        FlightLeg.arrives_at,
        FlightLeg.arrival_timezone,
        FlightLeg.id,
    ).where(_mine_or_group(FlightLeg))
    transfers = select(
        literal(1),
        Transfer.enrollment_id,
        Transfer.departs_at,
        Transfer.timezone,
        Transfer.from_place,
        Transfer.to_place,
        Transfer.details,
        null(),
        null(),
        null(),
        null(),
        null(),
        Transfer.id,
    ).where(_mine_or_group(Transfer))
    moments = union_all(legs, transfers).subquery("moments")
    return select(moments).order_by(moments.c.kind, moments.c.departs_at, moments.c.id)


@cache
def _bookings():
    """The bookings of the stays the doctor is booked into, by check-in (``enrollment_id``)."""
    stays_of_mine = select(RoomBooking.hotel_stay_id).where(
        RoomBooking.enrollment_id == bindparam("enrollment_id")
    )
    return (
        select(
            RoomBooking.hotel_stay_id,
            RoomBooking.enrollment_id,
            RoomBooking.room,
            RoomBooking.check_in,
            RoomBooking.check_out,
            HotelStay.check_in,
            HotelStay.check_out,
            HotelStay.hotel_name,
            HotelStay.address,
            HotelStay.phone,
            Doctor.first_name,
            Doctor.last_name,
            Doctor.native_name,
        )
        .join(HotelStay, HotelStay.id == RoomBooking.hotel_stay_id)
        .join(Enrollment, Enrollment.id == RoomBooking.enrollment_id)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .where(RoomBooking.hotel_stay_id.in_(stays_of_mine))
        .order_by(HotelStay.check_in, RoomBooking.id)
    )
