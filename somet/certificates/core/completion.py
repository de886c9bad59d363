"""Completion rules (PURE): is an enrollment complete, why not, and how many credit hours.

An enrollment is complete when every required rotation has completed placements whose
present days reach the cohort's threshold of the rotation's days. Days without a record are
not attended, and excused days are not present days. Credit hours = present days of completed
placements × hours per day + credit hours of attended masterclasses.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Protocol

from somet.core.decimals import exact

COMPLETED = "completed"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class PlacementRecord:
    """One placement of the enrollment, with its attendance counted: the days marked present,
    and the days with any mark (present, absent or excused)."""

    item_id: int
    status: str
    department: str
    hospital: str
    start: date
    end: date
    present_days: int = 0
    recorded_days: int = 0


class DaysPresent(Protocol):
    """What the credit hours read of a placement: a ``PlacementRecord``, or a reader's own
    record of these three alone."""

    @property
    def item_id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def present_days(self) -> int: ...


@dataclass(frozen=True)
class RotationRequirement:
    """A curriculum item: its days and whether it is required."""

    item_id: int
    name: str
    days: int
    required: bool


@dataclass(frozen=True)
class CompletionInput:
    enrollment_status: str
    threshold: float
    hours_per_day: float
    rotations: tuple[RotationRequirement, ...]
    placements: tuple[PlacementRecord, ...]
    masterclass_hours: tuple[float, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why an enrollment is incomplete: a code and its numbers (views word it)."""

    code: str  # withdrawn | not_completed | no_attendance | below_threshold
    rotation: str = ""
    present: int = 0
    needed: int = 0

    @property
    def text(self) -> str:
        return {
            "withdrawn": "Withdrew from the cohort.",
            "not_completed": f"{self.rotation}: no completed placement.",
            "no_attendance": f"{self.rotation}: no attendance recorded.",
            "below_threshold": (
                f"{self.rotation}: present {self.present} of the {self.needed} days needed."
            ),
        }[self.code]


@dataclass(frozen=True)
class RotationResult:
    item_id: int
    name: str
    required: bool
    placements: tuple[PlacementRecord, ...]
    present_days: int


@dataclass(frozen=True)
class Verdict:
    complete: bool
    reasons: tuple[Reason, ...]
    credit_hours: float
    rotations: tuple[RotationResult, ...]


@lru_cache(maxsize=1024)
def days_needed(days: int, threshold: float) -> int:
    """The fewest present days that reach ``threshold`` of ``days`` (exact, no float drift;
    remembered like ``exact``: every rotation of every enrollment judged asks it again)."""
    share = exact(threshold) * days
    return -(-share.numerator // share.denominator)  # ceiling


def judge_enrollment(data: CompletionInput) -> Verdict:
    """The verdict for one enrollment: complete or not, the reasons, and the credit hours."""
    results = tuple(_rotation_result(rotation, data.placements) for rotation in data.rotations)
    reasons: list[Reason] = []
    if data.enrollment_status == WITHDRAWN:
        reasons.append(Reason("withdrawn"))
    for rotation, result in zip(data.rotations, results, strict=True):
        if rotation.required:
            reasons.extend(_shortfall(rotation, result, data.threshold))
    rotation_ids = {rotation.item_id for rotation in data.rotations}
    return Verdict(
        complete=not reasons,
        reasons=tuple(reasons),
        credit_hours=credit_hours(
            data.hours_per_day, rotation_ids, data.placements, data.masterclass_hours
        ),
        rotations=results,
    )


def credit_hours(
    hours_per_day: float,
    rotation_ids: Collection[int],
    placements: Iterable[DaysPresent],
    masterclass_hours: Iterable[float] = (),
) -> float:
    """An enrollment's credit hours (its verdict's): the present days of its completed
    placements in the curriculum's rotations (``rotation_ids``) × the cohort's hours per day,
    plus the credit hours of its attended masterclasses."""
    present = sum(
        p.present_days for p in placements if p.status == COMPLETED and p.item_id in rotation_ids
    )
    hours = exact(hours_per_day) * present + sum((exact(h) for h in masterclass_hours), Fraction(0))
    return round(float(hours), 2)


def _rotation_result(
    rotation: RotationRequirement, placements: tuple[PlacementRecord, ...]
) -> RotationResult:
    done = tuple(p for p in placements if p.item_id == rotation.item_id and p.status == COMPLETED)
    return RotationResult(
        item_id=rotation.item_id,
        name=rotation.name,
        required=rotation.required,
        placements=done,
        present_days=sum(p.present_days for p in done),
    )


def _shortfall(rotation: RotationRequirement, result: RotationResult, threshold: float):
    if not result.placements:
        return [Reason("not_completed", rotation.name)]
    if not any(p.recorded_days for p in result.placements):
        return [Reason("no_attendance", rotation.name)]
    needed = days_needed(rotation.days, threshold)
    if result.present_days < needed:
        return [Reason("below_threshold", rotation.name, result.present_days, needed)]
    return []
