"""Masterclasses led by visiting specialists, and doctors' registrations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from somet.core.statuses import RegistrationStatus
from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow


class Masterclass(Base):
    __tablename__ = "masterclasses"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("credit_hours >= 0", name="credit_hours_not_negative"),
        Index("ix_masterclasses_starts_at", "starts_at"),
        Index("ix_masterclasses_ends_at", "ends_at"),  # upcoming vs past lists
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    lead_specialist: Mapped[str] = mapped_column(String(200))
    lead_title: Mapped[str | None] = mapped_column(String(200))
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospitals.id"), index=True)
    venue: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    credit_hours: Mapped[float] = mapped_column(Float, default=0.0)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)  # None: all
    video_url: Mapped[str | None] = mapped_column(String(500))  # for remote attendees
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    hospital = rel("Hospital")
    cohort = rel("Cohort")
    registrations = rel("Registration", back_populates="masterclass")


class Registration(Base):
    """A doctor at a masterclass; ``created_at`` orders the waitlist."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("masterclass_id", "doctor_id"),
        Index("ix_registrations_masterclass_status", "masterclass_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    masterclass_id: Mapped[int] = mapped_column(ForeignKey("masterclasses.id"))
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctors.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    masterclass = rel("Masterclass", back_populates="registrations")
    doctor = rel("Doctor")


class GuestRequest(Base):
    """A guest's request for a place at a class open to all, until the e-mailed link confirms it.

    Only the link token's SHA-256 is stored. Confirming makes (or finds) the guest's Doctor
    record and its Registration; until then it holds no place.
    """

    __tablename__ = "guest_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    masterclass_id: Mapped[int] = mapped_column(ForeignKey("masterclasses.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    licence_number: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(String(2))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"))

    masterclass = rel("Masterclass")
