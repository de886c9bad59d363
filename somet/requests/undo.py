"""Undoing a host's answer within minutes: the request is open again, as if never answered.

Kept beside ``operations`` (whose checks it shares) so that each stays readable; views, the
CLI and jobs call ``undo_answer`` as they call any other operation.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition
from somet.models import AuditEvent, Placement, PlacementStatus, User, utcnow
from somet.requests import messages
from somet.requests.operations import (
    _audit_details,
    _department_for,
    _label,
    placement_options,
)
from somet.requests.rules import UndoRefusal, undo_refusal
from somet.web.database import lock_for_write
from somet.web.extensions import db

# What the director does to a cohort that builds on the hosts' answers (undo then refused).
DIRECTOR_STEPS = ("cohort.planned", "cohort.plan_queued", "cohort.requests_sent", "cohort.status")
ANSWER_EVENTS = ("placement.confirmed", "placement.declined")


def undo_answer(actor: User, placement_id: int, *, now: datetime | None = None) -> Placement:
    """Take back a confirmation or decline within ``rules.UNDO_WINDOW``: the request is open
    again (its one-tap link works again), and a decline's message to the director is withdrawn
    (or, once read or mailed, followed by one saying so). Refused after the window, or once the
    director re-planned, moved, re-sent or changed the cohort's status since the answer."""
    department_id = _department_for(actor, placement_id, None)
    lock_for_write(db.session(), f"department:{department_id}")
    placement = db.session.scalars(
        select(Placement)
        .where(Placement.id == placement_id)
        .options(*placement_options())
        .execution_options(populate_existing=True)
    ).first()
    answered_at, was = placement.decided_at, placement.status
    refusal = undo_refusal(
        was,
        answered_at,
        now or utcnow(),
        director_acted=answered_at is not None and _director_acted_since(placement),
    )
    if refusal is not None:
        raise InvalidTransition(_undo_refusal_text(refusal, placement))
    reason = placement.decline_reason
    if was == PlacementStatus.DECLINED:
        messages.withdraw_decline_notice(placement)  # found by the answer's moment: first
    reopened = db.session.execute(
        update(Placement)
        .where(
            Placement.id == placement.id,
            Placement.status == was,
            Placement.decided_at == answered_at,
        )
        .values(
            status=PlacementStatus.REQUESTED,
            decided_at=None,
            decided_by_id=None,
            decided_by_name=None,
            decline_reason=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if reopened != 1:
        db.session.rollback()
        raise InvalidTransition(_("This answer changed meanwhile; reload the page."))
    record_event(
        actor,
        "placement.answer_undone",
        placement,
        was=was.value,
        answered_at=answered_at,
        reason=reason,
        **_audit_details(placement, None),
    )
    db.session.commit()
    db.session.refresh(placement)
    return placement


def _director_acted_since(placement: Placement) -> bool:
    found = db.session.scalar(
        select(AuditEvent.id)
        .where(
            AuditEvent.created_at > placement.decided_at,
            or_(
                and_(
                    AuditEvent.object_type == "Placement",
                    AuditEvent.object_id == placement.id,
                    AuditEvent.action.not_in(ANSWER_EVENTS),
                ),
                and_(
                    AuditEvent.object_type == "Cohort",
                    AuditEvent.object_id == placement.enrollment.cohort_id,
                    AuditEvent.action.in_(DIRECTOR_STEPS),
                ),
            ),
        )
        .limit(1)
    )
    return found is not None


def _undo_refusal_text(refusal: UndoRefusal, placement: Placement) -> str:
    if refusal == UndoRefusal.WINDOW_CLOSED:
        return _(
            "This answer can no longer be undone: more than 10 minutes have passed. "
            "Ask the programme director to change it."
        )
    if refusal == UndoRefusal.DIRECTOR_ACTED:
        return _(
            "This answer can no longer be undone: the programme director has already acted "
            "on it. Ask the director to change it."
        )
    return _(
        "This answer can no longer be undone: the request is now %(status)s.",
        status=_label(placement),
    )
