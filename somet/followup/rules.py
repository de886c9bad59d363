"""PURE: when a follow-up survey is due, which one a run sends, and when to remind.

A survey is due ``months`` months after the cohort's end, by calendar months: the same day of
the month, or the month's last day where it has no such day (31 August + 6 months is
28 February, or the 29th in a leap year).

Catching up: a daily run sends, for each doctor, the survey of the *latest* offset already
due, and only while it is at most ``CATCH_UP_DAYS`` late. A run that missed days still sends
yesterday's survey today; when the job was down so long that a later offset also came due,
only that later one is sent (one survey at a time, about the time that has passed; the earlier
one would ask about a period already over). A survey far overdue (a cohort that ended years
before the feature came) is never sent, so installing it does not mail every alumnus.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from somet.core.statuses import EnrollmentStatus

# Who is asked: the doctors who came and trained. An incomplete enrollment (attendance under
# the threshold) is asked too: the sponsor paid for that doctor's training as well, and
# leaving them out would make the outcomes look better than they are. Withdrawn, invited and
# confirmed-but-never-settled enrollments are not asked.
ASKED_STATUSES = (EnrollmentStatus.COMPLETED, EnrollmentStatus.INCOMPLETE)
CATCH_UP_DAYS = 30
REMINDER_DAYS = (7, 21)  # after the survey was sent, to those who have not answered


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def due_on(end_date: date, months: int) -> date:
    """The day the ``months``-month survey of a cohort that ended on ``end_date`` is due."""
    return add_months(end_date, months)


def survey_to_send(
    end_date: date, offsets: Iterable[int], today: date, sent: Iterable[int] = ()
) -> int | None:
    """The offset (months) whose survey a run on ``today`` sends, or None.

    ``sent``: the offsets this doctor was already sent. The latest offset due by ``today``,
    unless it (or a later one) was sent, or it is more than ``CATCH_UP_DAYS`` late.
    """
    due = [m for m in sorted(set(offsets)) if due_on(end_date, m) <= today]
    if not due:
        return None
    latest = due[-1]
    if any(m >= latest for m in sent):
        return None
    if today - due_on(end_date, latest) > timedelta(days=CATCH_UP_DAYS):
        return None
    return latest


def earliest_end_still_due(offsets: Iterable[int], today: date) -> date:
    """Cohorts that ended before this day have nothing left to send (for the job's query)."""
    longest = max(offsets)
    return add_months(today - timedelta(days=CATCH_UP_DAYS), -longest)


def reminder_stage(sent_at: datetime, now: datetime) -> str | None:
    """The latest reminder due for a survey sent at ``sent_at`` ("7d", "21d") or None."""
    stage = None
    for days in REMINDER_DAYS:
        if now - sent_at >= timedelta(days=days):
            stage = f"{days}d"
    return stage


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent (rounded), None when there is no whole."""
    if not whole:
        return None
    return round(100 * part / whole)
