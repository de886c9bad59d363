"""What the results pages and the dashboard total over every year of evaluations, kept on
write so that no view reads all of history:

- per department and direction (``evaluation_tallies``): evaluations sent, answered, and
  distinct doctors among the answered ones;
- per department, direction and question (``evaluation_question_tallies``): answers, scored
  answers and the scores' sum (a question's average);
- per hospital and direction (``evaluation_hospital_tallies``): distinct doctors (a doctor
  placed in two of its departments is one, so departments' counts do not add up);
- per cohort and direction (``evaluation_cohort_tallies``): 1–5 scores and their sum (the
  dashboard's averages by year).

The sending and the answering operations call these functions inside their own transaction,
so a tally changes exactly when the evaluations do. Sending (serialised by the
``evaluations`` write lock) creates every row an answer will add to, so answering only
increments rows in place; migrations 0020 and 0024 filled them from what was stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import (
    and_,
    bindparam,
    case,
    distinct,
    exists,
    func,
    select,
)

from somet.models import (
    Department,
    Enrollment,
    Evaluation,
    EvaluationAnswer,
    EvaluationCohortTally,
    EvaluationHospitalTally,
    EvaluationQuestion,
    EvaluationQuestionTally,
    EvaluationTally,
    Placement,
    QuestionKind,
)
from somet.web import tallies as kept_on_write
from somet.web.extensions import db


def count_sent(evaluations: Iterable[Evaluation]) -> None:
    """Add just-created evaluations (placement, its department and enrollment loaded) to
    their departments' tallies, and create the zero rows their answers will add to.

    The caller serialises senders (the ``evaluations`` write lock), so a missing row is
    inserted without a race."""
    evaluations = list(evaluations)
    added = Counter((e.department_id, e.direction) for e in evaluations)
    for key, count in sorted(added.items()):
        _increment(EvaluationTally, key, sent=count)
    forms = {(e.department_id, e.direction, e.form_id) for e in evaluations}
    questions = {
        (department_id, direction, question_id)
        for department_id, direction, form_id in forms
        for question_id in _questions_of(form_id)
    }
    kept_on_write.create_missing(
        EvaluationQuestionTally, questions, answers=0, scored=0, score_sum=0
    )
    hospitals = {(e.placement.department.hospital_id, e.direction) for e in evaluations}
    kept_on_write.create_missing(EvaluationHospitalTally, hospitals, respondents=0)
    cohorts = {(e.placement.enrollment.cohort_id, e.direction) for e in evaluations}
    kept_on_write.create_missing(EvaluationCohortTally, cohorts, scored=0, score_sum=0)


def count_answered(evaluation: Evaluation, values: dict[int, tuple]) -> None:
    """One more answered evaluation with the answers ``values`` ({question id: (score,
    text)}, as stored), already marked answered in this transaction; its placement's
    department and enrollment and its form's questions loaded (``evaluation_options``). Its
    doctor is one more respondent of the department (and of the hospital) if they had no
    other answered evaluation there in that direction (a look at their placements only)."""
    placement = evaluation.placement
    doctor_id = placement.enrollment.doctor_id
    direction = evaluation.direction
    hospital_id = placement.department.hospital_id
    earlier_here, earlier_at_hospital = db.session.execute(
        select(
            _answered_before(evaluation, doctor_id, Evaluation.department_id
                             == evaluation.department_id),
            _answered_before(evaluation, doctor_id, Department.hospital_id == hospital_id),
        )
    ).one()  # fmt: skip
    department = (evaluation.department_id, direction)
    _increment(EvaluationTally, department, answered=1, respondents=0 if earlier_here else 1)
    if not earlier_at_hospital:
        _increment(EvaluationHospitalTally, (hospital_id, direction), respondents=1)
    kinds = {question.id: question.kind for question in evaluation.form.questions}
    scored = [score for question_id, (score, _text) in values.items()
              if score is not None and kinds[question_id] == QuestionKind.SCALE]  # fmt: skip
    if scored:
        cohort = (placement.enrollment.cohort_id, direction)
        _increment(EvaluationCohortTally, cohort, scored=len(scored), score_sum=sum(scored))
    for question_id, (score, _text) in sorted(values.items()):
        _increment(
            EvaluationQuestionTally,
            (evaluation.department_id, direction, question_id),
            answers=1,
            scored=0 if score is None else 1,
            score_sum=score or 0,
        )


def _increment(model, key: tuple, **amounts) -> None:
    """Add ``amounts`` to a tally row. Sending created it; if it is missing (a department's
    first evaluations, a question added to a form after it was sent), it is counted afresh
    from the stored evaluations and answers, this change included."""
    kept_on_write.increment(model, key, FRESH[model], **amounts)


def _answered_before(evaluation: Evaluation, doctor_id: int, where):
    """Whether the doctor has another answered evaluation in its direction meeting ``where``."""
    return (
        exists()
        .where(
            Evaluation.placement_id == Placement.id,
            Placement.enrollment_id == Enrollment.id,
            Enrollment.doctor_id == doctor_id,
            Department.id == Evaluation.department_id,
            where,
            Evaluation.direction == evaluation.direction,
            Evaluation.answered_at.is_not(None),
            Evaluation.id != evaluation.id,
        )
        .correlate(None)
    )


def _questions_of(form_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(EvaluationQuestion.id).where(EvaluationQuestion.form_id == form_id)
        )
    )


# --- counted afresh: what the tallies must equal --------------------------------------------


def _counted():
    """Per department and direction: sent, answered, distinct doctors among the answered."""
    answered_by = case((Evaluation.answered_at.is_not(None), Enrollment.doctor_id))
    return (
        select(
            Evaluation.department_id,
            Evaluation.direction,
            func.count(Evaluation.id),
            func.count(Evaluation.answered_at),
            func.count(distinct(answered_by)),
        )
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .group_by(Evaluation.department_id, Evaluation.direction)
    )


def _questions_counted():
    """Per department, direction and question of the forms sent there: answers, scored
    answers, the scores' sum (zeros for a question nobody answered yet)."""
    return (
        select(
            Evaluation.department_id,
            Evaluation.direction,
            EvaluationQuestion.id,
            func.count(EvaluationAnswer.id),
            func.count(EvaluationAnswer.score),
            func.coalesce(func.sum(EvaluationAnswer.score), 0),
        )
        .join(EvaluationQuestion, EvaluationQuestion.form_id == Evaluation.form_id)
        .outerjoin(
            EvaluationAnswer,
            and_(
                EvaluationAnswer.evaluation_id == Evaluation.id,
                EvaluationAnswer.question_id == EvaluationQuestion.id,
            ),
        )
        .group_by(Evaluation.department_id, Evaluation.direction, EvaluationQuestion.id)
    )


def _hospitals_counted():
    """Per hospital and direction evaluations were sent in: distinct doctors who answered."""
    answered_by = case((Evaluation.answered_at.is_not(None), Enrollment.doctor_id))
    return (
        select(Department.hospital_id, Evaluation.direction, func.count(distinct(answered_by)))
        .join(Department, Department.id == Evaluation.department_id)
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .group_by(Department.hospital_id, Evaluation.direction)
    )


def _cohorts_counted():
    """Per cohort and direction evaluations were sent in: 1–5 scores given and their sum."""
    scale = case((EvaluationQuestion.kind == QuestionKind.SCALE, EvaluationAnswer.score))
    return (
        select(
            Enrollment.cohort_id,
            Evaluation.direction,
            func.count(scale),
            func.coalesce(func.sum(scale), 0),
        )
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .outerjoin(EvaluationAnswer, EvaluationAnswer.evaluation_id == Evaluation.id)
        .outerjoin(EvaluationQuestion, EvaluationQuestion.id == EvaluationAnswer.question_id)
        .group_by(Enrollment.cohort_id, Evaluation.direction)
    )


FRESH = {
    EvaluationTally: _counted,
    EvaluationQuestionTally: _questions_counted,
    EvaluationHospitalTally: _hospitals_counted,
    EvaluationCohortTally: _cohorts_counted,
}


def counted_afresh() -> dict[str, set[tuple]]:
    """Every tally's rows, counted afresh over every evaluation: what the kept ones must
    equal (by table name)."""
    return {model.__tablename__: kept_on_write.counted_rows(c) for model, c in FRESH.items()}


def kept() -> dict[str, set[tuple]]:
    """Every tally's rows as kept (by table name), comparable with ``counted_afresh``."""
    return {model.__tablename__: kept_on_write.kept_rows(model) for model in FRESH}


def rebuild_statements() -> list:
    """The statements that replace every tally by a fresh count (after evaluations were
    written in bulk: the demo's history, the bench)."""
    return kept_on_write.rebuild_statements(FRESH)


def rebuild() -> None:
    kept_on_write.rebuild(FRESH)


def hospital_totals():
    """Per hospital id: evaluations sent and answered (a subquery of two columns summed)."""
    return (
        select(
            Department.hospital_id,
            func.sum(EvaluationTally.sent).label("sent"),
            func.sum(EvaluationTally.answered).label("answered"),
        )
        .join(Department, Department.id == EvaluationTally.department_id)
        .group_by(Department.hospital_id)
        .subquery()
    )


def hospital_counts(hospital_id: int) -> dict:
    """Per direction, the hospital's counts (``sent``, ``answered``, ``respondents``): its
    departments' tallies summed, its own distinct respondents; a few rows whatever the
    history."""
    rows = db.session.execute(_HOSPITAL_COUNTS, {"hospital_id": hospital_id})
    return {row.direction: row for row in rows}


# Built once (parameter ``hospital_id``).
_HOSPITAL_COUNTS = (
    select(
        EvaluationTally.direction,
        func.sum(EvaluationTally.sent).label("sent"),
        func.sum(EvaluationTally.answered).label("answered"),
        func.coalesce(func.max(EvaluationHospitalTally.respondents), 0).label("respondents"),
    )
    .join(Department, Department.id == EvaluationTally.department_id)
    .outerjoin(
        EvaluationHospitalTally,
        and_(
            EvaluationHospitalTally.hospital_id == Department.hospital_id,
            EvaluationHospitalTally.direction == EvaluationTally.direction,
        ),
    )
    .where(Department.hospital_id == bindparam("hospital_id"))
    .group_by(EvaluationTally.direction)
)


def department_counts(department_id: int) -> dict:
    """Per direction, the department's tally (``sent``, ``answered``, ``respondents``): the
    same counts as over its placements' evaluations, read from at most two rows."""
    rows = db.session.execute(_DEPARTMENT_COUNTS, {"department_id": department_id})
    return {row.direction: row for row in rows}


# Built once (parameter ``department_id``).
_DEPARTMENT_COUNTS = select(
    EvaluationTally.direction,
    EvaluationTally.sent,
    EvaluationTally.answered,
    EvaluationTally.respondents,
).where(EvaluationTally.department_id == bindparam("department_id"))
