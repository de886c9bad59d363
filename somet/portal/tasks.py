"""The doctor's reminder before a rotation: 3 days ahead, once per placement.

Run hourly as the ``rotation_start`` reminder source (see ``somet.notifications.reminders``);
the message links to the doctor's placement page in the portal.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from somet.models import Department, Doctor, Enrollment, Hospital, Placement, PlacementStatus, User
from somet.notifications.operations import notify, recipient_for_doctor
from somet.web.extensions import db

ROTATION_NOTICE_DAYS = 3


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


def _sent(notification) -> int:
    return 0 if notification is None else 1
