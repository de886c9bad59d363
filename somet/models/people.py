"""People: logins (users and their invitations) and visiting doctors."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from somet.core.limits import DOCTOR_TEXT_LIMITS as LIMIT
from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    DIRECTOR = "director"
    COORDINATOR = "coordinator"
    DOCTOR = "doctor"

    @property
    def is_staff(self) -> bool:
        """The centre's own people (administrators, programme directors): every feature's staff."""
        return self in (Role.ADMIN, Role.DIRECTOR)


class Language(enum.StrEnum):
    EN = "en"
    RU = "ru"
    KK = "kk"


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role != 'coordinator' OR hospital_id IS NOT NULL", name="coordinator_has_hospital"
        ),
        CheckConstraint("role != 'doctor' OR doctor_id IS NOT NULL", name="doctor_has_doctor"),
        Index("ix_users_role_email", "role", "email"),  # the users list's order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    hospital_id: Mapped[int | None] = mapped_column(ForeignKey("hospitals.id"), index=True)
    doctor_id: Mapped[int | None] = mapped_column(ForeignKey("doctors.id"), unique=True)
    language: Mapped[Language] = mapped_column(
        enum_column(Language, "language"), default=Language.EN
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on logout-everywhere, password change and deactivation: old cookies stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    hospital = rel("Hospital")
    doctor = rel("Doctor", back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class Invitation(Base):
    """A one-time link to set a password; only the token's SHA-256 is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = rel("User", foreign_keys=[user_id])


class Doctor(Base):
    """A visiting physician, kept across cohorts."""

    __tablename__ = "doctors"
    __table_args__ = (
        Index("ix_doctors_last_first", "last_name", "first_name"),
        Index("ix_doctors_native_name", "native_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Latin, passport spelling; every limit is shared with the forms and the roster import
    first_name: Mapped[str] = mapped_column(String(LIMIT["first_name"]))
    last_name: Mapped[str] = mapped_column(String(LIMIT["last_name"]))
    native_name: Mapped[str | None] = mapped_column(String(LIMIT["native_name"]))  # e.g. Cyrillic
    specialty: Mapped[str | None] = mapped_column(String(LIMIT["specialty"]), index=True)
    home_institution: Mapped[str | None] = mapped_column(String(LIMIT["home_institution"]))
    country: Mapped[str | None] = mapped_column(String(LIMIT["country"]))
    region: Mapped[str | None] = mapped_column(String(LIMIT["region"]), index=True)
    licence_number: Mapped[str | None] = mapped_column(String(LIMIT["licence_number"]), unique=True)
    passport_number: Mapped[str | None] = mapped_column(  # sensitive
        String(LIMIT["passport_number"]), unique=True
    )
    passport_expires_on: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(LIMIT["nationality"]))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(LIMIT["email"]), index=True)
    phone: Mapped[str | None] = mapped_column(String(LIMIT["phone"]))
    preferred_language: Mapped[Language] = mapped_column(
        enum_column(Language, "language"), default=Language.RU
    )
    # Secret of the personal calendar feed; regenerating it revokes the old URL.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user = rel("User", back_populates="doctor", uselist=False)
    enrollments = rel("Enrollment", back_populates="doctor")

    @property
    def latin_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_passport(self) -> str:
        """The passport number with all but the last three characters hidden."""
        return masked_passport(self.passport_number)


def masked_passport(number: str | None) -> str:
    """A passport number with all but the last three characters hidden ("" if none)."""
    if not number:
        return ""
    return "•" * max(len(number) - 3, 0) + number[-3:]


def lower_email(column):
    """Case-insensitive e-mail comparison helper for queries."""
    return func.lower(column)
