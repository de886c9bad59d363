"""The plain time-indexed model, kept as the benchmark's baseline.

One boolean per (doctor, rotation, department, start day); impossible starts are ruled out by
constraints rather than left out; capacity and doctor overlap are sums over covering starts.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from .conflicts import precheck
from .space import build_space


def solve_plain(instance, time_limit: float = 10.0, workers: int = 2, seed: int = 0):
    """Solve with the plain model (no pre-filtering, hint, symmetry breaking or LNS)."""
    from .solver import finish, infeasible

    started = time.monotonic()
    space = build_space(instance)
    conflicts = precheck(space)
    if conflicts:
        return infeasible(conflicts, started)
    model, choices = _build(space)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return infeasible(["no valid schedule exists (plain model)"], started)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return finish(space, [None] * len(space.tasks), status, None, started, fill=False)
    assignment = [next((c for c, v in pairs if solver.boolean_value(v)), None)
                  for pairs in choices]
    bound = int(solver.best_objective_bound + 1e-6)
    return finish(space, assignment, status, bound, started, fill=False)


def _build(space):
    instance, n = space.instance, space.n_days
    model = cp_model.CpModel()
    choices, doctor_cover, dept_cover = [], {}, {}
    objective = []
    for task in space.tasks:
        doctor = instance.doctors[task.doctor]
        pairs = []
        for dept_id, points in task.rotation.options.items():
            k = space.department_ids.index(dept_id)
            for s in range(n - task.days + 1):
                x = model.new_bool_var("")
                pairs.append(((k, s, task.rotation.weight + points), x))
                objective.append((task.rotation.weight + points) * x)
                if not _allowed(space, doctor, task, dept_id, k, s):
                    model.add(x == 0)
                for t in range(s, s + task.days):
                    doctor_cover.setdefault((task.doctor, t), []).append(x)
                    dept_cover.setdefault((k, t), []).append(x)
        if task.fixed is not None:
            model.add(sum(x for c, x in pairs if c == task.fixed) == 1)
        model.add(sum(x for _, x in pairs) == 1 if task.required
                  else sum(x for _, x in pairs) <= 1)
        choices.append(pairs)
    for xs in doctor_cover.values():
        model.add(sum(xs) <= 1)
    for (k, t), xs in dept_cover.items():
        model.add(sum(xs) <= space.capacity[k][t])
    model.maximize(sum(objective))
    return model, choices


def _allowed(space, doctor, task, dept_id, k, s) -> bool:
    if (doctor.id, task.rotation.id, dept_id) in space.instance.forbidden_set:
        return False
    return all(space.free[task.doctor][t] and space.capacity[k][t] > 0
               for t in range(s, s + task.days))
