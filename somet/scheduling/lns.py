"""Large-neighbourhood search: keep most of a schedule, re-solve a slice of it exactly.

CP-SAT on the whole season proves a good bound but, on 2 cores, improves the schedule
slowly; a slice of a few hundred rotations (the doctors of some departments, or of a few
weeks) it solves to optimality in a fraction of a second. Each better slice is kept, so the
schedule only improves.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from somet.scheduling.greedy import Occupancy
from somet.scheduling.instance import Instance
from somet.scheduling.model import Choice, ScheduleModel
from somet.scheduling.space import Task


def improve(instance: Instance, tasks: list[Task], ids: list[int], choices: dict[int, Choice],
            deadline: float, workers: int, seed: int, bound: int | None = None):
    """A schedule at least as good as ``choices``, by ``deadline`` (or once it meets
    ``bound``: then it is optimal)."""
    rng = random.Random(seed)  # noqa: S311 (picks neighbourhoods, not secrets)
    best, size = dict(choices), min(len(ids), 150)
    while time.monotonic() < deadline - 0.2:
        if bound is not None and _value(tasks, best) >= bound:
            break
        chosen = _neighbourhood(rng, instance, tasks, ids, size)
        outcome = _resolve(instance, tasks, chosen, best, deadline, workers, rng)
        if outcome is None:  # timed out: a smaller slice next time
            size = max(20, int(size * 0.8))
            continue
        status, found = outcome
        if _value(tasks, found) >= _value(tasks, {t: best[t] for t in chosen if t in best}):
            for t in chosen:
                best.pop(t, None)
            best.update(found)
        if status == cp_model.OPTIMAL:
            size = min(len(ids), int(size * 1.1) + 1)
    return best


def _value(tasks, choices: dict[int, Choice]) -> int:
    return sum(tasks[t].options[o].value for t, (o, _) in choices.items())


def _neighbourhood(rng, instance, tasks, ids, size) -> list[int]:
    """The tasks of the doctors who share departments with a random rotation, or who can
    be there around a random day: the ones whose placements can trade places."""
    doctors: dict[int, list[int]] = {}
    for t in ids:
        doctors.setdefault(tasks[t].doctor, []).append(t)
    by_department = rng.random() < 0.5
    depts = {o.department for o in tasks[rng.choice(ids)].options}
    day = rng.randrange(len(instance.working_days))

    def distance(d: int) -> float:
        options = [o for t in doctors[d] for o in tasks[t].options]
        if by_department:
            return -sum(o.department in depts for o in options)
        return min((abs(s - day) for o in options for s in o.starts), default=999)

    order = sorted(doctors, key=lambda d: (distance(d), rng.random()))
    chosen: list[int] = []
    for d in order:
        if len(chosen) >= size:
            break
        chosen += doctors[d]
    return chosen


def _resolve(instance, tasks, chosen, best, deadline, workers, rng):
    keep = set(chosen)
    background = Occupancy(instance, tasks)
    for t, choice in best.items():
        if t not in keep:
            background.place(t, choice)
    local = {t: _still_possible(tasks[t], background) for t in chosen}
    model = ScheduleModel(instance, local, chosen, background=background)
    model.hint(model.ordered({t: best[t] for t in chosen if t in best}))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, min(2.0, deadline - time.monotonic()))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = rng.randrange(1 << 20)
    status = solver.solve(model.cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return status, model.read(solver)


def _still_possible(task: Task, background: Occupancy) -> Task:
    """The task with only the starts the kept placements leave open (same option indices)."""
    busy = background.busy[task.doctor]
    options = []
    for option in task.options:
        room = background.load[option.department]
        capacity = background.capacity[option.department]
        starts = tuple(
            s for s in option.starts
            if not any(busy[s : s + task.days]) and max(room[s : s + task.days]) < capacity
        )
        options.append(replace(option, starts=starts))
    return replace(task, options=tuple(options))
