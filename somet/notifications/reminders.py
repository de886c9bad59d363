"""Reminders, run hourly by the job runner; each is sent once (``Notification.dedup_key``).

- hosts: requests waiting for an answer for more than 48 hours, again at 5 days, when the
  cohort's director is told too;
- doctors: 3 days before a rotation starts, and the day before a masterclass;
- features add their own (expiring documents) with ``register_reminder_source``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from somet.models import (
    Cohort,
    Department,
    Doctor,
    Enrollment,
    Hospital,
    Masterclass,
    Placement,
    PlacementStatus,
    Registration,
    RegistrationStatus,
    User,
)
from somet.notifications.messages import (
    directors_for,
    hospital_coordinators,
    notify,
    recipient_for_doctor,
    recipient_for_user,
)
from somet.web.database import lock_for_write
from somet.web.extensions import db

FIRST_REMINDER = timedelta(hours=48)
SECOND_REMINDER = timedelta(days=5)
ROTATION_NOTICE_DAYS = 3

ReminderSource = Callable[[datetime], int]
REMINDER_SOURCES: dict[str, ReminderSource] = {}


def register_reminder_source(name: str, source: ReminderSource) -> None:
    """Add a reminder (``source(now)`` writes notifications, returns how many) to the hourly run.

    The registration point for reminders of other features, e.g. expiring documents.
    """
    REMINDER_SOURCES[name] = source


def send_reminders(now: datetime) -> dict:
    """Run every reminder source once; returns how many messages each wrote."""
    counts = {}
    for name, source in REMINDER_SOURCES.items():
        lock_for_write(db.session(), "reminders")  # SQLite: read and write in one transaction
        counts[name] = source(now)
        db.session.commit()
    return counts


def remind_pending_requests(now: datetime) -> int:
    """Coordinators about requests unanswered for 48 h (again at 5 days, with the director)."""
    groups = _pending_request_groups(now - FIRST_REMINDER)
    coordinators = hospital_coordinators({key[0] for key in groups})
    directors = directors_for({group["director_id"] for group in groups.values()})
    sent = 0
    for (hospital_id, cohort_id, day), group in groups.items():
        stage = "5d" if group["oldest"] <= now - SECOND_REMINDER else "48h"
        base = f"requests-pending:{stage}:{hospital_id}:{cohort_id}:{day.isoformat()}"
        for user in coordinators.get(hospital_id, []):
            sent += _sent(
                notify(
                    recipient_for_user(user),
                    "requests_pending",
                    f"{base}:{user.id}",
                    stage=stage,
                    **group,
                )
            )
        if stage == "5d":
            for user in directors.get(group["director_id"]) or directors[None]:
                sent += _sent(
                    notify(
                        recipient_for_user(user),
                        "requests_overdue",
                        f"requests-overdue:{base}:{user.id}",
                        **group,
                    )
                )
    return sent


def _pending_request_groups(cutoff: datetime) -> dict[tuple[int, int, date], dict]:
    rows = db.session.execute(
        select(
            Placement.requested_at,
            Hospital.id.label("hospital_id"),
            Hospital.name.label("hospital_name"),
            Cohort.id.label("cohort_id"),
            Cohort.name.label("cohort_name"),
            Cohort.director_id,
        )
        .join(Department, Placement.department_id == Department.id)
        .join(Hospital, Department.hospital_id == Hospital.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Cohort, Enrollment.cohort_id == Cohort.id)
        .where(Placement.status == PlacementStatus.REQUESTED, Placement.requested_at <= cutoff)
    )
    groups: dict[tuple[int, int, date], dict] = {}
    for row in rows:
        key = (row.hospital_id, row.cohort_id, row.requested_at.date())
        group = groups.setdefault(
            key,
            {
                "hospital_name": row.hospital_name,
                "cohort_name": row.cohort_name,
                "director_id": row.director_id,
                "requested_on": key[2],
                "oldest": row.requested_at,
                "count": 0,
            },
        )
        group["count"] += 1
        group["oldest"] = min(group["oldest"], row.requested_at)
    return groups


def remind_rotation_start(now: datetime) -> int:
    """Doctors whose confirmed rotation starts within 3 days (once per placement)."""
    today = now.date()
    login = aliased(User)
    rows = db.session.execute(
        select(Placement, Department, Hospital, Doctor, login)
        .join(Department, Placement.department_id == Department.id)
        .join(Hospital, Department.hospital_id == Hospital.id)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Doctor, Enrollment.doctor_id == Doctor.id)
        .outerjoin(login, login.doctor_id == Doctor.id)
        .where(
            Placement.status == PlacementStatus.CONFIRMED,
            Placement.start_date > today,
            Placement.start_date <= today + timedelta(days=ROTATION_NOTICE_DAYS),
        )
    )
    sent = 0
    for placement, department, hospital, doctor, user in rows:
        recipient = recipient_for_doctor(doctor, user)
        if recipient is not None:
            sent += _sent(
                notify(
                    recipient,
                    "rotation_soon",
                    f"rotation-soon:{placement.id}",
                    placement=placement,
                    department=department,
                    hospital=hospital,
                    doctor=doctor,
                )
            )
    return sent


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


register_reminder_source("requests_pending", remind_pending_requests)
register_reminder_source("rotation_start", remind_rotation_start)
register_reminder_source("masterclass_tomorrow", remind_masterclass_tomorrow)
