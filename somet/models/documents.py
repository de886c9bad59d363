"""Travel and host documents: what each host hospital requires, and what each doctor uploaded."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow


class DocumentKind(enum.StrEnum):
    PASSPORT = "passport"
    VISA = "visa"
    MEDICAL_LICENCE = "medical_licence"
    INSURANCE = "insurance"  # malpractice / health insurance
    VACCINATION = "vaccination"
    CONFIDENTIALITY = "confidentiality"  # the signed confidentiality form
    CV = "cv"


class DocumentStatus(enum.StrEnum):
    UPLOADED = "uploaded"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DocumentRequirement(Base):
    """A document a host hospital requires of every visiting doctor."""

    __tablename__ = "document_requirements"
    __table_args__ = (
        UniqueConstraint("hospital_id", "kind"),
        CheckConstraint("due_days_before_arrival >= 0", name="due_days_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospitals.id", ondelete="CASCADE"))
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    # An expiring document must stay valid through the doctor's departure date.
    expires: Mapped[bool] = mapped_column(Boolean, default=False)
    due_days_before_arrival: Mapped[int] = mapped_column(Integer, default=30)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    hospital = rel("Hospital")


class TravelDocument(Base):
    """One uploaded file of a doctor; reused for every cohort while it is valid."""

    __tablename__ = "travel_documents"
    __table_args__ = (
        Index("ix_travel_documents_doctor_kind", "doctor_id", "kind"),
        Index("ix_travel_documents_valid_until", "valid_until"),
        # The review queue and its count (menu badges): uploads by status, oldest first.
        Index("ix_travel_documents_status_uploaded_at", "status", "uploaded_at"),
        CheckConstraint("size_bytes > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctors.id"))
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    # A random name under SOMET_STORAGE_DIR/documents/: never derived from user input.
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(50))  # from the file's magic bytes
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[DocumentStatus] = mapped_column(
        enum_column(DocumentStatus, "document_status"), default=DocumentStatus.UPLOADED
    )
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    doctor = rel("Doctor")
    reviewed_by = rel("User")
