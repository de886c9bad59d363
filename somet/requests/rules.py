"""PURE: when an unanswered request is due a reminder (the hosts' 48 h and 5 day rules).

The hourly reminder (``tasks``) and the work queues on the home pages both ask here, so the
rule is written once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_REMINDER = timedelta(hours=48)  # coordinators are reminded
SECOND_REMINDER = timedelta(days=5)  # again, and the cohort's director is told
FIRST_STAGE, SECOND_STAGE = "48h", "5d"


def reminder_stage(requested_at: datetime | None, now: datetime) -> str | None:
    """The reminder a request sent at ``requested_at`` has reached by ``now``: 48h, 5d or None."""
    if requested_at is None:
        return None
    if requested_at <= now - SECOND_REMINDER:
        return SECOND_STAGE
    if requested_at <= now - FIRST_REMINDER:
        return FIRST_STAGE
    return None
