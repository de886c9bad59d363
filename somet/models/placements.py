"""Placements of doctors in departments, and the attendance recorded for them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from somet.core.statuses import PlacementStatus
from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class Placement(Base):
    """One doctor in one department for a block of days."""

    __tablename__ = "placements"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="end_after_start"),
        Index("ix_placements_department_dates", "department_id", "start_date", "end_date"),
        Index("ix_placements_status", "status"),
        Index("ix_placements_decided_at", "decided_at"),  # recent decisions
        Index("ix_placements_department_status", "department_id", "status"),  # requests
        Index("ix_placements_department_end", "department_id", "end_date"),  # weeks shown
        # The requests waiting on hosts, counted by department and rotation (the home pages'
        # queues) from the index alone: a few thousand at a large centre, never the history.
        Index(
            "ix_placements_waiting",
            "department_id",
            "curriculum_item_id",
            "requested_at",
            sqlite_where=text("status = 'requested'"),
            postgresql_where=text("status = 'requested'"),
        ),
        # A coordinator's page of open requests, department by department and by first day:
        # the page's ids read from here, not from every hospital's open requests.
        Index(
            "ix_placements_requested_by_start",
            "department_id",
            "start_date",
            "id",
            sqlite_where=text("status = 'requested'"),
            postgresql_where=text("status = 'requested'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    curriculum_item_id: Mapped[int] = mapped_column(ForeignKey("curriculum_items.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[PlacementStatus] = mapped_column(
        enum_column(PlacementStatus, "placement_status"), default=PlacementStatus.PROPOSED
    )
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(200))  # e.g. supervisor by link
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    enrollment = rel("Enrollment", back_populates="placements")
    curriculum_item = rel("CurriculumItem")
    department = rel("Department")
    decided_by = rel("User")
    attendance = rel("Attendance", back_populates="placement", order_by="Attendance.day")


class Attendance(Base):
    """A day of a placement, recorded by the host."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("placement_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, "attendance_status")
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    placement = rel("Placement", back_populates="attendance")


def _add_attendance_counts_to_placements() -> None:
    # What the certificates' rule reads of a placement's attendance: the days marked present
    # and the days with any mark. Deferred columns: a page that judges placements it loads
    # anyway (a doctor's history) reads them in the same statement (undefer), not as a row
    # per attendance day.
    from sqlalchemy import func, select
    from sqlalchemy.orm import column_property

    from somet.models.base import constant

    def counted(*conditions):
        return column_property(
            select(func.count(Attendance.id))
            .where(Attendance.placement_id == Placement.id, *conditions)
            .correlate_except(Attendance)
            .scalar_subquery(),
            deferred=True,
        )

    Placement.present_days = counted(Attendance.status == constant(AttendanceStatus.PRESENT))
    Placement.recorded_days = counted()


_add_attendance_counts_to_placements()
