"""PURE: an enrollment's life, ``invited -> confirmed -> completed | incomplete``, and
``withdrawn`` from any open state (no Flask, no models).

Refusals are problems (codes with parameters); the edge words them.
"""

from __future__ import annotations

from somet.core.problems import ProblemsFound, problem
from somet.core.statuses import EnrollmentStatus

INVITED, CONFIRMED, COMPLETED, INCOMPLETE, WITHDRAWN = (
    EnrollmentStatus.INVITED.value,
    EnrollmentStatus.CONFIRMED.value,
    EnrollmentStatus.COMPLETED.value,
    EnrollmentStatus.INCOMPLETE.value,
    EnrollmentStatus.WITHDRAWN.value,
)
# Still running: the doctor may confirm (if invited) or withdraw.
OPEN = (INVITED, CONFIRMED)
# What the lifecycle judges once the cohort has ended. An incomplete one is judged again while
# the cohort is not archived: attendance a host records late may still complete it.
JUDGED = (INVITED, CONFIRMED, INCOMPLETE)


class ParticipationRefused(ProblemsFound):
    """The enrollment cannot make this step; ``problems`` say why."""


def check_confirmation(status: str) -> None:
    """Raise unless an enrollment in ``status`` may be confirmed (only an invited one)."""
    if status == CONFIRMED:
        raise ParticipationRefused(problem("enrollment.already_confirmed"))
    if status != INVITED:
        raise ParticipationRefused(problem("enrollment.not_open", status=status))


def check_withdrawal(status: str) -> None:
    """Raise unless an enrollment in ``status`` may be withdrawn (only an open one)."""
    if status == WITHDRAWN:
        raise ParticipationRefused(problem("enrollment.already_withdrawn"))
    if status not in OPEN:
        raise ParticipationRefused(problem("enrollment.not_open", status=status))


def settled_status(status: str, complete: bool) -> str | None:
    """The status the lifecycle writes after the cohort's end, or None to leave it as it is."""
    if status not in JUDGED:
        return None
    target = COMPLETED if complete else INCOMPLETE
    return None if target == status else target
