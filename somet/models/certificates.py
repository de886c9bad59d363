"""Issued certificates, the keys that signed them, and the per-year serial counter."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow


class CertificateKind(enum.StrEnum):
    INTERNSHIP = "internship"
    MASTERCLASS = "masterclass"


class Certificate(Base):
    """Proof of completion: a signed, frozen snapshot and the PDF rendered from it."""

    __tablename__ = "certificates"
    __table_args__ = (
        Index("ix_certificates_enrollment", "enrollment_id"),
        # Whether a completed doctor holds a standing internship certificate (the director's
        # badge and queue ask it of every completed doctor not yet archived): the index alone.
        Index(
            "ix_certificates_standing_internship",
            "enrollment_id",
            sqlite_where=text("kind = 'internship' AND revoked_at IS NULL"),
            postgresql_where=text("kind = 'internship' AND revoked_at IS NULL"),
        ),
        Index("ix_certificates_masterclass_doctor", "masterclass_id", "doctor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind, "certificate_kind"))
    doctor_id: Mapped[int] = mapped_column(ForeignKey("doctors.id"), index=True)
    enrollment_id: Mapped[int | None] = mapped_column(ForeignKey("enrollments.id"))
    masterclass_id: Mapped[int | None] = mapped_column(ForeignKey("masterclasses.id"))
    snapshot: Mapped[dict] = mapped_column(JSON)
    hours: Mapped[float] = mapped_column(Float)
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    signature: Mapped[str] = mapped_column(Text)
    pdf_path: Mapped[str | None] = mapped_column(String(300))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    # The kid of the key that signed it (the snapshot's key_id, as a column to count by key).
    # No foreign key: rows signed before migration 0017 name a key that is registered only
    # when the installation first reads its keys (see certificates/keys.py).
    signing_key_id: Mapped[str | None] = mapped_column(String(16), index=True)
    # The signed offline payload printed in the QR code (core/offline.py); None before 0017.
    qr_payload: Mapped[str | None] = mapped_column(Text)

    doctor = rel("Doctor")
    enrollment = rel("Enrollment")
    masterclass = rel("Masterclass")
    issued_by = rel("User", foreign_keys=[issued_by_id])
    replaced_by = rel("Certificate", remote_side=[id])


class KeyStatus(enum.StrEnum):
    ACTIVE = "active"  # signs new certificates (one at a time)
    RETIRED = "retired"  # signed earlier certificates, which stay valid
    REVOKED = "revoked"  # compromised or withdrawn: its signatures are refused


class SigningKey(Base):
    """A certificate signing key: its public half and status. The private half is a 0600 file
    under the instance folder (certificates/storage.py), never in the database."""

    __tablename__ = "signing_keys"
    __table_args__ = (
        Index(
            "uq_signing_keys_one_active",
            "status",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    kid: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    status: Mapped[KeyStatus] = mapped_column(enum_column(KeyStatus, "signing_key_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str | None] = mapped_column(String(500))


class SerialCounter(Base):
    """The last serial number used in a year; incremented under a row lock."""

    __tablename__ = "serial_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
