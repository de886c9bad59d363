"""Demo: enrollments reach their states the way real ones do (no status is assigned).

(Last year's cohort confirms and is judged in demo/past_cohort.py.) In the upcoming cohort
the two doctors with a login
confirmed in the portal, the director marked most others confirmed after phone calls, and
the last three have not answered yet.
"""

from __future__ import annotations

from sqlalchemy import select

from somet.cohorts import operations as cohorts
from somet.demo import data
from somet.demo.hosts import DIRECTOR, demo_user
from somet.models import Cohort, Enrollment, Role, User
from somet.web.extensions import db

NOT_ANSWERED = 3  # upcoming doctors still invited, so the roster shows both states


def confirm_demo_participation() -> None:
    """Confirm the upcoming cohort's participation through the operations."""
    director = demo_user(DIRECTOR)
    doctor_logins = {
        user.doctor_id: user
        for user in db.session.scalars(select(User).where(User.role == Role.DOCTOR))
    }
    upcoming = _enrollments(data.UPCOMING_COHORT["name"])
    for enrollment_id, doctor_id in upcoming[: len(upcoming) - NOT_ANSWERED]:
        cohorts.confirm_participation(doctor_logins.get(doctor_id, director), enrollment_id)


def _enrollments(cohort_name: str) -> list[tuple[int, int]]:
    """(enrollment id, doctor id) of the cohort, in the order the loader enrolled them."""
    return list(
        db.session.execute(
            select(Enrollment.id, Enrollment.doctor_id)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Cohort.name == cohort_name)
            .order_by(Enrollment.id)
        ).tuples()
    )
