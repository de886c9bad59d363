"""Demo: last year's cohort lived its life through the operations, as of its own dates.

The director planned it, sent the requests and Rambam's coordinator confirmed them; the
director confirmed each doctor's participation (they answered by phone), scheduled the
cohort a week before it started, the coordinator recorded attendance (the last doctor missed
the first three days of the core rotation), and the nightly lifecycle of the day after the
end closed the placements, completed the cohort and judged each enrollment.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from somet.cohorts import operations as cohorts
from somet.core.workdays import working_days
from somet.demo import data
from somet.demo.hosts import DIRECTOR, confirm_requests, demo_user, record_attendance
from somet.jobs import operations as jobs
from somet.models import (
    Cohort,
    CurriculumItem,
    Department,
    Enrollment,
    Hospital,
    Placement,
)
from somet.planning import operations as planning
from somet.requests import operations as requests
from somet.web.extensions import db

MISSED_CORE_DAYS = 3  # the last doctor's absences: too many for the core rotation
TIME_LIMIT = 5.0


def play_past_cohort() -> None:
    """Plan, request, confirm, schedule, attend and close last year's cohort."""
    director = demo_user(DIRECTOR)
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == data.PAST_COHORT["name"]))
    cohort_id, start, end = cohort.id, cohort.start_date, cohort.end_date
    cohorts.change_status(director, cohort, "planning", "", start - timedelta(days=60))
    planning.plan_cohort(director, cohort_id, time_limit=TIME_LIMIT)
    requests.send_requests(director, cohort_id)
    confirm_requests(cohort_id)
    for enrollment_id in _enrollment_ids(cohort_id):
        cohorts.confirm_participation(director, enrollment_id)
    cohort = db.session.get(Cohort, cohort_id)
    cohorts.change_status(director, cohort, "scheduled", "", start - timedelta(days=7))
    after_end = datetime.combine(end + timedelta(days=1), time(12), UTC)
    missed = _missed_days(cohort_id)
    record_attendance(cohort_id, after_end, lambda placement, day: (placement.id, day) in missed)
    # the nightly job of the day after the end, run as `flask jobs run-now --as-of` runs it
    jobs.execute_scheduled("nightly-lifecycle", after_end, runner="demo loader", now=after_end)


def _enrollment_ids(cohort_id: int) -> list[int]:
    query = select(Enrollment.id).where(Enrollment.cohort_id == cohort_id).order_by(Enrollment.id)
    return list(db.session.scalars(query))


def _missed_days(cohort_id: int) -> set:
    """The last doctor's first days of the core rotation: (placement id, day)."""
    absent = _enrollment_ids(cohort_id)[-1]
    placement = db.session.scalar(
        select(Placement)
        .join(CurriculumItem, CurriculumItem.id == Placement.curriculum_item_id)
        .where(Placement.enrollment_id == absent, CurriculumItem.specialty.is_(None))
    )
    hospital = db.session.scalar(
        select(Hospital).join(Department).where(Department.id == placement.department_id)
    )
    days = working_days(placement.start_date, placement.end_date, hospital.weekday_numbers)
    return {(placement.id, day) for day in days[:MISSED_CORE_DAYS]}
