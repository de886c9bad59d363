"""An independent check of a schedule against the contract's hard rules, and its score.

It shares nothing with the solver but the Instance: it walks calendar dates, so a bug in the
model's day indexing cannot hide behind the same bug here. The planning screens use it to
refuse a manual edit with the reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from somet.core.problems import Problem, problem
from somet.scheduling.instance import Instance


def _field(placement: Any, name: str) -> Any:
    if isinstance(placement, dict):
        return placement.get(name)
    return getattr(placement, name, None)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def occupied_days(instance: Instance, start: date, days: int) -> list[date]:
    """The working days a block of ``days`` starting on ``start`` occupies (may be short)."""
    working = instance.working_days
    first = instance.day_index.get(start)
    return [] if first is None else list(working[first : first + days])


def check_schedule(instance: Instance, placements, complete: bool = True) -> list[Problem]:
    """Every broken rule as a problem; empty when the schedule is valid.

    With ``complete=False`` a missing required or fixed placement is not a fault (a schedule
    being built by hand); everything that is placed must still be right.
    """
    problems: list[Problem] = []
    placed: Counter = Counter()
    doctor_days: dict[tuple[str, date], list[str]] = defaultdict(list)
    dept_days: Counter = Counter()
    for n, placement in enumerate(placements, start=1):
        days = _check_one(instance, placement, n, problems)
        if days is None:
            continue
        doctor, rotation, dept = (
            _field(placement, k) for k in ("doctor", "rotation", "department")
        )
        placed[doctor, rotation] += 1
        for day in days:
            doctor_days[doctor, day].append(rotation)
            dept_days[dept, day] += 1
    problems += _count_faults(instance, placed, complete)
    problems += _overlap_faults(instance, doctor_days, dept_days)
    problems += _fixed_faults(instance, placements, complete)
    return problems


def _check_one(instance: Instance, placement: Any, n: int, problems: list[Problem]):
    """Rules 2 and 3 for one placement; returns its days, or None when it cannot be read."""
    doctor_id, rotation_id, dept_id = (
        _field(placement, k) for k in ("doctor", "rotation", "department")
    )
    start = _as_date(_field(placement, "start"))
    doctor = instance.doctor_by_id.get(doctor_id)
    rotation = doctor.rotation(rotation_id) if doctor else None
    dept = instance.department_by_id.get(dept_id)
    if doctor is None or rotation is None or dept is None or start is None:
        problems.append(problem("schedule.placement_unreadable", n=n, doctor=doctor_id,
                                rotation=rotation_id, department=dept_id, start=start))
        return None

    def fault(code: str, **facts) -> None:
        problems.append(problem(code, doctor=doctor_id, rotation=rotation_id,
                                department=dept_id, start=start, **facts))

    if rotation.points(dept_id) is None:
        fault("schedule.not_an_option")
    if (doctor_id, rotation_id, dept_id) in instance.forbidden:
        fault("schedule.forbidden")
    days = occupied_days(instance, start, rotation.days)
    if start not in instance.day_index:
        fault("schedule.not_working_day", day=start)
        return None
    if len(days) < rotation.days:
        fault("schedule.past_end", days=rotation.days, end=instance.end)
    for day in days:
        if not doctor.available_from <= day <= doctor.available_to:
            fault("schedule.unavailable", day=day)
        elif day in doctor.blocked:
            fault("schedule.blocked", day=day)
        if day in dept.closed:
            fault("schedule.closed", day=day)
    return days


def _count_faults(instance: Instance, placed: Counter, complete: bool) -> list[Problem]:
    problems = []
    for doctor in instance.doctors:
        for rotation in doctor.rotations:
            count = placed[doctor.id, rotation.id]
            if count > 1:
                problems.append(problem("schedule.placed_twice", doctor=doctor.id,
                                        rotation=rotation.id, count=count))
            elif complete and rotation.required and count == 0:
                problems.append(problem("schedule.required_missing", doctor=doctor.id,
                                        rotation=rotation.id))
    return problems


def _overlap_faults(instance: Instance, doctor_days: dict, dept_days: Counter) -> list[Problem]:
    problems = []
    for (doctor_id, day), rotations in sorted(doctor_days.items()):
        if len(rotations) > 1:
            problems.append(problem("schedule.doctor_overlap", doctor=doctor_id,
                                    count=len(rotations), day=day, rotations=tuple(rotations)))
    for (dept_id, day), count in sorted(dept_days.items()):
        capacity = instance.department_by_id[dept_id].capacity
        if count > capacity:
            problems.append(problem("schedule.over_capacity", department=dept_id, count=count,
                                    day=day, capacity=capacity))
    return problems


def _fixed_faults(instance: Instance, placements, complete: bool) -> list[Problem]:
    given = {
        (_field(p, "doctor"), _field(p, "rotation")): (
            _field(p, "department"), _as_date(_field(p, "start"))
        )
        for p in placements
    }
    problems = []
    for fixed in instance.fixed:
        found = given.get((fixed.doctor, fixed.rotation))
        if found is None and not complete:
            continue
        if found != (fixed.department, fixed.start):
            problems.append(problem("schedule.fixed_not_kept", doctor=fixed.doctor,
                                    rotation=fixed.rotation, department=fixed.department,
                                    start=fixed.start))
    return problems


def score_schedule(instance: Instance, placements) -> int:
    """Σ over placements of (weight + the department's preference points)."""
    total = 0
    for p in placements:
        doctor = instance.doctor_by_id[_field(p, "doctor")]
        rotation = doctor.rotation(_field(p, "rotation"))
        total += rotation.weight + (rotation.points(_field(p, "department")) or 0)
    return total
