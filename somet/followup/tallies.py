"""Per cohort, how many follow-up surveys were sent and answered: kept on write.

The dashboard shows these by the year a cohort ended, over every year; counting them from the
surveys would read all of history on each view. Sending and answering (serialised by the
follow-up write lock) call these functions inside their own transaction, so a tally changes
exactly when the surveys do; migration 0025 filled them from the surveys already stored.
"""

from __future__ import annotations

from sqlalchemy import func, select

from somet.models import Enrollment, FollowUpSurvey, FollowUpTally
from somet.web import tallies as kept_on_write


def count_sent(cohort_id: int) -> None:
    """One more survey sent to a doctor of the cohort (already added to the session); a
    cohort's first survey gets its row counted from the stored surveys, this one included."""
    kept_on_write.increment(FollowUpTally, (cohort_id,), _counted, asked=1)


def count_answered(cohort_id: int) -> None:
    """One more survey of the cohort answered (already marked answered)."""
    kept_on_write.increment(FollowUpTally, (cohort_id,), _counted, answered=1)


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
    return kept_on_write.counted_rows(_counted)


def kept() -> set[tuple]:
    return kept_on_write.kept_rows(FollowUpTally)


def rebuild_statements() -> list:
    """Replace every tally by a fresh count (after surveys were written in bulk: the demo's
    history, the benches)."""
    return kept_on_write.rebuild_statements({FollowUpTally: _counted})


def rebuild() -> None:
    kept_on_write.rebuild({FollowUpTally: _counted})
