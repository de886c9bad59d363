"""Placement-solver benchmark: our CP-SAT search against the plain time-indexed model.

Run: .venv/bin/python bench/scheduling.py [--quick]

Instances are generated from a fixed seed in a realistic shape: cohorts of visiting doctors of
mixed specialties, a required core rotation in their own specialty, weighted electives in
related ones, late arrivals and early departures, masterclass and travel days, closed days,
declines (forbidden) and confirmed placements (fixed), and tight department capacity.
Every result is validated by the independent checker; a violation fails the run.
"""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from somet.scheduling import load_instance
from somet.scheduling.instance import working_days

RELATED = {
    "general-surgery": ["anesthesiology", "icu", "radiology", "oncology"],
    "anesthesiology": ["icu", "general-surgery", "neurosurgery", "cardiology"],
    "neurosurgery": ["icu", "anesthesiology", "radiology"],
    "obgyn": ["neonatology", "anesthesiology", "pediatrics"],
    "cardiology": ["icu", "radiology", "anesthesiology"],
    "oncology": ["radiology", "general-surgery", "icu"],
    "pediatrics": ["neonatology", "icu", "radiology"],
    "icu": ["anesthesiology", "cardiology", "neurosurgery"],
    "radiology": ["oncology", "neurosurgery", "cardiology"],
    "neonatology": ["pediatrics", "obgyn", "icu"],
}
HOSPITALS = ["rambam", "sheba", "hadassah"]
SUN_THU, MON_FRI = [6, 0, 1, 2, 3], [0, 1, 2, 3, 4]


@dataclass(frozen=True)
class Size:
    name: str
    doctors: int
    weeks: int
    hospitals: int
    time_limit: float
    quick_limit: float
    weekdays: tuple[int, ...] = tuple(SUN_THU)


SIZES = [
    Size("cohort", 30, 2, 1, 2.0, 2.0),
    Size("cohorts", 60, 3, 1, 30.0, 5.0),
    Size("season", 200, 4, 2, 60.0, 10.0),
    Size("large", 500, 8, 3, 60.0, 15.0, tuple(MON_FRI)),
]


def generate(size: Size, seed: int = 1) -> dict:
    """A seeded instance dict of the given size."""
    rng = random.Random(f"{size.name}-{seed}")
    start = date(2026, 3, 1)
    while start.weekday() != size.weekdays[0]:
        start += timedelta(days=1)
    end = start + timedelta(weeks=size.weeks, days=-1)
    days = list(working_days(start, end, set(size.weekdays)))
    hospitals = HOSPITALS[: size.hospitals]
    departments = _departments(rng, hospitals, days)
    doctors = _doctors(rng, size, hospitals, days)
    instance = {"format": "somet-schedule/1", "start": start.isoformat(), "end": end.isoformat(),
                "working_weekdays": list(size.weekdays), "departments": departments,
                "doctors": doctors, "fixed": [], "forbidden": []}
    _tighten(instance, days)
    _declines_and_confirmations(rng, instance, days)
    return instance


def _departments(rng, hospitals, days) -> list[dict]:
    result = []
    for h in hospitals:
        holiday = rng.choice(days[2:-2])
        for specialty in RELATED:
            closed = {holiday} | {rng.choice(days) for _ in range(rng.choice([0, 0, 1, 2]))}
            result.append({"id": f"{h}-{specialty}", "capacity": 1,
                           "closed": sorted(d.isoformat() for d in closed)})
    return result


def _doctors(rng, size: Size, hospitals, days) -> list[dict]:
    doctors, cohorts = [], math.ceil(size.doctors / 30)
    per_week = len(days) // size.weeks
    for c in range(cohorts):
        weeks = min(size.weeks, rng.choice([2, 3, 4]))
        first = rng.randrange(size.weeks - weeks + 1) * per_week
        window = days[first: first + weeks * per_week]
        home = hospitals[c % len(hospitals)]
        away = hospitals[(c + 1) % len(hospitals)] if len(hospitals) > 1 else None
        specialties = rng.sample(sorted(RELATED), 4)
        curriculum = {s: _curriculum(rng, s, len(window), home, away) for s in specialties}
        masterclass = rng.choice(window[1:-1])
        count = min(30, size.doctors - len(doctors))
        for n in range(count):
            specialty = specialties[n % len(specialties)]
            doctors.append(_doctor(rng, f"c{c + 1:02d}-{n + 1:03d}", window, masterclass,
                                   curriculum[specialty]))
    return doctors


def _curriculum(rng, specialty, window_days, home, away) -> list[dict]:
    core_days = max(3, window_days * rng.choice([35, 40, 50]) // 100)
    core = {f"{home}-{specialty}": 3}
    if away:
        core[f"{away}-{specialty}"] = 1
    rotations = [{"id": "core", "required": True, "days": core_days, "options": core}]
    for n, other in enumerate(rng.sample(RELATED[specialty], 3)):
        options = {f"{home}-{other}": rng.choice([0, 1, 2, 3])}
        if away and rng.random() < 0.4:
            options[f"{away}-{other}"] = rng.choice([0, 1])
        rotations.append({"id": f"elective-{n + 1}", "days": rng.choice([2, 3, 3, 4, 5]),
                          "weight": rng.choice([2, 4, 6, 8, 10]), "options": options})
    return rotations


def _doctor(rng, doctor_id, window, masterclass, curriculum) -> dict:
    since, until = window[0], window[-1]
    if rng.random() < 0.12:
        since = window[rng.randint(1, 3)]
    if rng.random() < 0.12:
        until = window[-rng.randint(2, 4)]
    blocked = {masterclass}
    if rng.random() < 0.1:
        blocked.add(rng.choice(window))
    return {"id": doctor_id, "available_from": since.isoformat(),
            "available_to": until.isoformat(), "blocked": sorted(d.isoformat() for d in blocked),
            "rotations": [dict(r, options=dict(r["options"])) for r in curriculum]}


def _tighten(instance: dict, days) -> None:
    """Capacity near the peak demand, then raised until the required rotations fit greedily."""
    demand = {d["id"]: [0.0] * len(days) for d in instance["departments"]}
    index = {d: i for i, d in enumerate(days)}
    for doctor in instance["doctors"]:
        lo = index[date.fromisoformat(doctor["available_from"])]
        hi = index[date.fromisoformat(doctor["available_to"])]
        for rotation in doctor["rotations"]:
            share = 1.0 if rotation.get("required") else 0.45
            dept = max(rotation["options"], key=rotation["options"].get)
            for t in range(lo, hi + 1):
                demand[dept][t] += share * rotation["days"] / (hi - lo + 1)
    for dept in instance["departments"]:
        dept["capacity"] = max(1, math.ceil(0.8 * max(demand[dept["id"]])))
    while (short := _greedy_short(instance)) is not None:
        for dept in instance["departments"]:
            if dept["id"] == short:
                dept["capacity"] += 1


def _greedy_short(instance: dict) -> str | None:
    """The department that a greedy placement of required rotations runs out of, if any."""
    from somet.scheduling.greedy import empty_assignment, greedy_fill
    from somet.scheduling.space import build_space

    trial = dict(instance, doctors=[dict(d, rotations=[r for r in d["rotations"]
                                                       if r.get("required")])
                                    for d in instance["doctors"]])
    space = build_space(load_instance(trial))
    placed = greedy_fill(space, empty_assignment(space))
    for task in space.tasks:
        if placed[task.index] is None:
            return max(task.rotation.options, key=task.rotation.options.get)
    return None


def _declines_and_confirmations(rng, instance: dict, days) -> None:
    """Confirm a few greedy core placements (fixed) and decline a few options (forbidden)."""
    from somet.scheduling.greedy import greedy_fill
    from somet.scheduling.space import build_space

    space = build_space(load_instance(instance))
    placed = greedy_fill(space)
    for task in space.tasks:
        c = placed[task.index]
        if task.required and c is not None and rng.random() < 0.06:
            instance["fixed"].append({"doctor": task.doctor_id, "rotation": task.rotation.id,
                                      "department": space.department_ids[c[0]],
                                      "start": days[c[1]].isoformat()})
        elif not task.required and rng.random() < 0.08:
            dept = rng.choice(sorted(task.rotation.options))
            instance["forbidden"].append({"doctor": task.doctor_id,
                                          "rotation": task.rotation.id, "department": dept})
