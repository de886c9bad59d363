"""Per department and direction, how many evaluations were sent and answered, and by how many
distinct doctors: kept on write.

The results pages show these totals over all years; summing them from
the evaluations would read all of history on each view. The sending and the answering
operations call these functions inside their own transaction, so a tally changes exactly
when the evaluation does (migration 0020 filled them from the evaluations already stored).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import bindparam, case, distinct, exists, func, insert, select, update

from somet.models import (
    Department,
    Enrollment,
    Evaluation,
    EvaluationDirection,
    EvaluationTally,
    Placement,
)
from somet.web.extensions import db


def count_sent(evaluations: Iterable[Evaluation]) -> None:
    """Add just-created evaluations (placement loaded) to their departments' tallies.

    The caller serialises senders (the ``evaluations`` write lock), so a missing row is
    inserted without a race."""
    added = Counter((e.placement.department_id, e.direction) for e in evaluations)
    for (department_id, direction), count in sorted(added.items()):
        if not _add(department_id, direction, sent=count):
            _insert_fresh(department_id, direction)


def count_answered(evaluation: Evaluation) -> None:
    """One more answered evaluation (placement and enrollment loaded, already marked answered
    in this transaction); one more respondent if its doctor had no other answered one of the
    department in that direction (a look at that doctor's placements only)."""
    placement = evaluation.placement
    doctor_id = placement.enrollment.doctor_id
    earlier = db.session.scalar(
        select(
            exists().where(
                Evaluation.placement_id == Placement.id,
                Placement.enrollment_id == Enrollment.id,
                Enrollment.doctor_id == doctor_id,
                Placement.department_id == placement.department_id,
                Evaluation.direction == evaluation.direction,
                Evaluation.answered_at.is_not(None),
                Evaluation.id != evaluation.id,
            )
        )
    )
    new_respondent = 0 if earlier else 1
    if not _add(placement.department_id, evaluation.direction, 0, 1, new_respondent):
        _insert_fresh(placement.department_id, evaluation.direction)


def _add(department_id: int, direction, sent=0, answered=0, respondents=0) -> bool:
    """Increment in place (the row lock serialises concurrent answers); False if no row."""
    return (
        db.session.execute(
            update(EvaluationTally)
            .where(
                EvaluationTally.department_id == department_id,
                EvaluationTally.direction == direction,
            )
            .values(
                sent=EvaluationTally.sent + sent,
                answered=EvaluationTally.answered + answered,
                respondents=EvaluationTally.respondents + respondents,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def _insert_fresh(department_id: int, direction: EvaluationDirection) -> None:
    """A department's first tally, counted from its evaluations (they include this change)."""
    db.session.execute(
        insert(EvaluationTally).from_select(
            list(COLUMNS),
            _counted().where(
                Placement.department_id == department_id, Evaluation.direction == direction
            ),
        )
    )


COLUMNS = ("department_id", "direction", "sent", "answered", "respondents")


def _counted():
    answered_by = case((Evaluation.answered_at.is_not(None), Enrollment.doctor_id))
    return (
        select(
            Placement.department_id,
            Evaluation.direction,
            func.count(Evaluation.id),
            func.count(Evaluation.answered_at),
            func.count(distinct(answered_by)),
        )
        .join(Placement, Evaluation.placement_id == Placement.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .group_by(Placement.department_id, Evaluation.direction)
    )


def counted_afresh() -> dict[tuple[int, EvaluationDirection], tuple[int, int, int]]:
    """(sent, answered, respondents) per department and direction, counted afresh over every
    evaluation: what the tallies must equal."""
    return {(row[0], row[1]): tuple(row[2:]) for row in db.session.execute(_counted())}


def rebuild() -> None:
    """Replace every tally by a fresh count (after evaluations were written in bulk)."""
    db.session.execute(EvaluationTally.__table__.delete())
    db.session.execute(insert(EvaluationTally).from_select(list(COLUMNS), _counted()))


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
