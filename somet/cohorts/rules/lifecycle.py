"""PURE: the cohort lifecycle and the guard on each transition (no Flask, no models)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from somet.core.problems import Problem, ProblemsFound, problem
from somet.core.statuses import PlacementStatus

DRAFT, PLANNING, SCHEDULED, ACTIVE, COMPLETED, ARCHIVED = (
    "draft",
    "planning",
    "scheduled",
    "active",
    "completed",
    "archived",
)

# Forward along the life of a cohort, plus the two ways back a director legitimately needs
# (re-plan a scheduled cohort; return a planning cohort to draft before anything is placed).
ALLOWED = {
    DRAFT: (PLANNING,),
    PLANNING: (DRAFT, SCHEDULED),
    SCHEDULED: (PLANNING, ACTIVE),
    ACTIVE: (COMPLETED,),
    COMPLETED: (ARCHIVED,),
    ARCHIVED: (),
}
# The life of a cohort in order: what "forward" means.
ORDER = (DRAFT, PLANNING, SCHEDULED, ACTIVE, COMPLETED, ARCHIVED)
# Going back undoes work others rely on, so the director must say why.
NEEDS_REASON = {(SCHEDULED, PLANNING), (PLANNING, DRAFT)}


@dataclass(frozen=True)
class CohortFacts:
    """What the guards look at, gathered by the service."""

    status: str
    start_date: date
    end_date: date
    today: date
    host_count: int = 0
    active_doctor_count: int = 0
    curriculum_count: int = 0
    readiness_problems: tuple[Problem, ...] = ()
    placements_by_status: dict[str, int] = field(default_factory=dict)
    uncertified_count: int = 0  # completed doctors without a valid certificate


def next_steps(status: str) -> tuple[str, ...]:
    """The statuses a cohort may move to from ``status``, forward steps first: the status
    control proposes the first, the way back stays a deliberate choice."""
    position = ORDER.index(status)
    return tuple(
        sorted(ALLOWED.get(status, ()), key=lambda t: (ORDER.index(t) < position, ORDER.index(t)))
    )


class TransitionRefused(ProblemsFound):
    """The transition is not allowed now; ``problems`` say why."""


def check_transition(facts: CohortFacts, target: str, reason: str = "") -> None:
    """Raise TransitionRefused with the problems unless ``target`` is allowed now."""
    if target not in ALLOWED.get(facts.status, ()):
        allowed = tuple(ALLOWED.get(facts.status, ()))
        raise TransitionRefused(
            problem(
                "cohort.transition_not_allowed", status=facts.status, target=target, allowed=allowed
            )
        )
    if (facts.status, target) in NEEDS_REASON and not reason.strip():
        raise TransitionRefused(problem("cohort.reason_needed", target=target))
    problems = _GUARDS.get(target, lambda _facts: [])(facts)
    if problems:
        raise TransitionRefused(*problems)


def _to_planning(facts: CohortFacts) -> list[Problem]:
    if facts.status == SCHEDULED:
        return []
    problems = []
    if facts.host_count == 0:
        problems.append(problem("cohort.no_host"))
    return problems


def _to_draft(facts: CohortFacts) -> list[Problem]:
    placed = sum(facts.placements_by_status.values())
    if placed:
        return [problem("cohort.has_placements", count=placed)]
    return []


def _to_scheduled(facts: CohortFacts) -> list[Problem]:
    problems = list(facts.readiness_problems)
    pending = sum(facts.placements_by_status.get(s, 0) for s in PlacementStatus.AWAITING)
    settled = sum(facts.placements_by_status.get(s, 0) for s in PlacementStatus.FIXED)
    if settled == 0:
        problems.append(problem("cohort.nothing_confirmed"))
    if pending:
        problems.append(problem("cohort.placements_pending", count=pending))
    return problems


def _to_active(facts: CohortFacts) -> list[Problem]:
    if facts.today < facts.start_date:
        return [problem("cohort.not_started", start=facts.start_date)]
    return []


def _to_completed(facts: CohortFacts) -> list[Problem]:
    if facts.today < facts.end_date:
        return [problem("cohort.not_ended", end=facts.end_date)]
    return []


def _to_archived(facts: CohortFacts) -> list[Problem]:
    # Archived means settled: no certificate is owed any more (the director's list of doctors
    # without one reads unsettled cohorts only).
    if facts.uncertified_count:
        return [problem("cohort.certificates_owed", count=facts.uncertified_count)]
    return []


_GUARDS = {
    PLANNING: _to_planning,
    DRAFT: _to_draft,
    SCHEDULED: _to_scheduled,
    ACTIVE: _to_active,
    COMPLETED: _to_completed,
    ARCHIVED: _to_archived,
}
