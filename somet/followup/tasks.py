"""The follow-up feature's daily job and its reminder source.

``follow-up-surveys`` runs daily (02:30 UTC, after the nightly lifecycle has settled the
enrollments): it sends each survey that came due, once, and catches up after missed days
(``rules.survey_to_send``). The ``follow_up_unanswered`` reminder source (hourly, with the
others) reminds doctors who have not answered 7 and 21 days after sending, each once.
"""

from __future__ import annotations

from datetime import datetime

from somet.followup.operations import send_automatic_reminders, send_due_surveys


def follow_up_surveys(now: datetime) -> dict:
    return send_due_surveys(now)


def remind_unanswered_surveys(now: datetime) -> int:
    return send_automatic_reminders(now)
