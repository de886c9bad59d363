"""What an evaluation's answer page shows, read in one statement.

The page names the doctor, the department, its hospital, the rotation, the dates and the
cohort, and asks the form's questions. Loading the evaluation with its placement, enrollment,
doctor, cohort, department, hospital, rotation, form and questions as ORM objects (two
statements, five loader chains, nine objects) took 1.7 ms of a 5 ms page; these columns and
the questions come in one statement in a fifth of that. Who may open the page is part of the
statement: a doctor finds only their own evaluations of a department, a coordinator only the
evaluations of doctors placed at their hospital, a link (already signed) any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, bindparam, select

from somet.core.localisation import PersonName
from somet.evaluations.summaries import with_rotation_places
from somet.models import (
    Cohort,
    CurriculumItem,
    Department,
    Doctor,
    Enrollment,
    Evaluation,
    EvaluationDirection,
    EvaluationQuestion,
    Hospital,
    Placement,
    constant,
)
from somet.web.extensions import db

# Who opens the page: by its signed link, the evaluated department's doctor, or a coordinator
# of the hospital where the evaluated doctor was placed.
BY_LINK, BY_DOCTOR, BY_COORDINATOR = "link", "doctor", "coordinator"


@dataclass(frozen=True)
class AnswerPage:
    """One evaluation as its answer page (and the page saying it is closed) shows it."""

    id: int
    direction: EvaluationDirection
    expires_at: datetime
    answered_at: datetime | None
    doctor: PersonName
    department_name: str
    hospital_name: str
    rotation_name: str
    cohort_name: str
    start_date: date
    end_date: date
    questions: list[EvaluationQuestion]  # in the form's order


def answer_page(
    evaluation_id: int, opened_by: str = BY_LINK, by_id: int | None = None
) -> AnswerPage | None:
    """The evaluation's page, or None if there is none that ``opened_by`` may open:
    ``by_id`` is the doctor's id (BY_DOCTOR) or the coordinator's hospital's (BY_COORDINATOR)."""
    parameters = {"evaluation_id": evaluation_id, "by_id": by_id}
    rows = db.session.execute(_statement(opened_by), parameters).all()
    if not rows:
        return None
    first = rows[0]
    return AnswerPage(
        id=first.id,
        direction=first.direction,
        expires_at=first.expires_at,
        answered_at=first.answered_at,
        doctor=PersonName(first.first_name, first.last_name, first.native_name),
        department_name=first.department_name,
        hospital_name=first.hospital_name,
        rotation_name=first.rotation_name,
        cohort_name=first.cohort_name,
        start_date=first.start_date,
        end_date=first.end_date,
        questions=[row.EvaluationQuestion for row in rows if row.EvaluationQuestion is not None],
    )


@cache
def _statement(opened_by: str) -> Select:
    """Built once per way in (parameters ``evaluation_id``, ``by_id``): one row per question."""
    columns = select(
        Evaluation.id,
        Evaluation.direction,
        Evaluation.expires_at,
        Evaluation.answered_at,
        Doctor.first_name,
        Doctor.last_name,
        Doctor.native_name,
        Department.name.label("department_name"),
        Hospital.name.label("hospital_name"),
        CurriculumItem.name.label("rotation_name"),
        Cohort.name.label("cohort_name"),
        Placement.start_date,
        Placement.end_date,
        EvaluationQuestion,
    )
    query = (
        with_rotation_places(columns)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .join(CurriculumItem, CurriculumItem.id == Placement.curriculum_item_id)
        .outerjoin(EvaluationQuestion, EvaluationQuestion.form_id == Evaluation.form_id)
        .where(Evaluation.id == bindparam("evaluation_id"))
        .order_by(EvaluationQuestion.position, EvaluationQuestion.id)
    )
    by_id = bindparam("by_id")
    if opened_by == BY_DOCTOR:
        return query.where(
            Enrollment.doctor_id == by_id,
            Evaluation.direction == constant(EvaluationDirection.OF_DEPARTMENT),
        )
    if opened_by == BY_COORDINATOR:
        return query.where(
            Department.hospital_id == by_id,
            Evaluation.direction == constant(EvaluationDirection.OF_DOCTOR),
        )
    if opened_by == BY_LINK:
        return query
    raise ValueError(f"unknown way to open an evaluation: {opened_by!r}")
