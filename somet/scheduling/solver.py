"""Solve a placement instance with CP-SAT and report the result in the contract's format."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ortools.sat.python import cp_model

from .conflicts import explain_infeasible, precheck
from .greedy import canonical, complete, greedy_fill, loads, score_of
from .instance import FORMAT, Instance
from .model import Assignment
from .search import Incumbent, run_full, run_lns
from .space import Space, Task, build_space, run_lengths


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Placement:
    doctor: str
    rotation: str
    department: str
    start: date
    end: date


@dataclass(frozen=True)
class Unplaced:
    doctor: str
    rotation: str
    reason: str


@dataclass(frozen=True)
class Result:
    status: Status
    score: int | None
    bound: int | None
    placements: tuple[Placement, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    conflicts: tuple[str, ...] = ()
    wall_time: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the result holds a valid schedule."""
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)


def solve(instance: Instance, time_limit: float = 10.0, workers: int = 2, seed: int = 0,
          model: str = "tight") -> Result:
    """Find the best valid schedule within the time limit ("tight" model, or "plain")."""
    started = time.monotonic()
    if model == "plain":
        from .plain import solve_plain

        return solve_plain(instance, time_limit, workers, seed)
    if model != "tight":
        raise ValueError(f"unknown model {model!r}")
    space = build_space(instance)
    conflicts = precheck(space)
    if conflicts:
        return infeasible(conflicts, started)
    incumbent = Incumbent(space, canonical(space, greedy_fill(space)))
    _search(space, incumbent, started + time_limit, workers, seed)
    if incumbent.status == cp_model.INFEASIBLE:
        budget = max(time_limit - (time.monotonic() - started), time_limit / 2)
        return infeasible(explain_infeasible(space, budget, workers, seed), started)
    return finish(space, incumbent.assignment, incumbent.status, incumbent.bound, started,
                  fill=True)


def _search(space: Space, incumbent: Incumbent, deadline: float, workers: int, seed: int):
    """Run the full model and, with a second worker, the neighbourhood search beside it."""
    if workers < 2:
        run_full(space, incumbent, deadline, 1, seed)
        return
    helper = threading.Thread(target=run_lns, args=(space, incumbent, deadline, seed))
    helper.start()
    try:
        run_full(space, incumbent, deadline, workers - 1, seed)
    finally:
        incumbent.stop.set()
        helper.join()


def infeasible(conflicts: list[str], started: float) -> Result:
    """A result for an instance with no valid schedule."""
    return Result(Status.INFEASIBLE, None, None, conflicts=tuple(conflicts),
                  wall_time=time.monotonic() - started)


def finish(space: Space, assignment: Assignment, status: int, bound: int | None,
           started: float, fill: bool) -> Result:
    """Turn a solver assignment into a Result (filling leftover rotations when asked)."""
    if not complete(space, assignment):
        return Result(Status.UNKNOWN, None, bound, wall_time=time.monotonic() - started)
    if fill:
        assignment = greedy_fill(space, assignment)
    score = score_of(assignment)
    if status == cp_model.OPTIMAL or (bound is not None and score >= bound):
        bound = score
    outcome = Status.OPTIMAL if bound == score else Status.FEASIBLE
    placements, unplaced = _report(space, assignment)
    return Result(outcome, score, bound, placements, unplaced,
                  wall_time=time.monotonic() - started)


def _report(space: Space, assignment: Assignment):
    days = space.instance.working_days
    placements, unplaced = [], []
    _, busy = loads(space, assignment)
    for task in space.tasks:
        placed = assignment[task.index]
        if placed is None:
            unplaced.append(Unplaced(task.doctor_id, task.rotation.id,
                                     unplaced_reason(space, assignment, busy, task)))
            continue
        k, s, _ = placed
        placements.append(Placement(task.doctor_id, task.rotation.id, space.department_ids[k],
                                    days[s], days[s + task.days - 1]))
    placements.sort(key=lambda p: (space.instance.doctors.index(
        space.instance.doctor_by_id[p.doctor]), p.start))
    return tuple(placements), tuple(unplaced)


def unplaced_reason(space: Space, assignment: Assignment, busy, task: Task) -> str:
    """Why an optional rotation was left out, in a few words."""
    options = task.rotation.options
    allowed = [d for d in options
               if (task.doctor_id, task.rotation.id, d) not in space.instance.forbidden_set]
    if not options:
        return "no department offers it"
    if not allowed:
        return ("its only department is forbidden (declined by the host)" if len(options) == 1
                else "all its departments are forbidden (declined by the hosts)")
    days = task.days
    if not task.candidates:
        if max(run_lengths(space.free[task.doctor]), default=0) < days:
            return f"the doctor's dates hold no {days} consecutive free working days"
        return f"{_names(allowed)} {'is' if len(allowed) == 1 else 'are'} closed or full " \
               f"whenever the doctor has {days} consecutive free working days"
    own = [c for c in task.candidates if not any(busy[task.doctor][t]
                                                 for t in range(c[1], c[1] + days))]
    if own:
        return f"no room in {_names(sorted({space.department_ids[c[0]] for c in own}))} " \
               "within the doctor's dates"
    return "left out for a better overall score (the doctor's days went to other rotations)"


def _names(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def result_to_json(result: Result) -> dict:
    """The result as a `somet-schedule/1` result dict."""
    return {
        "format": FORMAT,
        "status": str(result.status),
        "score": result.score,
        "bound": result.bound,
        "placements": [{"doctor": p.doctor, "rotation": p.rotation, "department": p.department,
                        "start": p.start.isoformat(), "end": p.end.isoformat()}
                       for p in result.placements],
        "unplaced": [{"doctor": u.doctor, "rotation": u.rotation, "reason": u.reason}
                     for u in result.unplaced],
        "conflicts": list(result.conflicts),
    }
