"""The message a doctor gets when their itinerary changes: once per save, in their language
(their login's, else the roster's), with a link to their travel page."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.core.localisation import person_name
from somet.models import Cohort, Enrollment, Role, User
from somet.notifications.operations import notify, recipient_for_doctor
from somet.web.extensions import db

MY_TRAVEL_PATH = "/my/travel/"  # + cohort id: the doctor's travel page (portal)


def tell_doctors(cohort: Cohort, enrollment_ids: Iterable[int]) -> int:
    """One "your travel changed" message to each doctor, in their language; returns how many."""
    enrollments = db.session.scalars(
        select(Enrollment)
        .options(joinedload(Enrollment.doctor))
        .where(Enrollment.id.in_(list(enrollment_ids)))
        .order_by(Enrollment.id)
    ).all()
    logins = {
        user.doctor_id: user
        for user in db.session.scalars(
            select(User).where(
                User.role == Role.DOCTOR,
                User.doctor_id.in_([e.doctor_id for e in enrollments]),
            )
        )
    }
    change = uuid.uuid4().hex[:16]
    sent = 0
    for enrollment in enrollments:
        doctor = enrollment.doctor
        recipient = recipient_for_doctor(doctor, logins.get(doctor.id))
        if recipient is None:
            continue
        message = notify(
            recipient,
            "travel_changed",
            f"travel:{change}:{enrollment.id}",
            cohort_name=cohort.name,
            doctor_name=person_name(
                doctor.first_name, doctor.last_name, doctor.native_name, recipient.language
            ),
            path=f"{MY_TRAVEL_PATH}{cohort.id}",
        )
        sent += message is not None
    return sent
