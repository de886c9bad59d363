"""The e-mails of evaluations: the request with its one-tap link, and the reminders.

A department's supervisor (no account) reads them in the language the hospital chose for
them (``Department.supervisor_language``); a doctor in their own (their login's, else their
preferred one). A department without a supervisor's e-mail gets none: the hospital's
coordinators answer that evaluation in the app.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from somet.core.localisation import person_name
from somet.models import Evaluation, EvaluationDirection, Role, User
from somet.notifications.operations import (
    Recipient,
    notify,
    recipient_for_doctor,
)
from somet.web.extensions import db

LinkFor = Callable[[int, str], str]


def send_requests(evaluations: list[Evaluation], link_for: LinkFor) -> int:
    """Each evaluation's request to whoever answers it; returns how many were written."""
    recipients = recipients_of(evaluations)
    sent = 0
    for evaluation in evaluations:
        recipient = recipients.get(evaluation.id)
        if recipient is None:
            continue
        sent += _notify(
            recipient,
            "evaluation_request",
            f"evaluation:{evaluation.placement_id}:{evaluation.direction.value}",
            evaluation,
            link_for,
        )
    return sent


def send_reminder(evaluation: Evaluation, stage: str, recipient: Recipient, link_for) -> int:
    """One reminder (stage ``3d`` or ``7d``) of an unanswered evaluation, once."""
    key = f"evaluation-reminder:{stage}:{evaluation.placement_id}:{evaluation.direction.value}"
    return _notify(recipient, "evaluation_reminder", key, evaluation, link_for, stage=stage)


def recipients_of(evaluations: list[Evaluation]) -> dict[int, Recipient]:
    """Who answers each evaluation by e-mail (none for a supervisor without an address)."""
    doctor_ids = {e.placement.enrollment.doctor_id for e in evaluations}
    logins = {
        user.doctor_id: user
        for user in db.session.scalars(
            select(User).where(User.role == Role.DOCTOR, User.doctor_id.in_(doctor_ids))
        )
    }
    found = {}
    for evaluation in evaluations:
        placement = evaluation.placement
        if evaluation.direction == EvaluationDirection.OF_DOCTOR:
            department = placement.department
            if department.supervisor_email:
                found[evaluation.id] = Recipient(
                    department.supervisor_email,
                    department.supervisor_language.value,
                    department.supervisor_name or "",
                )
        else:
            doctor = placement.enrollment.doctor
            recipient = recipient_for_doctor(doctor, logins.get(doctor.id))
            if recipient is not None:
                found[evaluation.id] = recipient
    return found


def _notify(recipient, kind, key, evaluation, link_for, **context) -> int:
    placement = evaluation.placement
    doctor = placement.enrollment.doctor
    message = notify(
        recipient,
        kind,
        key,
        of_doctor=evaluation.direction == EvaluationDirection.OF_DOCTOR,
        doctor_name=person_name(
            doctor.first_name, doctor.last_name, doctor.native_name, recipient.language
        ),
        department=placement.department,
        hospital=placement.department.hospital,
        placement=placement,
        expires_at=evaluation.expires_at,
        link=link_for(evaluation.id, recipient.language),
        **context,
    )
    return 0 if message is None else 1
