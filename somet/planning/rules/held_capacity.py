"""Capacity already held by other cohorts, expressed in the somet-schedule/1 contract. PURE.

The contract gives a department one ``capacity`` for every day, but other cohorts' requested
and confirmed placements use a different number of places on each day. Rather than extend
the contract with a per-day field, the instance is *expanded*:

- a day on which the held places reach the capacity becomes a ``closed`` day of the department;
- on the other days, the k-th held place is a "holder" pseudo-doctor (id ``held-<dept>-<k>``)
  whose rotations are ``fixed`` at the department on exactly the days where at least k places
  are held. Each maximal run of consecutive working days is one rotation, so the holders use
  ``used[day]`` places on every day and the solver sees ``capacity - used[day]`` free places.

Holders carry weight 0 and preference 0, so they add nothing to the score; their placements
are dropped from the result. Functions here take and return plain data (no Flask, no models).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

HOLDER_PREFIX = "held-"


@dataclass(frozen=True)
class HeldBlock:
    """One place of a department taken from ``start`` to ``end`` (another cohort's placement)."""

    department: str
    start: date
    end: date


def block_end(days: list[date], start: date, length: int) -> date | None:
    """The last of ``length`` consecutive working ``days`` from ``start`` (None if it overruns)."""
    if start not in days:
        return None
    index = days.index(start) + length - 1
    return days[index] if index < len(days) else None


def held_use(blocks: Iterable[HeldBlock], days: list[date]) -> dict[str, dict[date, int]]:
    """Places held per department and working day."""
    use: dict[str, dict[date, int]] = {}
    for block in blocks:
        per_day = use.setdefault(block.department, {})
        for day in days:
            if block.start <= day <= block.end:
                per_day[day] = per_day.get(day, 0) + 1
    return use


def full_days(use: dict[date, int], capacity: int) -> list[date]:
    """The days on which the held places leave no room at all (become closed days)."""
    return sorted(day for day, places in use.items() if places >= capacity)


def holder_doctors(
    department: str, use: dict[date, int], closed: set[date], days: list[date]
) -> tuple[list[dict], list[dict]]:
    """Holder pseudo-doctors and their fixed placements for one department (see module doc)."""
    open_use = {day: n for day, n in use.items() if day not in closed}
    doctors, fixed = [], []
    for k in range(1, max(open_use.values(), default=0) + 1):
        runs = _runs([day for day in days if open_use.get(day, 0) >= k], days)
        if not runs:
            continue
        doctor_id = f"{HOLDER_PREFIX}{department}-{k}"
        rotations = []
        for n, run in enumerate(runs, start=1):
            rotation = f"run-{n}"
            rotations.append(
                {"id": rotation, "required": True, "days": len(run), "options": {department: 0}}
            )
            fixed.append(
                {
                    "doctor": doctor_id,
                    "rotation": rotation,
                    "department": department,
                    "start": run[0].isoformat(),
                }
            )
        doctors.append({"id": doctor_id, "rotations": rotations})
    return doctors, fixed


def _runs(occupied: list[date], days: list[date]) -> list[list[date]]:
    """Split ``occupied`` days into runs that are consecutive in the ``days`` list."""
    position = {day: i for i, day in enumerate(days)}
    runs: list[list[date]] = []
    for day in occupied:
        if runs and position[day] == position[runs[-1][-1]] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def is_holder(doctor_id: str) -> bool:
    return doctor_id.startswith(HOLDER_PREFIX)


def holder_department(doctor_id: str) -> str:
    """The department whose places a holder (``held-<department>-<k>``) stands for."""
    return doctor_id.removeprefix(HOLDER_PREFIX).rsplit("-", 1)[0]
