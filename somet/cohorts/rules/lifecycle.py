"""PURE: the cohort lifecycle and the guard on each transition (no Flask, no models)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
    readiness_problems: tuple[str, ...] = ()
    placements_by_status: dict[str, int] = field(default_factory=dict)


class TransitionRefused(Exception):
    """The transition is not allowed now; ``str(error)`` says why."""


def check_transition(facts: CohortFacts, target: str, reason: str = "") -> None:
    """Raise TransitionRefused with the reason in words unless ``target`` is allowed now."""
    if target not in ALLOWED.get(facts.status, ()):
        allowed = ", ".join(ALLOWED.get(facts.status, ())) or "nothing"
        raise TransitionRefused(
            f"A {facts.status} cohort cannot become {target} (it can become: {allowed})."
        )
    if (facts.status, target) in NEEDS_REASON and not reason.strip():
        raise TransitionRefused(f"Say why the cohort goes back to {target}.")
    problems = _GUARDS.get(target, lambda _facts: [])(facts)
    if problems:
        raise TransitionRefused(" ".join(problems))


def _to_planning(facts: CohortFacts) -> list[str]:
    if facts.status == SCHEDULED:
        return []
    problems = []
    if facts.host_count == 0:
        problems.append("Choose at least one host hospital first.")
    return problems


def _to_draft(facts: CohortFacts) -> list[str]:
    placed = sum(facts.placements_by_status.values())
    if placed:
        return [f"The cohort already has {placed} placement(s); cancel them before going back."]
    return []


def _to_scheduled(facts: CohortFacts) -> list[str]:
    problems = list(facts.readiness_problems)
    pending = sum(facts.placements_by_status.get(s, 0) for s in PlacementStatus.AWAITING)
    settled = sum(facts.placements_by_status.get(s, 0) for s in PlacementStatus.FIXED)
    if settled == 0:
        problems.append("No placement is confirmed yet.")
    if pending:
        problems.append(f"{pending} placement(s) still wait for a request or a host's answer.")
    return problems


def _to_active(facts: CohortFacts) -> list[str]:
    if facts.today < facts.start_date:
        return [f"The cohort starts on {facts.start_date.isoformat()}; it cannot be active yet."]
    return []


def _to_completed(facts: CohortFacts) -> list[str]:
    if facts.today < facts.end_date:
        return [f"The cohort ends on {facts.end_date.isoformat()}; it cannot be completed yet."]
    return []


_GUARDS = {
    PLANNING: _to_planning,
    DRAFT: _to_draft,
    SCHEDULED: _to_scheduled,
    ACTIVE: _to_active,
    COMPLETED: _to_completed,
}
