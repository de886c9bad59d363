"""The quotes a director chose for sponsors' reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base, UTCDateTime, utcnow


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
