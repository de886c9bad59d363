"""The quotes a director chose for sponsors' reports, and the tallies the director's dashboard
reads instead of counting every year's enrollments (kept on flush: reports/tallies.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from somet.core.limits import DOCTOR_TEXT_LIMITS
from somet.core.statuses import EnrollmentStatus
from somet.models.base import Base, UTCDateTime, enum_column, utcnow


class ReportQuote(Base):
    """A doctor's words chosen to appear in the funder's report: either a text answer of an
    evaluation of a department, or a follow-up survey's comment (exactly one of the two)."""

    __tablename__ = "report_quotes"
    __table_args__ = (
        CheckConstraint(
            "(evaluation_answer_id IS NULL) != (follow_up_survey_id IS NULL)",
            name="one_source",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluation_answers.id", ondelete="CASCADE"), unique=True
    )
    follow_up_survey_id: Mapped[int | None] = mapped_column(
        ForeignKey("follow_up_surveys.id", ondelete="CASCADE"), unique=True
    )
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The sponsor of the rows that count every cohort, sponsored or not: no cohort's sponsor can
# be chosen as '' on the dashboard (its choices leave out empty sponsors).
EVERY_SPONSOR = ""


class EnrollmentStatusTally(Base):
    """How many enrollments have one status in the cohorts that ended in ``year``: every
    cohort's (``sponsor`` = ``EVERY_SPONSOR``) or one sponsor's (the dashboard's completion
    rate)."""

    __tablename__ = "enrollment_status_tallies"

    sponsor: Mapped[str] = mapped_column(String(200), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[EnrollmentStatus] = mapped_column(
        enum_column(EnrollmentStatus, "enrollment_status"), primary_key=True
    )
    enrollments: Mapped[int] = mapped_column(Integer)


class TrainedDoctorTally(Base):
    """How many doctors of one specialty completed a cohort that ended in ``year`` (each doctor
    once a year, however many cohorts), over every cohort (``sponsor`` = ``EVERY_SPONSOR``)
    or one sponsor's. ``specialty`` is '' for doctors without one."""

    __tablename__ = "trained_doctor_tallies"

    sponsor: Mapped[str] = mapped_column(String(200), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    specialty: Mapped[str] = mapped_column(
        String(DOCTOR_TEXT_LIMITS["specialty"]), primary_key=True
    )
    doctors: Mapped[int] = mapped_column(Integer)
