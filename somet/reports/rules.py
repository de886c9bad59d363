"""The funder's report: what counts and how figures are worded as numbers (PURE).

Completion rate: of the doctors whose enrollment has been judged (completed, incomplete or
withdrawn), the share completed; doctors still invited or confirmed are not counted yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

JUDGED = ("completed", "incomplete", "withdrawn")
QUOTE_LIMIT = 12  # a report shows at most this many chosen quotes


@dataclass(frozen=True)
class Scope:
    """What the report covers: one sponsor's cohorts that ended in a period, or one cohort."""

    sponsor: str | None = None
    start: date | None = None
    end: date | None = None
    cohort_id: int | None = None


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage rounded to one decimal; None when nothing to share."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)


def completion_rate(counts: dict[str, int]) -> float | None:
    """The completion rate (percent) from enrollment counts by status."""
    judged = sum(counts.get(status, 0) for status in JUDGED)
    return share(counts.get("completed", 0), judged)


def period_problem(start: date | None, end: date | None) -> str | None:
    """A code when the period cannot be used: ``end_before_start``; None when fine."""
    if start and end and end < start:
        return "end_before_start"
    return None


def average(total: float | None, answers: int) -> float | None:
    """A mean rounded to two decimals (None without answers)."""
    if not answers or total is None:
        return None
    return round(total / answers, 2)
