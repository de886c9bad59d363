"""Property tests: random small instances, every result checked, tiny ones against brute force."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somet.scheduling import check_schedule, load_instance, score_schedule, solve
from somet.scheduling.checker import occupied_days

START = date(2026, 3, 1)  # a Sunday


def _day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


@st.composite
def instances(draw, max_doctors=3, max_rotations=2, max_days=10):
    length = draw(st.integers(3, max_days))
    days = st.integers(0, length - 1)
    departments = [
        {"id": f"d{k}", "capacity": draw(st.sampled_from([0, 1, 1, 2, 2])),
         "closed": [_day(n) for n in draw(st.sets(days, max_size=2))]}
        for k in range(draw(st.integers(1, 2)))
    ]
    doctors = [_doctor(draw, n, length, departments, max_rotations)
               for n in range(draw(st.integers(1, max_doctors)))]
    data = {
        "format": "somet-schedule/1", "start": _day(0), "end": _day(length - 1),
        "working_weekdays": sorted(draw(st.sets(st.integers(0, 6), min_size=3))),
        "departments": departments, "doctors": doctors,
    }
    triples = [(d["id"], r["id"], k) for d in doctors for r in d["rotations"] for k in r["options"]]
    chosen = draw(st.sets(st.sampled_from(triples), max_size=2)) if triples else set()
    data["forbidden"] = [{"doctor": a, "rotation": b, "department": c} for a, b, c in chosen]
    if triples and draw(st.sampled_from([True, False, False, False])):
        a, b, c = draw(st.sampled_from(triples))
        working = [n for n in range(length)
                   if (START + timedelta(days=n)).weekday() in data["working_weekdays"]]
        start = _day(draw(st.sampled_from(working))) if working else _day(0)
        data["fixed"] = [{"doctor": a, "rotation": b, "department": c, "start": start}]
    return data


def _doctor(draw, n, length, departments, max_rotations) -> dict:
    days = st.integers(0, length - 1)
    first, last = sorted((draw(days), draw(days)))
    if draw(st.booleans()):  # half the doctors are there all along
        first, last = 0, length - 1
    ids = [d["id"] for d in departments]
    rotations = [
        {"id": f"r{j}", "days": draw(st.sampled_from([1, 2, 2, 3])),
         "required": draw(st.sampled_from([True, False, False])),
         "weight": draw(st.integers(0, 3)),
         "options": {k: draw(st.integers(0, 3))
                     for k in draw(st.sets(st.sampled_from(ids), min_size=1))}}
        for j in range(draw(st.integers(1, max_rotations)))
    ]
    return {"id": f"kz-{n}", "available_from": _day(first), "available_to": _day(last),
            "blocked": [_day(b) for b in draw(st.sets(days, max_size=2))],
            "rotations": rotations}


def brute_force_best(instance) -> int | None:
    """The best score over every combination of placements (None: no valid one)."""
    choices = []
    for doctor in instance.doctors:
        for rotation in doctor.rotations:
            options = [
                {"doctor": doctor.id, "rotation": rotation.id, "department": dept, "start": day}
                for dept, _ in rotation.options for day in instance.working_days
                if len(occupied_days(instance, day, rotation.days)) == rotation.days
            ]
            choices.append([*options, None])
    best = None

    def walk(i: int, chosen: list) -> None:
        nonlocal best
        # prune as soon as what is chosen so far already breaks a rule
        if check_schedule(instance, chosen, complete=False):
            return
        if i == len(choices):
            if not check_schedule(instance, chosen):
                score = score_schedule(instance, chosen)
                best = score if best is None else max(best, score)
            return
        for option in choices[i]:
            walk(i + 1, chosen if option is None else [*chosen, option])

    walk(0, [])
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_schedule_found_passes_the_independent_checker(data):
    instance = load_instance(data)
    result = solve(instance, time_limit=5)
    assert result.status in ("OPTIMAL", "INFEASIBLE")  # tiny: always decided
    if result.status == "OPTIMAL":
        assert check_schedule(instance, result.placements) == []
        assert result.score == score_schedule(instance, result.placements) == result.bound
        forbidden = {(p.doctor, p.rotation, p.department) for p in result.placements}
        assert not forbidden & instance.forbidden
        placed = {(p.doctor, p.rotation) for p in result.placements}
        assert {(u.doctor, u.rotation) for u in result.unplaced}.isdisjoint(placed)
    else:
        assert result.conflicts and result.placements == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_doctors=2, max_rotations=2, max_days=7))
def test_on_tiny_instances_the_optimum_equals_brute_force(data):
    instance = load_instance(data)
    result = solve(instance, time_limit=5)
    best = brute_force_best(instance)
    if best is None:
        assert result.status == "INFEASIBLE"
    else:
        assert (result.status, result.score) == ("OPTIMAL", best)
