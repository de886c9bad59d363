"""The evaluations' reminder: 3 and 7 days after sending, to whoever has not answered.

Run hourly as the ``evaluations_unanswered`` reminder source (``somet.notifications
.reminders``); each reminder is written once (its dedup key names the stage, the placement
and the direction). An answered or expired evaluation is reminded of no more.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.evaluations import messages, rules
from somet.evaluations.operations import answer_link
from somet.models import Department, Enrollment, Evaluation, Placement
from somet.web.extensions import db


def remind_unanswered(now: datetime) -> int:
    """Reminders of the open evaluations sent 3 days or more ago; returns how many."""
    first = min(after for _, after in rules.REMINDER_STAGES)
    evaluations = db.session.scalars(
        select(Evaluation)
        .where(
            Evaluation.answered_at.is_(None),
            Evaluation.expires_at > now,
            Evaluation.sent_at <= now - first,
        )
        .options(
            joinedload(Evaluation.placement)
            .joinedload(Placement.department)
            .joinedload(Department.hospital),
            joinedload(Evaluation.placement)
            .joinedload(Placement.enrollment)
            .joinedload(Enrollment.doctor),
        )
        .order_by(Evaluation.id)
    ).all()
    recipients = messages.recipients_of(evaluations)
    sent = 0
    for evaluation in evaluations:
        stage = rules.reminder_stage(evaluation.sent_at, now)
        recipient = recipients.get(evaluation.id)
        if stage is not None and recipient is not None:
            sent += messages.send_reminder(evaluation, stage, recipient, answer_link)
    return sent
