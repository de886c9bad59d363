"""Demo: the upcoming cohort's visas, recorded by the director as real ones are.

Kazakhstan's citizens need no visa for a short stay in Israel, so most doctors are recorded as
not required; three who hold another passport applied and were granted one, and one was
refused: the director's home flags that doctor with "withdraw" and "re-plan" at hand.
"""

from __future__ import annotations

from sqlalchemy import select

from somet.demo import data
from somet.demo.hosts import DIRECTOR, demo_user
from somet.models import Cohort, Enrollment, VisaStatus
from somet.travel.operations import record_visa_status
from somet.web.extensions import db

GRANTED = (4, 9, 15)  # indexes in data.DOCTORS
REFUSED = 12  # Timur Akhmetov: his embassy interview went badly


def record_demo_visas() -> None:
    """Each upcoming doctor's visa status, through the director's operation."""
    director = demo_user(DIRECTOR)
    enrollments = db.session.scalars(
        select(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Cohort.name == data.UPCOMING_COHORT["name"])
        .order_by(Enrollment.id)
    ).all()
    for index, enrollment in enumerate(enrollments):
        status = VisaStatus.NOT_REQUIRED
        if index in GRANTED:
            status = VisaStatus.GRANTED
        elif index == REFUSED:
            status = VisaStatus.REFUSED
        record_visa_status(director, enrollment, status.value)
