"""``flask demo-hosts --as-of DAY``: the hosts' part of a rehearsal of the demo's upcoming
cohort, played through the same operations a director and the coordinators use.

The director sends what is still proposed, each host's coordinator confirms its requests,
the director schedules the cohort, and the coordinators record attendance up to ``DAY`` (the
nightly jobs then take it from there, see README "Rehearsing the end of a cohort"). One doctor,
doctor2@example.org, misses most of the core rotation, so the rehearsal shows both outcomes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from somet.cohorts import operations as cohorts
from somet.demo import data
from somet.demo.hosts import DIRECTOR, confirm_requests, demo_user, record_attendance
from somet.models import (
    Cohort,
    CohortStatus,
    CurriculumItem,
    Enrollment,
    Placement,
    PlacementStatus,
    User,
)
from somet.requests import operations as requests
from somet.web.extensions import db

ABSENT_LOGIN = "doctor2@example.org"  # misses the core rotation; sees why in the portal


def play_hosts(now: datetime) -> dict:
    """Requests sent and confirmed, the cohort scheduled, attendance up to ``now``'s day."""
    director = demo_user(DIRECTOR)
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == data.UPCOMING_COHORT["name"]))
    if cohort.status == CohortStatus.PLANNING:
        _send_the_rest(director, cohort.id)
        confirmed = confirm_requests(cohort.id)
        cohorts.change_status(director, cohort, "scheduled", "", now.date())
    else:
        confirmed = 0
    return {"confirmed": confirmed, "attendance_days": _record_attendance(cohort.id, now)}


def _send_the_rest(director: User, cohort_id: int) -> None:
    proposed = db.session.scalar(
        select(Placement.id)
        .join(Enrollment, Enrollment.id == Placement.enrollment_id)
        .where(Enrollment.cohort_id == cohort_id, Placement.status == PlacementStatus.PROPOSED)
        .limit(1)
    )
    if proposed is not None:
        requests.send_requests(director, cohort_id)


def _record_attendance(cohort_id: int, now: datetime) -> int:
    """Every week up to ``now``'s day; doctor2 misses the core rotation after its first day."""
    absent_doctor = demo_user(ABSENT_LOGIN).doctor_id
    core_items = set(
        db.session.scalars(
            select(CurriculumItem.id).where(
                CurriculumItem.cohort_id == cohort_id, CurriculumItem.specialty.is_(None)
            )
        )
    )

    def absent(placement: Placement, day: date) -> bool:
        return (
            placement.enrollment.doctor_id == absent_doctor
            and placement.curriculum_item_id in core_items
            and day > placement.start_date
        )

    return record_attendance(cohort_id, now, absent)
