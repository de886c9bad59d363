"""PURE: the rehearsal clock of ``--as-of YYYY-MM-DD`` (jobs, the demo's hosts).

A rehearsal acts as of a later (or earlier) day, at 02:00 UTC: after the nightly jobs' usual
time (01:00, 01:30), so a day's run sees the day before as over. Production refuses it: there
the clock is the real one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

REHEARSAL_TIME = time(2, 0)


class RehearsalRefused(ValueError):
    """``str(error)`` is the one-line reason, for the command line."""


def rehearsal_moment(as_of: str, environment: str) -> datetime:
    """The moment ``--as-of as_of`` stands for; refused in production or for a malformed day."""
    if environment == "production":
        raise RehearsalRefused("--as-of is for rehearsals; it is refused in production.")
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise RehearsalRefused(f"--as-of {as_of!r} is not a day written YYYY-MM-DD.") from None
    return datetime.combine(day, REHEARSAL_TIME, UTC)
