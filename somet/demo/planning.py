"""The demo's upcoming cohort, planned and partly sent: Rambam's requests wait for an answer.

Rambam's share goes out as requests (so coordinator@example.org has work to do and its
supervisors have one-tap links in the outbox); Hadassah's share stays proposed, so the
director can send it from the cohort's timeline.
"""

from __future__ import annotations

from sqlalchemy import select

from somet.core.errors import DomainError
from somet.demo import data
from somet.demo.hosts import DIRECTOR, demo_user
from somet.models import Cohort, Hospital
from somet.planning import operations as planning
from somet.requests import operations as requests
from somet.web.extensions import db

DEMO_TIME_LIMIT = 5.0


def plan_demo_cohort() -> str:
    """Plan the upcoming cohort and send Rambam's requests; says what happened."""
    director = demo_user(DIRECTOR)
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == data.UPCOMING_COHORT["name"]))
    haifa = db.session.scalar(select(Hospital).where(Hospital.name == data.HAIFA["name"]))
    try:
        summary = planning.plan_cohort(director, cohort.id, time_limit=DEMO_TIME_LIMIT)
        if summary["status"] not in planning.SOLVED:
            return f"The demo cohort could not be planned: {summary['status']}."
        sent = requests.send_requests(director, cohort.id, hospital_id=haifa.id)
    except DomainError as error:
        db.session.rollback()
        return f"The demo cohort could not be planned: {error}"
    return f"Demo cohort planned; {sent} requests sent to {haifa.name}."
