"""Demo: the upcoming cohort reaches planning the way real ones do (no status is assigned).

Both cohorts are created as drafts; the upcoming one is moved to planning two months before
it starts, by the same checked operation a director uses. Last year's cohort lives its whole
life in demo/past_cohort.py.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from somet.cohorts import operations as cohorts
from somet.demo import data
from somet.demo.hosts import DIRECTOR, demo_user
from somet.models import Cohort
from somet.web.extensions import db


def advance_demo_cohorts() -> None:
    """Move the upcoming cohort to planning through the cohorts operation."""
    director = demo_user(DIRECTOR)
    upcoming = _cohort(data.UPCOMING_COHORT["name"])
    cohorts.change_status(
        director, upcoming, "planning", "", upcoming.start_date - timedelta(days=60)
    )


def _cohort(name: str) -> Cohort:
    return db.session.scalar(select(Cohort).where(Cohort.name == name))
