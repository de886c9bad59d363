"""PURE: what a cohort about to start still lacks (the director's work queue).

Counts in, problems out (codes with their counts); the home page words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from somet.core.problems import Problem, problem
from somet.core.statuses import CohortStatus

STARTING_WITHIN = timedelta(days=30)
# Ready to start: scheduled (or already started by the nightly lifecycle).
READY_STATUSES = (CohortStatus.SCHEDULED, CohortStatus.ACTIVE)


@dataclass(frozen=True)
class CohortPreparation:
    status: CohortStatus
    doctors: int  # travelling (invited or confirmed)
    unconfirmed: int  # invited, participation not yet confirmed
    rotations: int  # curriculum items
    placed: int  # standing placements
    unsent: int  # proposed, not yet sent to the hosts
    unanswered: int  # sent, the host has not answered
    not_ready: int  # doctors whose travel documents are not all accepted and valid


def starting_window(today: date) -> tuple[date, date]:
    """The first and last start dates of cohorts 'starting soon'."""
    return today, today + STARTING_WITHIN


def still_lacking(facts: CohortPreparation) -> list[Problem]:
    """What stands between the cohort and its start, most basic first (empty: nothing)."""
    if facts.doctors == 0:
        return [problem("cohort_no_doctors")]
    if facts.rotations == 0:
        return [problem("cohort_no_rotations")]
    lacking = []
    if facts.placed == 0:
        lacking.append(problem("cohort_not_planned"))
    counted = (
        ("cohort_requests_unsent", facts.unsent),
        ("cohort_requests_unanswered", facts.unanswered),
        ("cohort_participation_unconfirmed", facts.unconfirmed),
        ("cohort_doctors_not_ready", facts.not_ready),
    )
    lacking += [problem(code, count=count) for code, count in counted if count]
    if not lacking and facts.status not in READY_STATUSES:
        lacking.append(problem("cohort_not_scheduled", status=facts.status))
    return lacking
