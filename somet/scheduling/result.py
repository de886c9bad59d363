"""The solver's answer, shaped exactly like the contract's result JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from somet.core.problems import Problem
from somet.scheduling.instance import FORMAT
from somet.scheduling.wording import english


@dataclass(frozen=True)
class Placement:
    doctor: str
    rotation: str
    department: str
    start: date
    end: date  # the last occupied working day

    def to_dict(self, words: bool = True) -> dict:
        """The contract's result JSON; ``words=False`` keeps reasons as problems (code, params)
        for a reader that words them in its own language."""
        return {
            "doctor": self.doctor,
            "rotation": self.rotation,
            "department": self.department,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


@dataclass(frozen=True)
class Unplaced:
    doctor: str
    rotation: str
    reason: Problem

    def to_dict(self, words: bool = True) -> dict:
        reason = english(self.reason) if words else self.reason.to_json()
        return {"doctor": self.doctor, "rotation": self.rotation, "reason": reason}


@dataclass
class Result:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN
    score: int | None = None
    bound: int | None = None
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)
    seconds: float = 0.0  # wall time, for benchmarks; not part of the contract's JSON

    @property
    def found(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    def to_dict(self, words: bool = True) -> dict:
        """The contract's result JSON; ``words=False`` keeps reasons as problems (code, params)
        for a reader that words them in its own language."""
        return {
            "format": FORMAT,
            "status": self.status,
            "score": self.score,
            "bound": self.bound,
            "placements": [p.to_dict() for p in self.placements],
            "unplaced": [u.to_dict(words) for u in self.unplaced],
            "conflicts": [english(c) if words else c.to_json() for c in self.conflicts],
        }
