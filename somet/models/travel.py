"""Travel and stay: flight legs, transfers and hotel stays of a cohort and of its doctors.

A leg or transfer without an enrollment is the group's; a doctor with any legs (or transfers)
of their own travels on those instead of the group's, as an enrollment's options override the
curriculum's. Times are stored in UTC with the IANA zone of each end, so a flight is shown in
the local time of the airport it leaves from and the one it reaches.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base, UTCDateTime, rel, utcnow


class VisaStatus(enum.StrEnum):
    NOT_REQUIRED = "not_required"
    APPLIED = "applied"
    GRANTED = "granted"
    REFUSED = "refused"


class FlightLeg(Base):
    __tablename__ = "flight_legs"
    __table_args__ = (CheckConstraint("arrives_at > departs_at", name="arrives_after_departs"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    carrier: Mapped[str] = mapped_column(String(80))
    flight_number: Mapped[str] = mapped_column(String(10))
    from_airport: Mapped[str] = mapped_column(String(3))  # IATA code
    to_airport: Mapped[str] = mapped_column(String(3))
    departs_at: Mapped[datetime] = mapped_column(UTCDateTime)
    departure_timezone: Mapped[str] = mapped_column(String(64))  # IANA, e.g. Asia/Almaty
    arrives_at: Mapped[datetime] = mapped_column(UTCDateTime)
    arrival_timezone: Mapped[str] = mapped_column(String(64))
    booking_reference: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    cohort = rel("Cohort")
    enrollment = rel("Enrollment")


class Transfer(Base):
    """A ride on the ground: airport to hotel, hotel to hospital."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    departs_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    from_place: Mapped[str] = mapped_column(String(200))
    to_place: Mapped[str] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(String(300))  # driver, vehicle, phone
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort = rel("Cohort")
    enrollment = rel("Enrollment")


class HotelStay(Base):
    """A hotel booked for a cohort; its rooms say who sleeps there."""

    __tablename__ = "hotel_stays"
    __table_args__ = (CheckConstraint("check_out > check_in", name="check_out_after_check_in"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    hotel_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    check_in: Mapped[date] = mapped_column(Date)
    check_out: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort = rel("Cohort")
    rooms = rel("RoomBooking", back_populates="stay", cascade="all, delete-orphan")


class RoomBooking(Base):
    """A doctor's bed at a hotel stay; doctors with the same room number share it. Dates left
    empty are the stay's."""

    __tablename__ = "room_bookings"
    __table_args__ = (
        UniqueConstraint("hotel_stay_id", "enrollment_id"),
        CheckConstraint(
            "check_in IS NULL OR check_out IS NULL OR check_out > check_in",
            name="check_out_after_check_in",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hotel_stay_id: Mapped[int] = mapped_column(ForeignKey("hotel_stays.id", ondelete="CASCADE"))
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    room: Mapped[str | None] = mapped_column(String(20))
    check_in: Mapped[date | None] = mapped_column(Date)
    check_out: Mapped[date | None] = mapped_column(Date)

    stay = rel("HotelStay", back_populates="rooms")
    enrollment = rel("Enrollment")
