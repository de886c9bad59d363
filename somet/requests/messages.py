"""The messages that requests and decisions send (through the notification outbox).

Each is a template under ``templates/notifications/`` rendered in the recipient's language
(``messages.render_message``): coordinators and directors in their own, department
supervisors (who have no account, only an e-mail address) in the language the hospital chose
for them (``Department.supervisor_language``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from somet.models import (
    Cohort,
    Department,
    Doctor,
    Language,
    Placement,
    PlacementStatus,
    Role,
    User,
)
from somet.notifications.operations import (
    enqueue_notification,
    render_message,
    withdraw_unseen,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class Visit:
    """A placement as a message names it, kept as it was (a moved one changes after)."""

    doctor: Doctor
    rotation: str
    department: Department
    start: date
    end: date
    status: PlacementStatus

    @classmethod
    def of(cls, placement: Placement) -> Visit:
        return cls(
            placement.enrollment.doctor,
            placement.curriculum_item.name,
            placement.department,
            placement.start_date,
            placement.end_date,
            placement.status,
        )


def notify_hosts(
    cohort: Cohort, placements: list[Placement], link_for: Callable[[Placement], str]
) -> None:
    """Each department's supervisor gets its one-tap links; each coordinator a summary."""
    by_department: dict[int, list[Placement]] = {}
    for placement in placements:
        by_department.setdefault(placement.department_id, []).append(placement)
    for group in by_department.values():
        department = group[0].department
        if department.supervisor_email:
            _send(
                department.supervisor_email,
                department.supervisor_language,
                "placement.requested",
                "placement_requested",
                cohort=cohort,
                department=department,
                name=department.supervisor_name,
                requests=[(Visit.of(p), link_for(p)) for p in group],
            )
    visits = [Visit.of(p) for p in placements]
    for user in _coordinators_at({v.department.hospital_id for v in visits}):
        mine = [v for v in visits if v.department.hospital_id == user.hospital_id]
        _send(
            user.email, user, "placement.requested", "placement_requests_for_hospital",
            cohort=cohort, visits=mine,
        )  # fmt: skip


def notify_director(placement: Placement, reason: str) -> None:
    cohort = placement.enrollment.cohort
    if cohort.director_id is None:
        return
    director = db.session.get(User, cohort.director_id)
    _send(
        director.email, director, "placement.declined", "placement_declined",
        cohort=cohort, visit=Visit.of(placement), reason=reason,
        dedup_key=_decline_key(placement),
    )  # fmt: skip


def withdraw_decline_notice(placement: Placement) -> None:
    """A decline the host undid: its message to the director disappears while nobody has read
    or been mailed it; otherwise the director is told the request is open again.

    Call before the placement's decision is cleared (the message is found by its moment).
    """
    director = withdraw_unseen(_decline_key(placement))
    if director is None:  # none sent, or withdrawn before anyone saw it
        return
    cohort = placement.enrollment.cohort
    _send(
        director.email, director, "placement.decline_undone", "placement_decline_undone",
        cohort=cohort, visit=Visit.of(placement),
    )  # fmt: skip


def _decline_key(placement: Placement) -> str:
    # One decline of one placement: the moment of the answer tells a later decline apart.
    return f"placement-declined:{placement.id}:{placement.decided_at.isoformat()}"


def notify_hosts_of_cancellation(cohort: Cohort, placements: list[Placement]) -> None:
    """A withdrawn doctor's requested or confirmed visits: each department's supervisor and
    each coordinator of the hospital learn that the place is free again."""
    _tell_hosts_called_off(cohort, [Visit.of(p) for p in placements], "withdrawn")


def notify_moved_away(cohort: Cohort, visit: Visit) -> None:
    """A sent visit the director moved to another department: the old hosts are told."""
    _tell_hosts_called_off(cohort, [visit], "moved")


def _tell_hosts_called_off(cohort: Cohort, visits: list[Visit], why: str) -> None:
    by_department: dict[int, list[Visit]] = {}
    for visit in visits:
        by_department.setdefault(visit.department.id, []).append(visit)
    for group in by_department.values():
        department = group[0].department
        if department.supervisor_email:
            _send(
                department.supervisor_email, department.supervisor_language,
                "placement.cancelled", "placement_cancelled",
                cohort=cohort, visits=group, why=why, name=department.supervisor_name,
            )  # fmt: skip
    for user in _coordinators_at({v.department.hospital_id for v in visits}):
        mine = [v for v in visits if v.department.hospital_id == user.hospital_id]
        _send(
            user.email, user, "placement.cancelled", "placement_cancelled",
            cohort=cohort, visits=mine, why=why,
        )  # fmt: skip


def _send(
    to_email: str,
    reader: User | Language,
    kind: str,
    template: str,
    dedup_key: str | None = None,
    **context,
) -> None:
    """Send to a user in their language, or to a supervisor (no login) in ``reader``."""
    user = reader if isinstance(reader, User) else None
    language = user.language.value if user is not None else reader.value
    context.setdefault("name", user.full_name if user is not None else None)
    subject, body = render_message(template, language, **context)
    enqueue_notification(
        to_email=to_email,
        user=user,
        language=language,
        kind=kind,
        subject=subject[:300],
        body=body,
        dedup_key=dedup_key,
    )


def _coordinators_at(hospitals: set[int]) -> list[User]:
    return db.session.scalars(
        select(User).where(
            User.role == Role.COORDINATOR, User.hospital_id.in_(hospitals), User.active.is_(True)
        )
    ).all()
