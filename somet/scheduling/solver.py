"""``solve(instance)``: split into independent parts, solve each with CP-SAT, explain failure.

Doctors who can never meet in a department (different host hospitals, say) do not affect
each other, so each connected part is its own smaller model: the sum of the parts' optima is
the optimum, and the sum of their proven bounds is a bound.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from somet.core.problems import problem
from somet.scheduling import conflicts, lns
from somet.scheduling.greedy import fill_in, greedy_schedule
from somet.scheduling.instance import Instance
from somet.scheduling.model import Choice, ScheduleModel
from somet.scheduling.relaxation import rounded_schedule, solve_relaxation
from somet.scheduling.result import Placement, Result, Unplaced
from somet.scheduling.space import Task, build_tasks

# the whole part's model gets this share of its time (it proves the bound); neighbourhood
# search improves the schedule in the rest
WHOLE_MODEL_SHARE = 0.4


@dataclass
class PartResult:
    status: str
    choices: dict[int, Choice]
    bound: int | None


def solve(
    instance: Instance,
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    plain: bool = False,
) -> Result:
    """Find the best valid schedule within ``time_limit`` seconds on ``workers`` threads.

    ``plain=True`` solves the textbook time-indexed model in one piece, without hint or
    symmetry breaking: the benchmark's point of comparison.
    """
    started = time.monotonic()
    tasks = build_tasks(instance)
    problems = conflicts.preflight(instance, tasks)
    if problems:
        return Result("INFEASIBLE", conflicts=problems, seconds=time.monotonic() - started)
    parts = [list(range(len(tasks)))] if plain else connected_parts(instance, tasks)
    results = []
    for n, ids in enumerate(parts):
        left = time_limit - (time.monotonic() - started)
        share = left * len(ids) / max(1, sum(len(p) for p in parts[n:]))
        part = _solve_part(instance, tasks, ids, max(share, 0.05), workers, seed, plain)
        if part.status == "INFEASIBLE":
            found = conflicts.explain(instance, tasks, ids, workers)
            return Result("INFEASIBLE", conflicts=found, seconds=time.monotonic() - started)
        results.append(part)
    return _assemble(instance, tasks, results, time.monotonic() - started)


def connected_parts(instance: Instance, tasks: list[Task]) -> list[list[int]]:
    """Task ids grouped so that no department or doctor is shared between groups."""
    parent = list(range(len(instance.departments) + len(instance.doctors)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    offset = len(instance.departments)
    for task in tasks:
        for option in task.options:
            if option.starts:
                parent[root(offset + task.doctor)] = root(option.department)
    groups: dict[int, list[int]] = {}
    for t, task in enumerate(tasks):
        groups.setdefault(root(offset + task.doctor), []).append(t)
    return sorted(groups.values(), key=len)


def _solve_part(instance, tasks, ids, seconds, workers, seed, plain) -> PartResult:
    if plain:
        return _solve_whole(instance, tasks, ids, seconds, workers, seed, plain, {})
    deadline = time.monotonic() + seconds
    lp_bound, values = solve_relaxation(instance, tasks, ids, seconds / 3)
    hint = max(
        greedy_schedule(instance, tasks, ids), rounded_schedule(instance, tasks, ids, values),
        key=lambda choices: _hint_quality(tasks, ids, choices),
    )
    whole = max(0.05, (deadline - time.monotonic()) * WHOLE_MODEL_SHARE)
    part = _solve_whole(instance, tasks, ids, whole, workers, seed, plain, hint)
    if part.status == "UNKNOWN" and _hint_quality(tasks, ids, hint)[0] == 0:
        # CP-SAT had no time to start: the greedy schedule is valid by construction
        part = PartResult("FEASIBLE", hint, lp_bound)
    if part.bound is not None and lp_bound is not None:
        part.bound = min(part.bound, lp_bound)
    if part.status != "FEASIBLE" or time.monotonic() > deadline - 0.5:
        return part
    if part.bound is not None and _hint_quality(tasks, ids, part.choices)[1] >= part.bound:
        part.status = "OPTIMAL"  # the relaxation's bound proves it
        return part
    part.choices = lns.improve(
        instance, tasks, ids, part.choices, deadline, workers, seed, bound=part.bound
    )
    return part


def _hint_quality(tasks, ids, choices) -> tuple[int, int]:
    missing = sum(1 for t in ids if tasks[t].required and t not in choices)
    return (-missing, sum(tasks[t].options[o].value for t, (o, _) in choices.items()))


def _solve_whole(instance, tasks, ids, seconds, workers, seed, plain, hint) -> PartResult:
    model = ScheduleModel(instance, tasks, ids, plain=plain)
    if hint:
        model.hint(model.ordered(hint))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    code = solver.solve(model.cp)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = math.floor(solver.best_objective_bound + 1e-6)
        status = "OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE"
        return PartResult(status, model.read(solver), bound)
    if code == cp_model.INFEASIBLE:
        return PartResult("INFEASIBLE", {}, None)
    return PartResult("UNKNOWN", {}, None)


def _assemble(instance: Instance, tasks: list[Task], parts: list[PartResult], seconds) -> Result:
    if any(p.status == "UNKNOWN" for p in parts):
        return Result("UNKNOWN", conflicts=[problem("schedule.time_limit")], seconds=seconds)
    choices: dict[int, Choice] = {}
    for part in parts:
        choices.update(part.choices)
    occupancy = fill_in(instance, tasks, choices)
    placements, score = [], 0
    for t, (o, s) in sorted(choices.items()):
        placements.append(_placement(instance, tasks[t], o, s))
        score += tasks[t].options[o].value
    unplaced = [
        Unplaced(*_names(instance, tasks[t]), conflicts.unplaced_reason(instance, t, occupancy))
        for t in range(len(tasks)) if t not in choices
    ]
    # a part stopped by the time limit may have proven no bound: then none can be stated
    bounds = [p.bound for p in parts]
    bound = None if None in bounds else sum(bounds)
    proven = all(p.status == "OPTIMAL" for p in parts) or (bound is not None and score >= bound)
    status = "OPTIMAL" if proven else "FEASIBLE"
    return Result(status, score, bound, placements, unplaced, [], seconds)


def _names(instance: Instance, task: Task) -> tuple[str, str]:
    doctor = instance.doctors[task.doctor]
    return doctor.id, doctor.rotations[task.rotation].id


def _placement(instance: Instance, task: Task, o: int, s: int) -> Placement:
    doctor_id, rotation_id = _names(instance, task)
    days = instance.working_days
    dept_id = instance.departments[task.options[o].department].id
    return Placement(doctor_id, rotation_id, dept_id, days[s], days[s + task.days - 1])
