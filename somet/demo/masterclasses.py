"""Demo registrations: both demo doctors have a place at the Almaty masterclass."""

from __future__ import annotations

from sqlalchemy import select

from somet.demo import data
from somet.models import Masterclass, Registration, RegistrationStatus, User
from somet.web.extensions import db


def load_demo_registrations() -> None:
    """Register doctor@example.org and doctor2@example.org (part of the loader's transaction)."""
    db.session.flush()
    masterclass = db.session.scalar(
        select(Masterclass).where(Masterclass.title == data.MASTERCLASS["title"])
    )
    doctor_ids = db.session.scalars(
        select(User.doctor_id)
        .where(User.email.in_(("doctor@example.org", "doctor2@example.org")))
        .order_by(User.email)
    )
    for doctor_id in doctor_ids:
        db.session.add(
            Registration(
                masterclass_id=masterclass.id,
                doctor_id=doctor_id,
                status=RegistrationStatus.REGISTERED,
            )
        )
