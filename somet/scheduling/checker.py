"""An independent validator: checks a result against an instance, rule by rule.

Written apart from the model on purpose: it re-derives working days and occupancy from the
instance itself, so a bug in the model's bookkeeping cannot hide here as well.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, timedelta

from .instance import Instance

STATUSES = {"OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"}


def check_result(instance: Instance, result) -> list[str]:
    """Every broken rule of a result (contract dict or Result), in words; empty when valid."""
    data = result if isinstance(result, Mapping) else _as_dict(result)
    status = str(data.get("status"))
    if status not in STATUSES:
        return [f"unknown status {status!r}"]
    if status not in ("OPTIMAL", "FEASIBLE"):
        return [] if not data.get("placements") else [f"{status} result lists placements"]
    calendar = _calendar(instance)
    rows, problems = [], []
    for n, p in enumerate(data.get("placements", [])):
        row = _placement(instance, calendar, p, f"placement {n + 1}", problems)
        if row is not None:
            rows.append(row)
    problems += _counts(instance, rows, data.get("unplaced", []))
    problems += _overlaps(instance, rows)
    problems += _fixed(instance, rows)
    problems += _score(data, rows, status)
    return problems


def _as_dict(result) -> dict:
    return {
        "status": str(result.status), "score": result.score, "bound": result.bound,
        "placements": [{"doctor": p.doctor, "rotation": p.rotation, "department": p.department,
                        "start": str(p.start), "end": str(p.end)} for p in result.placements],
        "unplaced": [{"doctor": u.doctor, "rotation": u.rotation} for u in result.unplaced],
    }


def _calendar(instance: Instance) -> list[date]:
    days, day = [], instance.start
    while day <= instance.end:
        if day.weekday() in instance.working_weekdays:
            days.append(day)
        day = day + timedelta(days=1)
    return days


def _placement(instance, calendar, p, label, problems):
    """Check rules 2 and 3 for one placement; return (doctor, rotation, dept, days, value)."""
    doctor = next((d for d in instance.doctors if d.id == p.get("doctor")), None)
    rotation = doctor and next((r for r in doctor.rotations if r.id == p.get("rotation")), None)
    dept = next((d for d in instance.departments if d.id == p.get("department")), None)
    if doctor is None or rotation is None or dept is None:
        problems.append(f"{label} names an unknown doctor, rotation or department: {dict(p)}")
        return None
    name = f"{doctor.id} {rotation.id}"
    start = date.fromisoformat(str(p.get("start")))
    if start not in calendar:
        problems.append(f"{name} starts on {start}, not a working day")
        return None
    first = calendar.index(start)
    days = calendar[first: first + rotation.days]
    if len(days) < rotation.days:
        problems.append(f"{name} runs past the end of the period")
    elif str(p.get("end")) != days[-1].isoformat():
        problems.append(f"{name} ends on {p.get('end')}, but its last working day is {days[-1]}")
    if dept.id not in rotation.options:
        problems.append(f"{name} is in {dept.id}, which is not one of its options")
    if any(f.doctor == doctor.id and f.rotation == rotation.id and f.department == dept.id
           for f in instance.forbidden):
        problems.append(f"{name} is in {dept.id}, which is forbidden for it")
    for day in days:
        if not doctor.available_from <= day <= doctor.available_to:
            problems.append(f"{name} occupies {day}, outside the doctor's availability")
        if day in doctor.blocked:
            problems.append(f"{name} occupies {day}, a blocked day of the doctor")
        if day in dept.closed:
            problems.append(f"{name} occupies {day}, when {dept.id} is closed")
    value = rotation.weight + rotation.options.get(dept.id, 0)
    return doctor.id, rotation.id, dept.id, start, days, value


def _counts(instance, rows, unplaced) -> list[str]:
    """Rule 1, and the unplaced list agreeing with what was left out."""
    problems, placed = [], Counter((r[0], r[1]) for r in rows)
    listed = {(u.get("doctor"), u.get("rotation")) for u in unplaced}
    for doctor in instance.doctors:
        for rotation in doctor.rotations:
            times, key = placed[doctor.id, rotation.id], (doctor.id, rotation.id)
            if rotation.required and times != 1:
                problems.append(f"required {doctor.id} {rotation.id} is placed {times} times")
            elif times > 1:
                problems.append(f"{doctor.id} {rotation.id} is placed {times} times")
            if times == 0 and not rotation.required and key not in listed:
                problems.append(f"{doctor.id} {rotation.id} is neither placed nor unplaced")
            if times and key in listed:
                problems.append(f"{doctor.id} {rotation.id} is both placed and unplaced")
    return problems


def _overlaps(instance, rows) -> list[str]:
    """Rules 4 and 5: one placement per doctor per day, capacity per department per day."""
    problems = []
    per_doctor, per_dept = defaultdict(int), defaultdict(int)
    for doctor, _, dept, _, days, _ in rows:
        for day in days:
            per_doctor[doctor, day] += 1
            per_dept[dept, day] += 1
    for (doctor, day), n in sorted(per_doctor.items()):
        if n > 1:
            problems.append(f"{doctor} is in {n} placements on {day}")
    capacity = {d.id: d.capacity for d in instance.departments}
    for (dept, day), n in sorted(per_dept.items()):
        if n > capacity[dept]:
            problems.append(f"{dept} hosts {n} doctors on {day}, capacity {capacity[dept]}")
    return problems


def _fixed(instance, rows) -> list[str]:
    """Rule 6: every fixed placement appears exactly as given."""
    present = {(r[0], r[1], r[2], r[3]) for r in rows}
    return [f"fixed {f.doctor} {f.rotation} in {f.department} from {f.start} is missing"
            for f in instance.fixed
            if (f.doctor, f.rotation, f.department, f.start) not in present]


def _score(data, rows, status) -> list[str]:
    problems, score = [], sum(r[5] for r in rows)
    if data.get("score") != score:
        problems.append(f"reported score {data.get('score')} but the placements score {score}")
    bound = data.get("bound")
    if bound is not None and bound < score:
        problems.append(f"bound {bound} is below the score {score}")
    if status == "OPTIMAL" and bound != score:
        problems.append(f"OPTIMAL with bound {bound} different from score {score}")
    return problems
