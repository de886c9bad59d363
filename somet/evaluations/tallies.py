"""Per department and direction, how many evaluations were sent and answered: kept on write.

The results index shows these totals for every hospital over all years; summing them from
the evaluations would read all of history on each view. The sending and the answering
operations call these functions inside their own transaction, so a tally changes exactly
when the evaluation does (migration 0020 filled them from the evaluations already stored).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func, insert, select, update

from somet.models import Department, Evaluation, EvaluationDirection, EvaluationTally, Placement
from somet.web.extensions import db


def count_sent(evaluations: Iterable[Evaluation]) -> None:
    """Add just-created evaluations (placement loaded) to their departments' tallies.

    The caller serialises senders (the ``evaluations`` write lock), so a missing row is
    inserted without a race."""
    added = Counter((e.placement.department_id, e.direction) for e in evaluations)
    for (department_id, direction), count in sorted(added.items()):
        if not _add(department_id, direction, sent=count):
            _insert_fresh(department_id, direction)


def count_answered(department_id: int, direction: EvaluationDirection) -> None:
    """One more answered evaluation (already marked answered in this transaction)."""
    if not _add(department_id, direction, answered=1):
        _insert_fresh(department_id, direction)


def _add(department_id: int, direction: EvaluationDirection, sent=0, answered=0) -> bool:
    """Increment in place (the row lock serialises concurrent answers); False if no row."""
    return (
        db.session.execute(
            update(EvaluationTally)
            .where(
                EvaluationTally.department_id == department_id,
                EvaluationTally.direction == direction,
            )
            .values(sent=EvaluationTally.sent + sent, answered=EvaluationTally.answered + answered)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def _insert_fresh(department_id: int, direction: EvaluationDirection) -> None:
    """A department's first tally, counted from its evaluations (they include this change)."""
    db.session.execute(
        insert(EvaluationTally).from_select(
            ["department_id", "direction", "sent", "answered"],
            _counted().where(
                Placement.department_id == department_id, Evaluation.direction == direction
            ),
        )
    )


def _counted():
    return (
        select(
            Placement.department_id,
            Evaluation.direction,
            func.count(Evaluation.id),
            func.count(Evaluation.answered_at),
        )
        .join(Placement, Evaluation.placement_id == Placement.id)
        .group_by(Placement.department_id, Evaluation.direction)
    )


def counted_afresh() -> dict[tuple[int, EvaluationDirection], tuple[int, int]]:
    """The tallies as a fresh count over every evaluation (to check or rebuild them)."""
    return {(d, direction): (s, a) for d, direction, s, a in db.session.execute(_counted())}


def rebuild() -> None:
    """Replace every tally by a fresh count (after evaluations were written in bulk)."""
    db.session.execute(EvaluationTally.__table__.delete())
    db.session.execute(
        insert(EvaluationTally).from_select(
            ["department_id", "direction", "sent", "answered"], _counted()
        )
    )


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
