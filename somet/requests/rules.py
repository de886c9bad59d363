"""PURE: may a host's answer to a request still be taken back?

No Flask, no SQLAlchemy: a status, the moment of the answer, the moment now and whether the
programme director has acted since, in; a refusal code (or None) out. The edge words it.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from somet.core.statuses import PlacementStatus

# Long enough to notice a wrong tap, short enough that nobody has planned on the answer yet.
UNDO_WINDOW = timedelta(minutes=10)
ANSWERS = (PlacementStatus.CONFIRMED, PlacementStatus.DECLINED)


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
