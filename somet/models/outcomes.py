"""Outcomes: evaluations both ways after a placement, and follow-up surveys after a cohort."""

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
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base, UTCDateTime, enum_column, rel, utcnow


class EvaluationDirection(enum.StrEnum):
    OF_DOCTOR = "of_doctor"  # the department's supervisor rates the doctor
    OF_DEPARTMENT = "of_department"  # the doctor rates the department


class QuestionKind(enum.StrEnum):
    SCALE = "scale"  # 1 (poor) to 5 (excellent)
    YES_NO = "yes_no"  # stored as score 1 (yes) or 0 (no)
    TEXT = "text"


class EvaluationForm(Base):
    """A director's questionnaire for one direction; new evaluations use the direction's default.

    Evaluations keep the form they were sent with, so a form that has answers is retired and
    replaced rather than edited.
    """

    __tablename__ = "evaluation_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    direction: Mapped[EvaluationDirection] = mapped_column(
        enum_column(EvaluationDirection, "evaluation_direction")
    )
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions = rel(
        "EvaluationQuestion",
        back_populates="form",
        order_by="EvaluationQuestion.position",
        cascade="all, delete-orphan",
    )


class EvaluationQuestion(Base):
    """One question of a form, worded in each language (English always; others may be empty)."""

    __tablename__ = "evaluation_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_forms.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind"))
    prompt_en: Mapped[str] = mapped_column(String(500))
    prompt_ru: Mapped[str | None] = mapped_column(String(500))
    prompt_kk: Mapped[str | None] = mapped_column(String(500))
    required: Mapped[bool] = mapped_column(Boolean, default=True)

    form = rel("EvaluationForm", back_populates="questions")

    def prompt(self, language: str) -> str:
        """The question in ``language``, English where it has no wording in it."""
        return getattr(self, f"prompt_{language}", None) or self.prompt_en


class Evaluation(Base):
    """One evaluation asked for one completed placement in one direction: sent exactly once."""

    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("placement_id", "direction"),
        Index("ix_evaluations_open", "answered_at", "sent_at"),  # reminders, to-do lists
        # a department's (or a hospital's departments') newest answers: the results' comments
        Index("ix_evaluations_department_answered", "department_id", "answered_at"),
        # a hospital's open evaluations: the still-answerable ones, not every year's
        # never-answered ones that expired
        Index(
            "ix_evaluations_department_open",
            "department_id",
            "expires_at",
            sqlite_where=text("answered_at IS NULL"),
            postgresql_where=text("answered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    # The placement's department, copied when the evaluation is sent (a completed placement
    # does not move): the results pages find a department's evaluations without the
    # placements of every year.
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    direction: Mapped[EvaluationDirection] = mapped_column(
        enum_column(EvaluationDirection, "evaluation_direction")
    )
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_forms.id"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_name: Mapped[str | None] = mapped_column(String(200))

    placement = rel("Placement")
    form = rel("EvaluationForm")
    answers = rel("EvaluationAnswer", back_populates="evaluation", cascade="all, delete-orphan")


class EvaluationTally(Base):
    """How many evaluations of one department, in one direction, were sent and answered, and
    by how many distinct doctors (who answered about it, or who were rated there).

    Kept in the same transaction as the sending and the answering (evaluations/tallies.py),
    so the results pages read one row per department instead of every year's evaluations.
    """

    __tablename__ = "evaluation_tallies"

    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[EvaluationDirection] = mapped_column(
        enum_column(EvaluationDirection, "evaluation_direction"), primary_key=True
    )
    sent: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    respondents: Mapped[int] = mapped_column(Integer, default=0)


class EvaluationQuestionTally(Base):
    """One question's answers about (or at) one department, in one direction, over all
    years: how many, how many scored (scale 1–5, yes 1 / no 0) and the scores' sum.

    Kept by the answering operation (evaluations/tallies.py), so a results page averages a
    few rows per department instead of every answer ever given."""

    __tablename__ = "evaluation_question_tallies"

    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[EvaluationDirection] = mapped_column(
        enum_column(EvaluationDirection, "evaluation_direction"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_questions.id", ondelete="CASCADE"), primary_key=True
    )
    answers: Mapped[int] = mapped_column(Integer, default=0)
    scored: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[int] = mapped_column(Integer, default=0)


class EvaluationHospitalTally(Base):
    """Distinct doctors among one hospital's answered evaluations in one direction (a doctor
    placed in two of its departments is one respondent, so the departments' do not add up)."""

    __tablename__ = "evaluation_hospital_tallies"

    hospital_id: Mapped[int] = mapped_column(
        ForeignKey("hospitals.id", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[EvaluationDirection] = mapped_column(
        enum_column(EvaluationDirection, "evaluation_direction"), primary_key=True
    )
    respondents: Mapped[int] = mapped_column(Integer, default=0)


class EvaluationCohortTally(Base):
    """The 1–5 scores given in one cohort's evaluations, in one direction: how many and their
    sum (the dashboard's averages by the year a cohort ended)."""

    __tablename__ = "evaluation_cohort_tallies"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[EvaluationDirection] = mapped_column(
        enum_column(EvaluationDirection, "evaluation_direction"), primary_key=True
    )
    scored: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[int] = mapped_column(Integer, default=0)


class EvaluationAnswer(Base):
    """The answer to one question: a score (scale 1–5, yes 1 / no 0) or a text."""

    __tablename__ = "evaluation_answers"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "question_id"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 5)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("evaluation_questions.id"), index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)

    evaluation = rel("Evaluation", back_populates="answers")
    question = rel("EvaluationQuestion")


class FollowUpTally(Base):
    """How many follow-up surveys one cohort's doctors were sent and answered, kept by the
    sending and answering operations (followup/tallies.py) for the dashboard's years."""

    __tablename__ = "follow_up_tallies"

    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    asked: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)


class FollowUpSurvey(Base):
    """A follow-up asked of one doctor of an ended cohort, ``months_after`` months after its end.

    Created when it is sent (the cohort's end date plus the months); the questions are the ones
    a sponsor asks, so they are columns rather than a form.
    """

    __tablename__ = "follow_up_surveys"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "months_after"),
        Index("ix_follow_up_surveys_open", "answered_at", "due_on"),
        CheckConstraint("months_after > 0", name="months_positive"),
        CheckConstraint(
            "patients_treated IS NULL OR patients_treated >= 0", name="patients_not_negative"
        ),
        CheckConstraint(
            "colleagues_taught IS NULL OR colleagues_taught >= 0", name="colleagues_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    months_after: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(5), default="ru")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What a sponsor asks: what came home with the doctor.
    procedures_introduced: Mapped[str | None] = mapped_column(Text)
    patients_treated: Mapped[int | None] = mapped_column(Integer)
    colleagues_taught: Mapped[int | None] = mapped_column(Integer)
    would_recommend: Mapped[bool | None] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)

    enrollment = rel("Enrollment")
