"""Cohorts, their host hospitals, enrollments and curriculum."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from somet.core.statuses import CohortStatus, EnrollmentStatus
from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow
from somet.models.travel import VisaStatus

# A cohort not yet over (``CohortStatus.FINISHED`` written out, as queries render it).
LIVE = "status NOT IN ('archived', 'completed')"


class SpecialtyMode(enum.StrEnum):
    OWN = "own"  # the doctor's own specialty
    NAMED = "named"  # one named specialty
    DEPARTMENTS = "departments"  # an explicit list of departments


class Cohort(Base):
    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="end_after_start"),
        CheckConstraint("hours_per_day > 0", name="hours_per_day_positive"),
        CheckConstraint(
            "attendance_threshold > 0 AND attendance_threshold <= 1", name="threshold_fraction"
        ),
        Index("ix_cohorts_start_date", "start_date"),
        # The first day of the earliest cohort not yet over (the coordinators' badges): read
        # here, not along every year's finished cohorts.
        Index(
            "ix_cohorts_live_start",
            "start_date",
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    origin_country: Mapped[str] = mapped_column(String(100))
    origin_region: Mapped[str | None] = mapped_column(String(100), index=True)
    sponsor: Mapped[str | None] = mapped_column(String(200))
    director_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[CohortStatus] = mapped_column(
        enum_column(CohortStatus, "cohort_status"), default=CohortStatus.DRAFT, index=True
    )
    hours_per_day: Mapped[float] = mapped_column(Float, default=6.0)
    attendance_threshold: Mapped[float] = mapped_column(Float, default=0.8)
    auto_issue_certificates: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    # Months after the end date when each doctor gets a follow-up survey ("3,6,12").
    follow_up_months: Mapped[str] = mapped_column(
        String(30), default="3,6,12", server_default="3,6,12"
    )
    # Who the cohort's doctors call abroad, day or night (name and phone), on their travel page.
    emergency_contact: Mapped[str | None] = mapped_column(String(200))
    # ISO 4217 code the cohort's budget and costs are totalled in
    reporting_currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    director = rel("User")
    hosts = rel("CohortHost", back_populates="cohort", cascade="all, delete-orphan")
    enrollments = rel("Enrollment", back_populates="cohort")
    curriculum = rel(
        "CurriculumItem",
        back_populates="cohort",
        order_by="CurriculumItem.position",
        cascade="all, delete-orphan",
    )


class CohortHost(Base):
    """A host hospital chosen for a cohort."""

    __tablename__ = "cohort_hosts"
    __table_args__ = (UniqueConstraint("cohort_id", "hospital_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospitals.id"), index=True)

    cohort = rel("Cohort", back_populates="hosts")
    hospital = rel("Hospital")


class Enrollment(Base):
    """A doctor in a cohort; arrival/departure default to the cohort's dates."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("cohort_id", "doctor_id"),
        CheckConstraint(
            "arrival_date IS NULL OR departure_date IS NULL OR departure_date >= arrival_date",
            name="departure_after_arrival",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctors.id"), index=True)
    arrival_date: Mapped[date | None] = mapped_column(Date)
    departure_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[EnrollmentStatus] = mapped_column(
        enum_column(EnrollmentStatus, "enrollment_status"), default=EnrollmentStatus.INVITED
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(300))
    # Why the nightly lifecycle found it incomplete, as problems (code + params, worded where
    # shown); None until the cohort has ended, [] when complete.
    completion_reasons: Mapped[list | None] = mapped_column(JSON)
    # None until the director records it (a doctor whose country needs no visa: not_required)
    visa_status: Mapped[VisaStatus | None] = mapped_column(enum_column(VisaStatus, "visa_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort = rel("Cohort", back_populates="enrollments")
    doctor = rel("Doctor", back_populates="enrollments")
    placements = rel("Placement", back_populates="enrollment")
    option_overrides = rel("EnrollmentOption", back_populates="enrollment")


class CurriculumItem(Base):
    """A rotation that the cohort's doctors must (required) or may do."""

    __tablename__ = "curriculum_items"
    __table_args__ = (
        CheckConstraint("days >= 1", name="days_positive"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        CheckConstraint(
            "specialty_mode != 'named' OR specialty IS NOT NULL", name="named_has_specialty"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    specialty_mode: Mapped[SpecialtyMode] = mapped_column(
        enum_column(SpecialtyMode, "specialty_mode"), default=SpecialtyMode.OWN
    )
    specialty: Mapped[str | None] = mapped_column(String(50))
    days: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    weight: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    cohort = rel("Cohort", back_populates="curriculum")
    options = rel("CurriculumOption", back_populates="item", cascade="all, delete-orphan")


class CurriculumOption(Base):
    """An eligible department for a curriculum item, with its preference points."""

    __tablename__ = "curriculum_options"
    __table_args__ = (
        UniqueConstraint("item_id", "department_id"),
        CheckConstraint("preference >= 0", name="preference_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("curriculum_items.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    preference: Mapped[int] = mapped_column(Integer, default=0)

    item = rel("CurriculumItem", back_populates="options")
    department = rel("Department")


class EnrollmentOption(Base):
    """A director's override of one doctor's options for one curriculum item.

    When a doctor has any override rows for an item, they replace the item's options.
    """

    __tablename__ = "enrollment_options"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "item_id", "department_id"),
        CheckConstraint("preference >= 0", name="preference_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("enrollments.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("curriculum_items.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    preference: Mapped[int] = mapped_column(Integer, default=0)

    enrollment = rel("Enrollment", back_populates="option_overrides")
    item = rel("CurriculumItem")
    department = rel("Department")
