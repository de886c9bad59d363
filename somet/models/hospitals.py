"""Host hospitals, their departments, holidays and closed days."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from somet.core.workdays import parse_weekdays
from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow
from somet.models.people import Language

ISRAELI_WEEK = "6,0,1,2,3"  # date.weekday(): Sunday to Thursday


class Hospital(Base):
    __tablename__ = "hospitals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    # Comma-separated date.weekday() numbers (Monday = 0), as in somet-schedule/1.
    working_weekdays: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    departments = rel("Department", back_populates="hospital", order_by="Department.name")
    holidays = rel("HospitalHoliday", back_populates="hospital", order_by="HospitalHoliday.day")

    @property
    def weekday_numbers(self) -> list[int]:
        return list(parse_weekdays(self.working_weekdays))


class HospitalHoliday(Base):
    __tablename__ = "hospital_holidays"
    __table_args__ = (UniqueConstraint("hospital_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospitals.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200), default="")

    hospital = rel("Hospital", back_populates="holidays")


class Department(Base):
    """A host department; ``capacity`` is visiting doctors per working day."""

    __tablename__ = "departments"
    __table_args__ = (
        UniqueConstraint("hospital_id", "name"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hospital_id: Mapped[int] = mapped_column(ForeignKey("hospitals.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    specialty: Mapped[str] = mapped_column(String(50), index=True)
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    supervisor_name: Mapped[str | None] = mapped_column(String(200))
    supervisor_email: Mapped[str | None] = mapped_column(String(254))
    # the supervisor has no login to choose a language: the hospital chooses for their e-mails
    supervisor_language: Mapped[Language] = mapped_column(
        enum_column(Language, "supervisor_language"),
        default=Language.EN,
        server_default=Language.EN.value,
    )
    languages: Mapped[str] = mapped_column(String(100), default="en")  # comma-separated codes
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    hospital = rel("Hospital", back_populates="departments")
    closures = rel(
        "DepartmentClosure", back_populates="department", order_by="DepartmentClosure.day"
    )

    @property
    def slug(self) -> str:
        """A stable id for scheduling instances."""
        return f"dept-{self.id}"


class DepartmentClosure(Base):
    __tablename__ = "department_closures"
    __table_args__ = (UniqueConstraint("department_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    department = rel("Department", back_populates="closures")
