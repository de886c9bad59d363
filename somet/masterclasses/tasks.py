"""The doctor's reminder the day before a masterclass, in the masterclass's own time zone.

Run hourly as the ``masterclass_tomorrow`` reminder source (see
``somet.notifications.reminders``); each registration is reminded once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from somet.models import Doctor, Masterclass, Registration, RegistrationStatus, User
from somet.notifications.operations import notify, recipient_for_doctor
from somet.web.extensions import db


def remind_masterclass_tomorrow(now: datetime) -> int:
    """Registered doctors, the day before a masterclass (its own time zone's day)."""
    login = aliased(User)
    rows = db.session.execute(
        select(Registration, Masterclass, Doctor, login)
        .join(Masterclass, Registration.masterclass_id == Masterclass.id)
        .join(Doctor, Registration.doctor_id == Doctor.id)
        .outerjoin(login, login.doctor_id == Doctor.id)
        .where(
            Registration.status == RegistrationStatus.REGISTERED,
            Masterclass.starts_at > now,
            Masterclass.starts_at <= now + timedelta(days=2),
        )
    )
    sent = 0
    for registration, masterclass, doctor, user in rows:
        zone = ZoneInfo(masterclass.timezone)
        if masterclass.starts_at.astimezone(zone).date() > now.astimezone(zone).date() + timedelta(
            days=1
        ):
            continue  # two days away in its own time zone: tomorrow's run reminds
        recipient = recipient_for_doctor(doctor, user)
        if recipient is not None:
            sent += _sent(
                notify(
                    recipient,
                    "masterclass_tomorrow",
                    f"masterclass-tomorrow:{registration.id}",
                    masterclass=masterclass,
                    doctor=doctor,
                )
            )
    return sent


def _sent(notification) -> int:
    return 0 if notification is None else 1
