"""The solver's answer, shaped exactly like the contract's result JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from somet.scheduling.instance import FORMAT


@dataclass(frozen=True)
class Placement:
    doctor: str
    rotation: str
    department: str
    start: date
    end: date  # the last occupied working day

    def to_dict(self) -> dict:
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
    reason: str

    def to_dict(self) -> dict:
        return {"doctor": self.doctor, "rotation": self.rotation, "reason": self.reason}


@dataclass
class Result:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN
    score: int | None = None
    bound: int | None = None
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    seconds: float = 0.0  # wall time, for benchmarks; not part of the contract's JSON

    @property
    def found(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "status": self.status,
            "score": self.score,
            "bound": self.bound,
            "placements": [p.to_dict() for p in self.placements],
            "unplaced": [u.to_dict() for u in self.unplaced],
            "conflicts": list(self.conflicts),
        }
