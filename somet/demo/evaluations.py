"""Demo: last year's cohort was evaluated both ways, through the one-tap links.

The nightly lifecycle that closed the cohort's placements sent the evaluations (see
demo/past_cohort.py); here most supervisors and doctors answer within a few days, with
varied scores and a few comments in Russian and English, and a few never answer (their
links expired).
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.demo import data
from somet.evaluations import operations as evaluations
from somet.models import (
    Cohort,
    Enrollment,
    Evaluation,
    EvaluationDirection,
    EvaluationForm,
    Placement,
)
from somet.web.extensions import db

SCORES = (2, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5)
UNANSWERED_EVERY = 7  # one in seven is never answered (supervisors and doctors alike)
COMMENTS = {
    EvaluationDirection.OF_DOCTOR: (
        "Очень внимательный врач, быстро освоил протоколы отделения.",
        "Strong clinical reasoning; should practise ultrasound-guided blocks more.",
        "Активно участвовал в обходах и разборах случаев.",
        "Reliable and punctual; communicated well with the nursing team.",
    ),
    EvaluationDirection.OF_DEPARTMENT: (
        "Много операций, но мало времени на разбор с руководителем.",
        "Excellent teaching; I will introduce the ERAS pathway at home.",
        "Хотелось бы больше самостоятельной работы в операционной.",
        "The team was welcoming; daily case reviews were the best part.",
    ),
}


def answer_demo_evaluations() -> int:
    """Answer most of the past cohort's evaluations by their links; returns how many."""
    answered = 0
    for index, evaluation in enumerate(_past_cohort_evaluations()):
        if index % UNANSWERED_EVERY == 3:
            continue
        token = evaluations.link_token(evaluation.id, "ru")
        evaluations.answer_evaluation(
            None,
            evaluation.id,
            _answers(evaluation, index),
            link_token=token,
            now=evaluation.sent_at + timedelta(days=1 + index % 5, hours=3),
        )
        answered += 1
    return answered


def _past_cohort_evaluations() -> list[Evaluation]:
    return list(
        db.session.scalars(
            select(Evaluation)
            .join(Placement, Evaluation.placement_id == Placement.id)
            .join(Enrollment, Placement.enrollment_id == Enrollment.id)
            .join(Cohort, Enrollment.cohort_id == Cohort.id)
            .where(Cohort.name == data.PAST_COHORT["name"], Evaluation.answered_at.is_(None))
            .options(joinedload(Evaluation.form).selectinload(EvaluationForm.questions))
            .order_by(Evaluation.id)
        ).unique()
    )


def _answers(evaluation: Evaluation, index: int) -> dict[int, str]:
    """Varied but plausible: mostly 4s and 5s, some 3s, the odd 2; mostly yes."""
    draw = random.Random(f"{evaluation.placement_id}:{evaluation.direction.value}")  # noqa: S311
    values = {}
    for question in evaluation.form.questions:
        kind = question.kind.value
        if kind == "scale":
            values[question.id] = str(draw.choice(SCORES))
        elif kind == "yes_no":
            values[question.id] = "no" if index % 9 == 4 else "yes"
        elif index % 3 == 0:
            comments = COMMENTS[evaluation.direction]
            values[question.id] = comments[(index // 3) % len(comments)]
    return values
