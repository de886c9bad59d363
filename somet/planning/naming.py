"""The solver's problems with instance keys replaced by the names a director knows.

The solver speaks of ``enr-12``, ``item-3`` and ``dept-7``; pages word its problems from
codes (``somet.web.problem_texts``), so here only the parameters change: keys become names,
another cohort's held places become ``held_at`` the department, and a day the instance
closed only because other cohorts hold every place becomes ``planning.held_full``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from somet.core.localisation import PersonName, name_parts_of
from somet.core.problems import Problem
from somet.planning.instance import PlanningInstance
from somet.planning.rules.held_capacity import holder_department, is_holder

KEYED = ("doctor", "rotation", "department")  # parameters holding one instance key
KEY_LISTS = ("departments", "rotations")  # parameters holding several


@dataclass(frozen=True)
class Names:
    """Readable names of an instance's ids, taken before any commit expires the objects."""

    doctors: dict[str, PersonName]  # worded in the reader's name order at the edge
    rotations: dict[str, str]
    departments: dict[str, str]
    full_days: dict[str, set[date]] = field(default_factory=dict)  # see PlanningInstance

    def of(self, key: str) -> str | PersonName:
        for names in (self.doctors, self.rotations, self.departments):
            if key in names:
                return names[key]
        return key


def names_of(plan: PlanningInstance) -> Names:
    return Names(
        doctors={k: name_parts_of(e.doctor) for k, e in plan.enrollments.items()},
        rotations={k: item.name for k, item in plan.items.items()},
        departments={k: f"{d.name} ({d.hospital.name})" for k, d in plan.departments.items()},
        full_days=plan.full_days,
    )


def named(found: Problem, names: Names) -> Problem:
    """``found`` with keys replaced by names (nested problems and lists included)."""
    code = found.code
    department, day = found.params.get("department"), found.params.get("day")
    if isinstance(day, str):  # a problem read back from JSON
        day = date.fromisoformat(day)
    if code == "schedule.closed" and day in names.full_days.get(department, ()):
        code = "planning.held_full"  # open, but other cohorts hold all its places
    return Problem(code, _named_params(found.params, names))


def _named_params(params, names: Names) -> dict:
    return {key: _named_value(key, value, names) for key, value in params.items()}


def _named_value(key: str, value: Any, names: Names) -> Any:
    if isinstance(value, Problem):
        return named(value, names)
    if isinstance(value, dict):
        if is_holder(value.get("doctor") or ""):  # a rotation in a list: say whose places
            return {"held_at": names.of(holder_department(value["doctor"]))}
        return _named_params(value, names)
    if key in KEYED and isinstance(value, str):
        return names.of(holder_department(value) if is_holder(value) else value)
    if isinstance(value, tuple | list):
        return tuple(
            names.of(v) if key in KEY_LISTS and isinstance(v, str) else _named_value("", v, names)
            for v in value
        )
    return value
