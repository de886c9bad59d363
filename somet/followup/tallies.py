"""Per cohort, how many follow-up surveys were sent and answered: kept on write.

The dashboard shows these by the year a cohort ended, over every year; counting them from the
surveys would read all of history on each view. Sending and answering (serialised by the
follow-up write lock) call these functions inside their own transaction, so a tally changes
exactly when the surveys do; migration 0025 filled them from the surveys already stored.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select, update

from somet.models import Enrollment, FollowUpSurvey, FollowUpTally
from somet.web.extensions import db


def count_sent(cohort_id: int) -> None:
    """One more survey sent to a doctor of the cohort (already added to the session)."""
    _add(cohort_id, asked=1)


def count_answered(cohort_id: int) -> None:
    """One more survey of the cohort answered (already marked answered)."""
    _add(cohort_id, answered=1)


def _add(cohort_id: int, **amounts) -> None:
    """Increment in place; a cohort's first survey gets its row counted from the stored
    surveys, this one included (the caller holds the follow-up write lock: no race)."""
    changed = db.session.execute(
        update(FollowUpTally)
        .where(FollowUpTally.cohort_id == cohort_id)
        .values({name: getattr(FollowUpTally, name) + n for name, n in amounts.items()})
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.flush()
        db.session.execute(
            insert(FollowUpTally).from_select(
                COLUMNS, _counted().where(Enrollment.cohort_id == cohort_id)
            )
        )


COLUMNS = ["cohort_id", "asked", "answered"]


def _counted():
    """Per cohort: surveys sent and answered, counted over every survey."""
    return (
        select(
            Enrollment.cohort_id,
            func.count(FollowUpSurvey.id),
            func.count(FollowUpSurvey.answered_at),
        )
        .join(Enrollment, Enrollment.id == FollowUpSurvey.enrollment_id)
        .group_by(Enrollment.cohort_id)
    )


def counted_afresh() -> set[tuple]:
    """The tallies counted afresh over every survey: what the kept ones must equal."""
    return {tuple(row) for row in db.session.execute(_counted())}


def kept() -> set[tuple]:
    return {tuple(row) for row in db.session.execute(select(*FollowUpTally.__table__.columns))}


def rebuild_statements() -> list:
    """Replace every tally by a fresh count (after surveys were written in bulk: the demo's
    history, the benches)."""
    return [
        FollowUpTally.__table__.delete(),
        insert(FollowUpTally).from_select(COLUMNS, _counted()),
    ]


def rebuild() -> None:
    for statement in rebuild_statements():
        db.session.execute(statement)
