"""From an audit event to the deliveries of its webhook: what each event's data holds.

Called by ``record_event`` for every audit event, inside the transaction of the change, so a
delivery exists exactly when the change was committed. Only the events in ``rules.EVENTS``
read anything (one statement: the active subscriptions); the data is taken from the columns
of the object already in hand, never from its relationships.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from somet.certificates.queries import verification_url
from somet.models import (
    Certificate,
    Enrollment,
    Placement,
    WebhookDelivery,
    WebhookSubscription,
    utcnow,
)
from somet.web.extensions import db
from somet.webhooks.rules import EVENTS, event_body


def on_audit_event(action: str, obj: Any) -> None:
    """Queue a delivery of ``action`` to every active subscription that asked for it."""
    if action not in EVENTS:
        return
    subscribed = [
        subscription_id
        for subscription_id, events in db.session.execute(
            select(WebhookSubscription.id, WebhookSubscription.events).where(
                WebhookSubscription.active.is_(True)
            )
        )
        if action in (events or ())
    ]
    if subscribed:
        queue_event(action, event_data(obj), subscribed)


def queue_event(event: str, data: dict, subscription_ids: list[int]) -> str:
    """Add one delivery of ``event`` per subscription (no commit); returns the event's id."""
    event_id, now = str(uuid.uuid4()), utcnow()
    body = event_body(event_id, event, now, data)
    for subscription_id in subscription_ids:
        db.session.add(
            WebhookDelivery(
                subscription_id=subscription_id,
                event_id=event_id,
                event=event,
                body=body,
                next_attempt_at=now,
            )
        )
    return event_id


def event_data(obj: Any) -> dict:
    """The ``data`` of an event about ``obj`` (README "Webhooks" lists the fields)."""
    if isinstance(obj, Certificate):
        return {"certificate": _certificate(obj)}
    if isinstance(obj, Placement):
        return {"placement": _placement(obj)}
    if isinstance(obj, Enrollment):
        return {"enrollment": _enrollment(obj)}
    raise TypeError(f"no webhook data for {type(obj).__name__}")


def _certificate(certificate: Certificate) -> dict:
    return {
        "id": certificate.id,
        "serial": certificate.serial,
        "kind": certificate.kind.value,
        "doctor_id": certificate.doctor_id,
        "enrollment_id": certificate.enrollment_id,
        "masterclass_id": certificate.masterclass_id,
        "hours": certificate.hours,
        "issued_at": _iso(certificate.issued_at),
        "revoked_at": _iso(certificate.revoked_at),
        "revocation_reason": certificate.revocation_reason,
        "verification_url": verification_url(certificate),
    }


def _placement(placement: Placement) -> dict:
    return {
        "id": placement.id,
        "enrollment_id": placement.enrollment_id,
        "department_id": placement.department_id,
        "start_date": placement.start_date.isoformat(),
        "end_date": placement.end_date.isoformat(),
        "status": placement.status.value,
        "decided_at": _iso(placement.decided_at),
        "decline_reason": placement.decline_reason,
    }


def _enrollment(enrollment: Enrollment) -> dict:
    return {
        "id": enrollment.id,
        "cohort_id": enrollment.cohort_id,
        "doctor_id": enrollment.doctor_id,
        "status": enrollment.status.value,
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None
