"""Search: the full model (bound and solutions) beside a large-neighbourhood search loop."""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .greedy import canonical, complete, loads, score_of
from .model import Assignment, build_model, read_assignment, solve_built
from .space import Space


@dataclass
class Incumbent:
    """The best assignment so far, shared by the search threads."""

    space: Space
    assignment: Assignment
    bound: int | None = None
    status: int = cp_model.UNKNOWN
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def quality(self, assignment: Assignment) -> tuple[int, int]:
        """Required tasks placed, then score."""
        placed = sum(1 for t in self.space.tasks if t.required and assignment[t.index] is not None)
        return placed, score_of(assignment)

    def offer(self, assignment: Assignment, version: int | None = None) -> bool:
        """Keep this assignment if it is at least as good (and based on the latest one)."""
        with self.lock:
            if version is not None and version != self.version:
                return False
            if self.quality(assignment) < self.quality(self.assignment):
                return False
            self.assignment = canonical(self.space, assignment)
            self.version += 1
            if self.bound is not None and complete(self.space, assignment) \
                    and score_of(assignment) >= self.bound:
                self.stop.set()
            return True

    def tighten(self, bound: float) -> None:
        """Record a proven upper bound on the whole score."""
        with self.lock:
            value = self.space.base_score + math.floor(bound + 1e-6)
            self.bound = value if self.bound is None else min(self.bound, value)
            if complete(self.space, self.assignment) and score_of(self.assignment) >= self.bound:
                self.stop.set()


class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, built, incumbent: Incumbent) -> None:
        super().__init__()
        self.built, self.incumbent = built, incumbent

    def on_solution_callback(self) -> None:
        self.incumbent.offer(read_assignment(self, self.built, self.incumbent.assignment))
        if self.incumbent.stop.is_set():
            self.stop_search()


def run_full(space: Space, incumbent: Incumbent, deadline: float, workers: int, seed: int):
    """Solve the whole model, feeding solutions and the bound to the incumbent."""
    tasks = [t.index for t in space.open_tasks]
    built = build_model(space, tasks, space.room, hint=incumbent.assignment)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(deadline - time.monotonic(), 0.05)
    params.num_search_workers = workers
    params.random_seed = seed
    solver.best_bound_callback = incumbent.tighten
    done = threading.Event()
    watcher = threading.Thread(target=_stop_when, args=(incumbent, done, solver), daemon=True)
    watcher.start()
    status = solver.solve(built.model, _Collector(built, incumbent))
    done.set()
    incumbent.status = status
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        incumbent.tighten(solver.best_objective_bound)
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        incumbent.stop.set()
    watcher.join()
    return status


def _stop_when(incumbent: Incumbent, done: threading.Event, solver: cp_model.CpSolver) -> None:
    while not done.is_set():
        if incumbent.stop.wait(0.05):
            solver.stop_search()
            return


def run_lns(space: Space, incumbent: Incumbent, deadline: float, seed: int) -> None:
    """Repeatedly re-solve a neighbourhood of doctors with everything else kept."""
    rng = random.Random(seed)
    relevant = _relevance(space)
    size, limit = 12, 1.0
    while not incumbent.stop.is_set() and time.monotonic() < deadline - 0.05:
        with incumbent.lock:
            current, version = incumbent.assignment, incumbent.version
        doctors = _neighbourhood(space, current, relevant, rng, size)
        if not doctors:
            return
        proven = _improve(space, incumbent, current, version, doctors, rng,
                          min(limit, deadline - time.monotonic()))
        size = min(size + 1, 60) if proven else max(size - 2, 4)


def _improve(space, incumbent, current, version, doctors, rng, limit) -> bool:
    tasks = [t for i in doctors for t in space.tasks_of_doctor[i] if space.tasks[t].fixed is None]
    load, _ = loads(space, current, skip=set(doctors))
    room = [[r - x for r, x in zip(rs, xs, strict=True)] for rs, xs in zip(space.room, load,
                                                                             strict=True)]
    built = build_model(space, tasks, room, hint=current)
    solver, status = solve_built(built, limit, 1, rng.randrange(1 << 30))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        incumbent.offer(read_assignment(solver, built, current), version)
    return status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)


def _relevance(space: Space) -> list[list[tuple[int, int, int]]]:
    """Per department: (doctor, first day, last day) of every task that may go there."""
    relevant = [[] for _ in space.department_ids]
    for task in space.open_tasks:
        spans = {}
        for k, s, _ in task.candidates:
            lo, hi = spans.get(k, (s, s))
            spans[k] = (min(lo, s), max(hi, s + task.days - 1))
        for k, (lo, hi) in spans.items():
            relevant[k].append((task.doctor, lo, hi))
    return relevant


def _neighbourhood(space, current, relevant, rng, size) -> list[int]:
    focus = _focus(space, current, rng)
    if focus is None:
        return []
    doctor, k, lo, hi = focus
    chosen = {doctor} if doctor is not None else set()
    depts, seen = [k], {k}
    while len(chosen) < size and depts:
        k = depts.pop(0)
        pool = sorted({d for d, a, b in relevant[k] if a <= hi and b >= lo} - chosen)
        rng.shuffle(pool)
        for d in pool[: max(1, (size - len(chosen) + 1) // 2)]:
            chosen.add(d)
        nearby = sorted({c[0] for d in chosen for t in space.tasks_of_doctor[d]
                         for c in space.tasks[t].candidates} - seen)
        if nearby:
            seen.add(pick := rng.choice(nearby))
            depts.append(pick)
    return sorted(chosen)


def _focus(space, current, rng):
    """A place to look: an unplaced task's department, or a random placement's department."""
    unplaced = [t for t in space.open_tasks if current[t.index] is None and t.candidates]
    required = [t for t in unplaced if t.required]
    if required or (unplaced and rng.random() < 0.5):
        task = rng.choice(required or unplaced)
        k, s, _ = rng.choice(task.candidates)
        return task.doctor, k, s, s + task.days - 1
    placed = [t for t in space.open_tasks if current[t.index] is not None]
    if not placed:
        return None
    task = rng.choice(placed)
    k, s, _ = current[task.index]
    return None, k, s, s + task.days - 1
