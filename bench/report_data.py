"""Evaluations, follow-up surveys and chosen quotes for bench/report.py, in bulk, over the
history bench/pages_data.py wrote (its ids: placement ``(d - 1) * 4 + i + 1`` of doctor ``d``).

Every completed placement has both evaluations (the migration's default forms), 85 % of them
answered; every completed enrollment has its 3-, 6- and 12-month follow-ups when their day has
come, 70 % answered; a dozen of the doctors' words are chosen as quotes.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import create_engine, select

from bench.pages_data import _reset_sequences, _rows
from somet.evaluations import tallies
from somet.followup import tallies as follow_up_tallies
from somet.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Evaluation,
    EvaluationAnswer,
    EvaluationQuestion,
    FollowUpSurvey,
    Placement,
    PlacementStatus,
    ReportQuote,
)
from somet.models.outcomes import EvaluationForm

WORDS = [
    "The supervision was excellent; I assisted in every operation.",
    "We now run the same morning handover at home.",
    "I would have liked more time in the operating theatre.",
]


def build(url: str, seed: int = 23) -> dict:
    """Add the outcomes to the bench centre at ``url``; return how many rows of each."""
    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.begin() as db:
        forms = {row.direction: row.id for row in db.execute(
            select(EvaluationForm.id, EvaluationForm.direction).where(EvaluationForm.is_default)
        )}  # fmt: skip
        questions = db.execute(
            select(EvaluationQuestion.id, EvaluationQuestion.form_id, EvaluationQuestion.kind)
        ).all()
        placements = db.execute(
            select(Placement.id, Placement.department_id, Placement.end_date).where(
                Placement.status == PlacementStatus.COMPLETED
            )
        ).all()
        ends = db.execute(
            select(Enrollment.id, Cohort.end_date)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Enrollment.status == EnrollmentStatus.COMPLETED)
        ).all()
        counts = _evaluations(db, rng, forms, questions, placements)
        counts["surveys"] = _follow_ups(db, rng, ends, date.today())
    with engine.begin() as db:
        _reset_sequences(db)
    engine.dispose()
    return counts


def _evaluations(db, rng, forms, questions, placements) -> dict:
    evaluations, answers, quotes = [], [], []
    for placement_id, department_id, end in placements:
        sent = datetime.combine(end + timedelta(days=1), time(9), UTC)
        for direction, form_id in forms.items():
            answered = rng.random() < 0.85
            evaluations.append(dict(
                id=len(evaluations) + 1, placement_id=placement_id,
                department_id=department_id, direction=direction,
                form_id=form_id, sent_at=sent, expires_at=sent + timedelta(days=30),
                answered_at=sent + timedelta(days=2) if answered else None,
            ))  # fmt: skip
            if not answered:
                continue
            for question_id, form, kind in questions:
                if form != form_id:
                    continue
                row = dict(evaluation_id=len(evaluations), question_id=question_id)
                if kind.value == "text":
                    row["text"] = rng.choice(WORDS) if rng.random() < 0.3 else None
                    if row["text"] and len(quotes) < 8 and direction.value == "of_department":
                        quotes.append(len(answers) + 1)
                else:
                    yes = int(rng.random() < 0.9)  # yes/no is stored as 1 or 0
                    row["score"] = rng.randint(3, 5) if kind.value == "scale" else yes
                answers.append(dict(id=len(answers) + 1, **row))
    _rows(db, Evaluation, evaluations)
    _rows(db, EvaluationAnswer, [{"text": None, "score": None} | row for row in answers])
    _rows(db, ReportQuote, [dict(evaluation_answer_id=a) for a in quotes])
    for statement in tallies.rebuild_statements():  # what the app keeps on write
        db.execute(statement)
    return {"evaluations": len(evaluations), "answers": len(answers), "quotes": len(quotes)}


def _follow_ups(db, rng, ends, today: date) -> int:
    surveys = []
    for enrollment_id, end in ends:
        for months in (3, 6, 12):
            due = end + timedelta(days=30 * months)
            if due > today:
                continue
            sent = datetime.combine(due, time(9), UTC)
            row = dict(
                enrollment_id=enrollment_id, months_after=months, due_on=due, language="ru",
                sent_at=sent, expires_at=sent + timedelta(days=30), answered_at=None,
                procedures_introduced=None, patients_treated=None, colleagues_taught=None,
                would_recommend=None, comment=None,
            )  # fmt: skip
            if rng.random() < 0.7:
                row.update(
                    answered_at=sent + timedelta(days=4), procedures_introduced="Nerve blocks",
                    patients_treated=rng.randint(0, 60), colleagues_taught=rng.randint(0, 6),
                    would_recommend=rng.random() < 0.9,
                    comment=rng.choice(WORDS) if rng.random() < 0.2 else None,
                )  # fmt: skip
            surveys.append(row)
    _rows(db, FollowUpSurvey, surveys)
    for statement in follow_up_tallies.rebuild_statements():  # what the app keeps on write
        db.execute(statement)
    return len(surveys)
