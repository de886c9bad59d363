"""The CP-SAT placement model over pre-filtered candidates, for the whole space or a part."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .space import Space

Candidate = tuple[int, int, int]  # (department index, first working-day index, value)
Assignment = list[Candidate | None]  # per task index


@dataclass
class Built:
    """A built model: its variables per task and, with assumptions, a literal per kept task."""

    model: cp_model.CpModel
    choices: dict[int, list[tuple[Candidate, cp_model.IntVar]]]
    assumptions: dict[int, cp_model.IntVar] = field(default_factory=dict)


def fits(space: Space, candidate: Candidate, days: int, room: list[list[int]]) -> bool:
    """Does the department have room on every day of this candidate."""
    k, s, _ = candidate
    return all(room[k][t] > 0 for t in range(s, s + days))


def build_model(space: Space, tasks: list[int], room: list[list[int]],
                hint: Assignment | None = None, assume: bool = False,
                symmetry: bool = True) -> Built:
    """Time-indexed model of these tasks (whole doctors) given the room left in departments."""
    built = Built(cp_model.CpModel(), {})
    model = built.model
    for index in tasks:
        task = space.tasks[index]
        pairs = [(c, model.new_bool_var("")) for c in task.candidates
                 if fits(space, c, task.days, room)]
        built.choices[index] = pairs
        literals = [v for _, v in pairs]
        if task.required and assume:
            model.add_at_most_one(literals)
            built.assumptions[index] = model.new_bool_var(f"keep{index}")
            model.add_bool_or(literals).only_enforce_if(built.assumptions[index])
        elif task.required:
            model.add_exactly_one(literals)
        elif len(literals) > 1:
            model.add_at_most_one(literals)
    _doctor_cliques(space, built)
    _capacities(space, built, room)
    if symmetry:
        _symmetry(space, built)
    model.maximize(sum(c[2] * v for pairs in built.choices.values() for c, v in pairs))
    if hint is not None:
        for index, pairs in built.choices.items():
            for c, v in pairs:
                model.add_hint(v, hint[index] == c)
    return built


def _covering(space: Space, items) -> tuple[dict[int, list], set[int]]:
    """Literals covering each day, and the days on which some candidate starts."""
    cover, starts = defaultdict(list), set()
    for days, c, v in items:
        starts.add(c[1])
        for t in range(c[1], c[1] + days):
            cover[t].append(v)
    return cover, starts


def _doctor_cliques(space: Space, built: Built) -> None:
    by_doctor = defaultdict(list)
    for index, pairs in built.choices.items():
        task = space.tasks[index]
        by_doctor[task.doctor].extend((task.days, c, v) for c, v in pairs)
    for items in by_doctor.values():
        cover, starts = _covering(space, items)
        for t in starts:
            if len(cover[t]) > 1:
                built.model.add_at_most_one(cover[t])


def _capacities(space: Space, built: Built, room: list[list[int]]) -> None:
    by_dept = defaultdict(list)
    for index, pairs in built.choices.items():
        days = space.tasks[index].days
        for c, v in pairs:
            by_dept[c[0]].append((days, c, v))
    for k, items in by_dept.items():
        cover, starts = _covering(space, items)
        for t in starts:
            if len(cover[t]) <= room[k][t]:
                continue
            if room[k][t] == 1:
                built.model.add_at_most_one(cover[t])
            else:
                built.model.add(sum(cover[t]) <= room[k][t])


def _symmetry(space: Space, built: Built) -> None:
    """Order identical doctors by where their first required rotation goes."""
    for members in space.twins:
        present = [i for i in members if all(t in built.choices for t in space.tasks_of_doctor[i])]
        keys = [_key(space, built, i) for i in present]
        for a, b in zip(keys, keys[1:], strict=False):
            if a is not None and b is not None:
                built.model.add(a <= b)


def _key(space: Space, built: Built, doctor: int):
    for index in space.tasks_of_doctor[doctor]:
        if space.tasks[index].required:
            return sum((c[0] * space.n_days + c[1]) * v for c, v in built.choices[index])
    return None


def twin_key(space: Space, assignment: Assignment, doctor: int) -> int:
    """The symmetry key of a doctor's schedule in an assignment (see `_symmetry`)."""
    for index in space.tasks_of_doctor[doctor]:
        if space.tasks[index].required and assignment[index] is not None:
            k, s, _ = assignment[index]
            return k * space.n_days + s
    return -1


def solve_built(built: Built, time_limit: float, workers: int, seed: int,
                deterministic: float | None = None) -> tuple[cp_model.CpSolver, int]:
    """Run CP-SAT on a built model; returns the solver and its status."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(time_limit, 0.01)
    params.num_search_workers = workers
    params.random_seed = seed
    if deterministic is not None:
        params.max_deterministic_time = deterministic
    status = solver.solve(built.model)
    return solver, status


def read_assignment(solver, built: Built, assignment: Assignment) -> Assignment:
    """Copy the solver's choices for the built tasks into a new assignment."""
    result = list(assignment)
    for index, pairs in built.choices.items():
        result[index] = next((c for c, v in pairs if solver.boolean_value(v)), None)
    return result
