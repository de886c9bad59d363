"""Generated placement instances of realistic shape, for benchmarks and property tests.

A season is cohorts of 20-30 doctors from several specialties, each cohort hosted by one
hospital for two to four weeks, with electives in related departments, late arrivals, a
masterclass day, closed days and declined requests: the shape of SOMET's real seasons. The
same seed always gives the same instance.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

# specialty -> related specialties where its electives are done
RELATED = {
    "neurosurgery": ["neurology", "anesthesiology", "icu", "radiology"],
    "general-surgery": ["anesthesiology", "icu", "emergency", "oncology"],
    "orthopedics": ["emergency", "radiology", "anesthesiology", "rehabilitation"],
    "cardiology": ["cardiac-surgery", "icu", "emergency", "radiology"],
    "cardiac-surgery": ["cardiology", "anesthesiology", "icu"],
    "anesthesiology": ["icu", "emergency", "cardiac-surgery", "general-surgery"],
    "pediatrics": ["neonatology", "emergency", "icu"],
    "oncology": ["radiology", "general-surgery", "neurology"],
}
DEPARTMENTS = sorted(set(RELATED) | {r for rs in RELATED.values() for r in rs})
HOSPITALS = ["rambam", "hadassah", "sheba"]
SEASON_START = date(2026, 3, 1)  # a Sunday; the week is Sunday to Thursday


def generate_season(
    doctors_wanted: int, hospitals: int, weeks: int, seed: str | int = 1, room: float = 1.0
) -> dict:
    """One instance: cohorts of 20-30 doctors, each hosted by one hospital for 2-4 weeks.

    ``room`` scales every department's capacity: 1.0 is the usual season (cores fill about
    65 % of their places), below 1 is tight (required rotations may no longer all fit).
    """
    rng = random.Random(seed)  # noqa: S311  (reproducible instances, not secrets)
    end = SEASON_START + timedelta(weeks=weeks, days=-3)  # ends on a Thursday
    doctors = []
    while len(doctors) < doctors_wanted:
        size = min(rng.randint(20, 30), doctors_wanted - len(doctors))
        doctors += _cohort(rng, len(doctors), size, hospitals, weeks, end)
    departments = _departments(rng, doctors, hospitals, weeks, end, room)
    _fit_cores(data_departments := departments, doctors)
    data = {
        "format": "somet-schedule/1",
        "start": SEASON_START.isoformat(),
        "end": end.isoformat(),
        "working_weekdays": [6, 0, 1, 2, 3],
        "departments": data_departments,
        "doctors": doctors,
        "forbidden": _declines(rng, doctors),
    }
    return data


def _cohort(rng, first_id: int, size: int, hospitals: int, weeks: int, end: date) -> list:
    host = rng.randrange(hospitals)
    length = min(weeks, rng.choice([2, 3, 4]) if weeks > 2 else 2)
    arrive = SEASON_START + timedelta(weeks=rng.randint(0, weeks - length))
    leave = min(end, arrive + timedelta(weeks=length, days=-3))
    # the whole cohort is away for a masterclass on its first or last day
    masterclass = rng.choice([arrive, leave])
    specialties = rng.sample(sorted(RELATED), k=rng.randint(4, 6))
    return [
        _doctor(rng, first_id + n, rng.choice(specialties), host, hospitals, arrive, leave,
                masterclass)
        for n in range(size)
    ]


def _doctor(rng, number, specialty, host, hospitals, arrive, leave, masterclass) -> dict:
    available_from, available_to = arrive, leave
    if rng.random() < 0.15:  # arrives late
        available_from += timedelta(days=1)
    elif rng.random() < 0.15:  # leaves early
        available_to -= timedelta(days=1)
    blocked = [masterclass.isoformat()] if masterclass <= leave else []
    if rng.random() < 0.1:  # a travel day or a national holiday of the doctor's own
        blocked.append((arrive + timedelta(days=rng.randint(0, 11))).isoformat())
    window = sum(1 for i in range((leave - arrive).days + 1)
                 if (arrive + timedelta(days=i)).weekday() in (6, 0, 1, 2, 3))
    other = (host + 1) % hospitals
    core_days = min(rng.choice([4, 5, 5, 6]), window - 4)
    core_options = {f"{HOSPITALS[host]}-{specialty}": 3}
    if hospitals > 1 and rng.random() < 0.3:
        core_options[f"{HOSPITALS[other]}-{specialty}"] = 1
    rotations = [{"id": "core", "required": True, "days": core_days, "options": core_options}]
    for n, elective in enumerate(rng.sample(RELATED[specialty], k=rng.randint(1, 3))):
        options = {f"{HOSPITALS[host]}-{elective}": rng.randint(0, 3)}
        if hospitals > 1 and rng.random() < 0.2:
            options[f"{HOSPITALS[other]}-{elective}"] = rng.randint(0, 2)
        rotations.append({"id": f"elective-{n + 1}", "days": rng.choice([2, 3, 3, 4]),
                          "weight": rng.randint(2, 6), "options": options})
    return {"id": f"kz-{number:04}", "available_from": available_from.isoformat(),
            "available_to": available_to.isoformat(), "blocked": blocked,
            "rotations": rotations}


def _departments(rng, doctors, hospitals, weeks, end, room: float) -> list:
    """Capacity sized from the expected load per day: cores fill about 65 % of their
    department's places, and electives ask for about half as much again as there is room."""
    closed = {}
    for hospital in HOSPITALS[:hospitals]:
        holiday = SEASON_START + timedelta(weeks=rng.randrange(weeks), days=rng.randint(0, 4))
        for specialty in DEPARTMENTS:
            days = {holiday}
            if rng.random() < 0.2:
                days.add(SEASON_START + timedelta(days=rng.randrange(weeks * 7)))
            closed[f"{hospital}-{specialty}"] = {d.isoformat() for d in days if d <= end}
    load = _expected_load(doctors, closed)
    return [
        {"id": dept_id, "closed": sorted(days),
         "capacity": max(1, math.ceil(room * (load.get(dept_id, (0, 0))[0] / 0.65
                                              + load.get(dept_id, (0, 0))[1] / 1.5)))}
        for dept_id, days in closed.items()
    ]


def _expected_load(doctors, closed) -> dict[str, tuple[float, float]]:
    """Per department, the busiest day's expected (core, elective) doctors, spreading each
    rotation evenly over the days its doctor could be there."""
    per_day: dict[tuple[str, str], list[float]] = {}
    for doctor in doctors:
        first = date.fromisoformat(doctor["available_from"])
        last = date.fromisoformat(doctor["available_to"])
        days = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
        days = [d for d in days if date.fromisoformat(d).weekday() in (6, 0, 1, 2, 3)
                and d not in doctor["blocked"]]
        for n, rotation in enumerate(doctor["rotations"]):
            for dept in rotation["options"]:
                usable = [d for d in days if d not in closed[dept]] or days
                share = rotation["days"] / len(usable) / len(rotation["options"])
                for day in usable:
                    per_day.setdefault((dept, day), [0.0, 0.0])[n > 0] += share
    load: dict[str, tuple[float, float]] = {}
    for (dept, _), (core, elective) in per_day.items():
        old = load.get(dept, (0.0, 0.0))
        load[dept] = (max(old[0], core), max(old[1], elective))
    return load


def _fit_cores(departments: list, doctors: list) -> None:
    """Shorten a core that no closed or blocked day lets fit in its first department (a
    director would do the same), so that every instance has a valid schedule."""
    closed = {d["id"]: set(d["closed"]) for d in departments}
    for doctor in doctors:
        core = doctor["rotations"][0]
        free = set(doctor["blocked"]) | closed[next(iter(core["options"]))]
        first = date.fromisoformat(doctor["available_from"])
        last = date.fromisoformat(doctor["available_to"])
        run = best = 0
        for i in range((last - first).days + 1):
            day = first + timedelta(days=i)
            if day.weekday() not in (6, 0, 1, 2, 3):
                continue
            run = 0 if day.isoformat() in free else run + 1
            best = max(best, run)
        core["days"] = max(1, min(core["days"], best - 1))


def _declines(rng, doctors) -> list:
    declines = []
    for doctor in doctors:
        for rotation in doctor["rotations"][1:]:
            options = list(rotation["options"])
            if (len(options) > 1 and rng.random() < 0.1) or rng.random() < 0.03:
                declines.append({"doctor": doctor["id"], "rotation": rotation["id"],
                                 "department": rng.choice(options)})
    return declines
