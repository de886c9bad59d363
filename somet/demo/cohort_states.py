"""Demo: the cohorts reach their lifecycle states the way real ones do (no status is assigned).

Both cohorts are created as drafts. The upcoming one is moved to planning two months before
it starts. Last year's one went through planning and scheduling before its start, became
active on its first day and completed the day after its end, each step checked by the same
lifecycle rules a director meets (hosts, readiness, nothing pending, the dates).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from somet.cohorts import operations as cohorts
from somet.demo import data
from somet.models import Cohort, User
from somet.web.extensions import db


def advance_demo_cohorts() -> None:
    """Move both demo cohorts along their lifecycle through the cohorts operation."""
    director = db.session.scalar(select(User).where(User.email == "director@example.org"))
    upcoming = _cohort(data.UPCOMING_COHORT["name"])
    cohorts.change_status(
        director, upcoming, "planning", "", upcoming.start_date - timedelta(days=60)
    )
    past = _cohort(data.PAST_COHORT["name"])
    start, end = past.start_date, past.end_date
    steps = (
        ("planning", start - timedelta(days=60)),
        ("scheduled", start - timedelta(days=7)),
        ("active", start),
        ("completed", end + timedelta(days=1)),
    )
    for target, day in steps:
        past = cohorts.change_status(director, past, target, "", day)


def _cohort(name: str) -> Cohort:
    return db.session.scalar(select(Cohort).where(Cohort.name == name))
