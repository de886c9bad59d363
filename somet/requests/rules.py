"""PURE: the rules of a request's life after it is sent: when an unanswered request is due a
reminder (the hosts' 48 h and 5 day rules), and whether a host's answer may still be taken back.

No Flask, no SQLAlchemy: statuses and moments in; a stage or a refusal code (or None) out. The
hourly reminder (``tasks``), the home pages' work queues and the undo operation all ask here,
so each rule is written once; the edge words the codes.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from somet.core.statuses import PlacementStatus

FIRST_REMINDER = timedelta(hours=48)  # coordinators are reminded
SECOND_REMINDER = timedelta(days=5)  # again, and the cohort's director is told
FIRST_STAGE, SECOND_STAGE = "48h", "5d"

# Long enough to notice a wrong tap, short enough that nobody has planned on the answer yet.
UNDO_WINDOW = timedelta(minutes=10)
ANSWERS = (PlacementStatus.CONFIRMED, PlacementStatus.DECLINED)


def reminder_stage(requested_at: datetime | None, now: datetime) -> str | None:
    """The reminder a request sent at ``requested_at`` has reached by ``now``: 48h, 5d or None."""
    if requested_at is None:
        return None
    if requested_at <= now - SECOND_REMINDER:
        return SECOND_STAGE
    if requested_at <= now - FIRST_REMINDER:
        return FIRST_STAGE
    return None


class UndoRefusal(enum.StrEnum):
    NOT_ANSWERED = "not_answered"  # still requested, or moved/cancelled/completed since
    WINDOW_CLOSED = "window_closed"  # more than UNDO_WINDOW after the answer
    DIRECTOR_ACTED = "director_acted"  # the director re-planned, moved or re-sent since


def undo_deadline(decided_at: datetime) -> datetime:
    """The last moment an answer given at ``decided_at`` can be undone."""
    return decided_at + UNDO_WINDOW


def undo_refusal(
    status: PlacementStatus,
    decided_at: datetime | None,
    now: datetime,
    *,
    director_acted: bool = False,
) -> UndoRefusal | None:
    """Why the answer cannot be undone, or None when it can."""
    if status not in ANSWERS or decided_at is None:
        return UndoRefusal.NOT_ANSWERED
    if now > undo_deadline(decided_at):
        return UndoRefusal.WINDOW_CLOSED
    if director_acted:
        return UndoRefusal.DIRECTOR_ACTED
    return None


def undoable(status: PlacementStatus, decided_at: datetime | None, now: datetime) -> bool:
    """Whether a page should offer Undo (the operation checks again, with the director)."""
    return undo_refusal(status, decided_at, now) is None
