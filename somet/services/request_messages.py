"""The messages that requests and decisions send (through the notification outbox)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from somet.extensions import db
from somet.models import Cohort, Department, Placement, Role, User
from somet.services.notifications import enqueue_notification


def describe(placement: Placement) -> str:
    doctor = placement.enrollment.doctor
    return (
        f"{doctor.latin_name} ({doctor.specialty or 'no specialty'}, "
        f"{doctor.home_institution or 'home institution not given'}): "
        f"{placement.curriculum_item.name}, {placement.department.name}, "
        f"{placement.start_date:%-d %b %Y} – {placement.end_date:%-d %b %Y}"
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
            lines = [f"- {describe(p)}\n  Confirm or decline: {link_for(p)}" for p in group]
            enqueue_notification(
                to_email=department.supervisor_email,
                kind="placement.requested",
                subject=f"Visiting doctors for {department.name}: please confirm",
                body=(
                    f"Dear {department.supervisor_name or 'colleague'},\n\n"
                    f"The cohort “{cohort.name}” asks to place these doctors in "
                    f"{department.name}:\n\n" + "\n".join(lines) + "\n\nEach link works once "
                    "and names what it confirms.\n"
                ),
            )
    _notify_coordinators(cohort, placements)


def _coordinators_of(placements: list[Placement]) -> list[User]:
    return _coordinators_at({p.department.hospital_id for p in placements})


def _coordinators_at(hospitals: set[int]) -> list[User]:
    return db.session.scalars(
        select(User).where(
            User.role == Role.COORDINATOR, User.hospital_id.in_(hospitals), User.active.is_(True)
        )
    ).all()


def _notify_coordinators(cohort: Cohort, placements: list[Placement]) -> None:
    link = current_app.config["SOMET_PUBLIC_URL"] + "/requests"
    for user in _coordinators_of(placements):
        mine = [describe(p) for p in placements if p.department.hospital_id == user.hospital_id]
        enqueue_notification(
            to_email=user.email,
            user=user,
            language=user.language.value,
            kind="placement.requested",
            subject=f"{len(mine)} placement requests from “{cohort.name}”",
            body="New requests to confirm:\n\n"
            + "\n".join(f"- {line}" for line in mine)
            + f"\n\nAnswer them here: {link}\n",
        )


def notify_director(placement: Placement, reason: str) -> None:
    cohort = placement.enrollment.cohort
    if cohort.director_id is None:
        return
    director = db.session.get(User, cohort.director_id)
    enqueue_notification(
        to_email=director.email,
        user=director,
        kind="placement.declined",
        subject=f"A host declined a placement in “{cohort.name}”",
        body=f"{describe(placement)}\n\nReason: {reason}\n\nRe-plan the cohort to replace it.\n",
    )


def notify_hosts_of_cancellation(cohort: Cohort, placements: list[Placement]) -> None:
    """A withdrawn doctor's requested or confirmed visits: each department's supervisor and
    each coordinator of the hospital learn that the place is free again."""
    why = (
        f"The doctor below was withdrawn from the cohort “{cohort.name}”, so these visits are "
        "cancelled and their places are free again:"
    )
    visits = [(p.department, f"{describe(p)} (was {p.status.value})") for p in placements]
    _tell_hosts_called_off(cohort, visits, why)


def notify_moved_away(cohort: Cohort, department: Department, description: str) -> None:
    """A sent visit the director moved to another department: the old hosts are told."""
    why = (
        f"The programme director of “{cohort.name}” moved this visit to another department, "
        "so it is no longer asked of you and its place is free again:"
    )
    _tell_hosts_called_off(cohort, [(department, description)], why)


def _tell_hosts_called_off(cohort: Cohort, visits: list[tuple[Department, str]], why: str) -> None:
    """``visits``: (department, description); each supervisor and coordinator gets theirs."""
    by_department: dict[int, list[tuple[Department, str]]] = {}
    for visit in visits:
        by_department.setdefault(visit[0].id, []).append(visit)
    for group in by_department.values():
        department = group[0][0]
        if department.supervisor_email:
            enqueue_notification(
                to_email=department.supervisor_email,
                kind="placement.cancelled",
                subject=f"Visit cancelled in {department.name}",
                body=_called_off_body(why, [line for _, line in group]),
            )
    hospitals = {department.hospital_id for department, _ in visits}
    for user in _coordinators_at(hospitals):
        mine = [line for department, line in visits if department.hospital_id == user.hospital_id]
        enqueue_notification(
            to_email=user.email,
            user=user,
            language=user.language.value,
            kind="placement.cancelled",
            subject=f"{len(mine)} visits from “{cohort.name}” cancelled",
            body=_called_off_body(why, mine),
        )


def _called_off_body(why: str, lines: list[str]) -> str:
    listed = "\n".join(f"- {line}" for line in lines)
    return f"{why}\n\n{listed}\n\nAny confirmation link sent for them no longer works.\n"
