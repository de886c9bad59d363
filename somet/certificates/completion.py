"""Completion rules: is an enrollment complete, why not, and how many credit hours it earned.

Pure: frozen dataclasses in, a ``CompletionAssessment`` out; no Flask, no database.

An enrollment is complete when every required rotation has been completed with attendance at
or above the cohort's threshold (default 80 % of its days; exactly 80 % passes). A day whose
attendance was never recorded counts as not attended, and the assessment says so. Credit
hours = attended days x hours per day + hours of attended masterclasses.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"
ATTENDANCE_MARKS = frozenset({PRESENT, ABSENT, EXCUSED})
COMPLETED = "completed"
# Placements that never happened or were superseded by another block: a declined request is
# re-planned elsewhere, so these neither satisfy nor block a rotation.
INACTIVE_STATUSES = frozenset({"declined", "cancelled"})
ATTENDED = "attended"


class CompletionInputError(ValueError):
    """The rules were given data they cannot assess (negative days, unknown marks, ...)."""


def _decimal(value: Decimal | int | float | str) -> Decimal:
    # repr() first so that 7.1 becomes Decimal("7.1"), not its binary expansion.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


@dataclass(frozen=True)
class CompletionRules:
    """A cohort's completion settings."""

    threshold: Decimal = Decimal("0.8")
    hours_per_day: Decimal = Decimal("8")
    # Off by default: an excused day is still a day not spent in the department.
    excused_counts_toward_threshold: bool = False

    def __post_init__(self) -> None:
        threshold, hours = _decimal(self.threshold), _decimal(self.hours_per_day)
        if not Decimal(0) <= threshold <= Decimal(1):
            raise CompletionInputError(f"threshold must be between 0 and 1, not {threshold}")
        if hours < 0:
            raise CompletionInputError(f"hours per day cannot be negative: {hours}")
        object.__setattr__(self, "threshold", threshold)
        object.__setattr__(self, "hours_per_day", hours)


@dataclass(frozen=True)
class PlacementRecord:
    """One block of days of one rotation, with its attendance counted by mark."""

    rotation: str
    required: bool
    status: str
    days: int
    present: int = 0
    absent: int = 0
    excused: int = 0
    department: str = ""
    hospital: str = ""

    def __post_init__(self) -> None:
        if self.days < 1:
            raise CompletionInputError(f"{self.rotation}: a placement has at least one day")
        counts = (self.present, self.absent, self.excused)
        if min(counts) < 0 or sum(counts) > self.days:
            raise CompletionInputError(
                f"{self.rotation}: attendance {counts} does not fit in {self.days} days"
            )

    @classmethod
    def from_marks(
        cls, rotation: str, required: bool, status: str, marks: Sequence[str | None], **extra: str
    ) -> PlacementRecord:
        """Build a record from one mark per scheduled day (``None``: not recorded)."""
        unknown = {mark for mark in marks if mark is not None} - ATTENDANCE_MARKS
        if unknown:
            raise CompletionInputError(f"{rotation}: unknown attendance marks {sorted(unknown)}")
        return cls(
            rotation, required, status, days=len(marks), present=marks.count(PRESENT),
            absent=marks.count(ABSENT), excused=marks.count(EXCUSED), **extra,
        )

    @property
    def not_recorded(self) -> int:
        """Days with no attendance mark at all."""
        return self.days - self.present - self.absent - self.excused


@dataclass(frozen=True)
class MasterclassAttendance:
    """A masterclass registration and the credit hours it carries."""

    title: str
    hours: Decimal
    status: str = ATTENDED

    def __post_init__(self) -> None:
        hours = _decimal(self.hours)
        if hours < 0:
            raise CompletionInputError(f"{self.title}: hours cannot be negative")
        object.__setattr__(self, "hours", hours)

    @property
    def attended(self) -> bool:
        """Only an attended registration earns hours."""
        return self.status == ATTENDED


@dataclass(frozen=True)
class CompletionAssessment:
    """The verdict: complete or not, the blocking reasons in words, and the credit earned."""

    complete: bool
    reasons: tuple[str, ...]
    credit_hours: Decimal
    attended_days: int
    # Facts worth showing the director that do not block completion.
    notes: tuple[str, ...] = ()


def assess_enrollment(
    placements: Iterable[PlacementRecord],
    rules: CompletionRules | None = None,
    *,
    masterclasses: Iterable[MasterclassAttendance] = (),
    required_rotations: Iterable[str] = (),
    withdrawn: bool = False,
) -> CompletionAssessment:
    """Assess one enrollment; ``required_rotations`` names required items even if unplaced."""
    rules = rules or CompletionRules()
    placements = tuple(placements)
    reasons = ["Enrollment withdrawn"] if withdrawn else []
    notes: list[str] = []
    for rotation, blocks in _group_by_rotation(placements, required_rotations).items():
        required = rotation in set(required_rotations) or any(b.required for b in blocks)
        blocking, info = _assess_rotation(rotation, blocks, rules, required)
        reasons += blocking
        notes += info
    if not any(p.status == COMPLETED for p in placements):
        reasons.append("No rotation completed yet")
    attended_days = sum(p.present for p in placements)
    masterclass_hours = sum((m.hours for m in masterclasses if m.attended), Decimal(0))
    return CompletionAssessment(
        complete=not reasons,
        reasons=tuple(reasons),
        credit_hours=attended_days * rules.hours_per_day + masterclass_hours,
        attended_days=attended_days,
        notes=tuple(notes),
    )


def credit_hours(
    attended_days: int, rules: CompletionRules, masterclass_hours: Iterable[Decimal] = ()
) -> Decimal:
    """Credit hours = attended days x hours per day + attended masterclass hours."""
    return attended_days * rules.hours_per_day + sum(map(_decimal, masterclass_hours), Decimal(0))


def _group_by_rotation(
    placements: Sequence[PlacementRecord], required_rotations: Iterable[str]
) -> dict[str, list[PlacementRecord]]:
    # Required rotations first, in the curriculum's order, then the rest as placed.
    groups: dict[str, list[PlacementRecord]] = {name: [] for name in required_rotations}
    for placement in placements:
        groups.setdefault(placement.rotation, []).append(placement)
    return groups


def _assess_rotation(
    rotation: str, blocks: list[PlacementRecord], rules: CompletionRules, required: bool
) -> tuple[list[str], list[str]]:
    active = [b for b in blocks if b.status not in INACTIVE_STATUSES]
    if required and not active:
        return [f"{rotation}: required rotation not yet scheduled"], []
    if required and any(b.status != COMPLETED for b in active):
        return [f"{rotation}: required rotation not yet completed"], []
    done = [b for b in active if b.status == COMPLETED]
    missing = sum(b.not_recorded for b in done)
    missing_text = (
        f"{rotation}: attendance not recorded for {_days(missing)} (counted as not attended)"
    )
    if not done or not required or _meets_threshold(done, rules):
        return [], [missing_text] if missing else []
    return [_below_threshold_text(rotation, done, rules)] + ([missing_text] if missing else []), []


def _counted_days(blocks: Sequence[PlacementRecord], rules: CompletionRules) -> int:
    excused = sum(b.excused for b in blocks) if rules.excused_counts_toward_threshold else 0
    return sum(b.present for b in blocks) + excused


def _meets_threshold(blocks: Sequence[PlacementRecord], rules: CompletionRules) -> bool:
    # Exact rational arithmetic: 8 of 10 days against 0.8 must pass, never lose to rounding.
    days = sum(b.days for b in blocks)
    return Fraction(_counted_days(blocks, rules), days) >= Fraction(rules.threshold)


def _below_threshold_text(
    rotation: str, blocks: Sequence[PlacementRecord], rules: CompletionRules
) -> str:
    days, present = sum(b.days for b in blocks), sum(b.present for b in blocks)
    counted = _counted_days(blocks, rules)
    excused = f" and was excused {_days(counted - present)}" if counted > present else ""
    share = _percent(Fraction(counted, days))
    return (
        f"{rotation}: attended {present} of {_days(days)}{excused} ({share}), "
        f"below the {_percent(Fraction(rules.threshold))} threshold"
    )


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _percent(share: Fraction) -> str:
    # Round down so that 79.96 % reads "79.9 %", never a misleading "80 %" that failed.
    tenths = math.floor(share * 1000)
    whole, tenth = divmod(tenths, 10)
    return f"{whole} %" if tenth == 0 else f"{whole}.{tenth} %"
