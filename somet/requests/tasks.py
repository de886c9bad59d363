"""The requests feature's reminder: hosts about requests left unanswered.

Coordinators hear after 48 hours, again at 5 days, when the cohort's director is told too;
each message once (``Notification.dedup_key``). Run hourly as the ``requests_pending``
reminder source (see ``somet.notifications.reminders``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from somet.models import Cohort, Department, Enrollment, Hospital, Placement, PlacementStatus
from somet.notifications.operations import (
    directors_for,
    hospital_coordinators,
    notify,
    recipient_for_user,
)
from somet.requests.rules import FIRST_REMINDER, reminder_stage
from somet.web.extensions import db


def remind_pending_requests(now: datetime) -> int:
    """Coordinators about requests unanswered for 48 h (again at 5 days, with the director)."""
    groups = _pending_request_groups(now - FIRST_REMINDER)
    coordinators = hospital_coordinators({key[0] for key in groups})
    directors = directors_for({group["director_id"] for group in groups.values()})
    sent = 0
    for (hospital_id, cohort_id, day), group in groups.items():
        stage = reminder_stage(group["oldest"], now)
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


def _sent(notification) -> int:
    return 0 if notification is None else 1
