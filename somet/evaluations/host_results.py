"""The results of one department, or of a hospital's departments, over every year: the
counts and the questions' averages from the tallies kept on write (``tallies``), the newest
comments along the evaluations' (department, answered at) index. A few statements whose
work does not grow with history."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Float, bindparam, cast, func, select

from somet.evaluations import tallies
from somet.evaluations.summaries import (
    QUESTION_COLUMNS,
    DirectionSummary,
    comment_list,
    comments_of,
    direction_summaries,
    question_summaries,
)
from somet.models import (
    Department,
    Evaluation,
    EvaluationDirection,
    EvaluationQuestion,
    EvaluationQuestionTally,
)
from somet.web.extensions import db

DEPARTMENT, HOSPITAL = "department", "hospital"


def summary_of_department(
    department_id: int, comment_limit: int | None
) -> dict[EvaluationDirection, DirectionSummary]:
    """As ``summary_for_placements`` of the department's placements (same shapes)."""
    counts = tallies.department_counts(department_id)
    return _summary(DEPARTMENT, {"department_id": department_id}, counts, comment_limit)


def summary_of_hospital(
    hospital_id: int, comment_limit: int | None
) -> dict[EvaluationDirection, DirectionSummary]:
    """As ``summary_for_placements`` of the hospital's placements (same shapes)."""
    counts = tallies.hospital_counts(hospital_id)
    return _summary(HOSPITAL, {"hospital_id": hospital_id}, counts, comment_limit)


def _summary(scope: str, params: dict, counts: dict, comment_limit: int | None):
    asked, commented = _statements(scope, comment_limit is not None)
    if comment_limit is not None:
        params = {**params, "comment_limit": comment_limit}
    questions = question_summaries(db.session.execute(asked, params))
    comments = comment_list(db.session.execute(commented, params))
    return direction_summaries(counts, questions, comments)


def _departments(scope: str, column):
    """``column`` (a department id) within the scope's parameter."""
    if scope == DEPARTMENT:
        return column == bindparam("department_id")
    return column.in_(
        select(Department.id).where(Department.hospital_id == bindparam("hospital_id"))
    )


@cache
def _statements(scope: str, limited: bool):
    """The questions' and the comments' statements of a scope, built once."""
    tally = EvaluationQuestionTally
    answers = func.sum(tally.answers)
    asked = (
        select(
            tally.direction,
            *QUESTION_COLUMNS,
            answers.label("answers"),
            # the mean of the scores given (None where none was: a text question)
            (cast(func.sum(tally.score_sum), Float) / func.nullif(func.sum(tally.scored), 0)).label(
                "average"
            ),
        )
        .join(EvaluationQuestion, EvaluationQuestion.id == tally.question_id)
        .where(_departments(scope, tally.department_id))
        .group_by(tally.direction, EvaluationQuestion.id)
        .having(answers > 0)  # as over the answers: a question nobody answered is not shown
        .order_by(EvaluationQuestion.form_id, EvaluationQuestion.position)
    )
    return asked, comments_of(_departments(scope, Evaluation.department_id), limited)
