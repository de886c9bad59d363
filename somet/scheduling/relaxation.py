"""The linear relaxation of the time-indexed model, solved with GLOP.

Two uses. Its optimum is an upper bound on the score; CP-SAT's own bound is often weaker
because presolve rewrites the constraints its LP sees. And its fractional solution says
where each rotation "wants" to go, which makes a much better greedy start than values alone.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.linear_solver import pywraplp

from somet.scheduling.covers import doctor_patterns
from somet.scheduling.greedy import Choice, Occupancy
from somet.scheduling.instance import Instance
from somet.scheduling.space import Task


def solve_relaxation(instance: Instance, tasks: list[Task], ids: list[int], seconds: float):
    """(bound, {(task, option, start): value}), or (None, {}) if GLOP finds no optimum."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None, {}
    lp.SetTimeLimit(max(1, int(seconds * 1000)))
    columns, doctor_day, dept_day = {}, defaultdict(list), defaultdict(list)
    for t in ids:
        task = tasks[t]
        for o, option in enumerate(task.options):
            for s in option.starts:
                column = columns[t, o, s] = lp.NumVar(0.0, 1.0, "")
                for day in range(s, s + task.days):
                    doctor_day[task.doctor, day].append(column)
                    dept_day[option.department, day].append(column)
        row = [columns[t, o, s] for o, option in enumerate(task.options) for s in option.starts]
        lp.Add(lp.Sum(row) == 1 if task.required else lp.Sum(row) <= 1)
    for group in doctor_day.values():
        lp.Add(lp.Sum(group) <= 1)
    for (k, _), group in dept_day.items():
        lp.Add(lp.Sum(group) <= instance.departments[k].capacity)
    _add_patterns(lp, instance, tasks, ids, columns)
    lp.Maximize(lp.Sum(
        tasks[t].options[o].value * column for (t, o, _), column in columns.items()
    ))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None, {}
    # GLOP works in floating point, to about 1e-6 per unit of objective: a value just below
    # an integer may be that integer, so allow for that much before rounding down
    slack = 1e-6 * (1 + sum(tasks[t].best_value for t in ids))
    bound = math.floor(lp.Objective().Value() + slack)
    return bound, {key: column.solution_value() for key, column in columns.items()}


def _add_patterns(lp, instance, tasks, ids, columns) -> None:
    by_task = defaultdict(list)
    for (t, _, _), column in columns.items():
        by_task[t].append(column)
    for patterns in doctor_patterns(tasks, ids, len(instance.working_days)):
        chosen = [lp.NumVar(0.0, 1.0, "") for _ in patterns]
        lp.Add(lp.Sum(chosen) == 1)
        for t in {t for pattern in patterns for t in pattern}:
            within = [z for z, pattern in zip(chosen, patterns, strict=True) if t in pattern]
            if len(within) < len(patterns):
                lp.Add(lp.Sum(by_task[t]) <= lp.Sum(within))


def rounded_schedule(instance: Instance, tasks: list[Task], ids: list[int],
                     values: dict[tuple[int, int, int], float]) -> dict[int, Choice]:
    """A greedy schedule that follows the relaxation: the most certain choices first."""
    wanted = sorted(
        ((value, t, o, s) for (t, o, s), value in values.items() if value > 1e-6),
        key=lambda item: (item[0] < 0.99, not tasks[item[1]].required, -item[0],
                          -tasks[item[1]].options[item[2]].value),
    )
    occupancy = Occupancy(instance, tasks)
    choices: dict[int, Choice] = {}
    for _, t, o, s in wanted:
        if t not in choices and not occupancy.doctor_busy(t, s) and occupancy.slack(t, (o, s)) > 0:
            choices[t] = (o, s)
            occupancy.place(t, (o, s))
    for t in ids:  # whatever the relaxation left out, placed where it still fits
        if t not in choices:
            choice = occupancy.best_place(t)
            if choice is not None:
                choices[t] = choice
                occupancy.place(t, choice)
    return choices
