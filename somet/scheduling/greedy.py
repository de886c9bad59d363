"""A fast greedy construction: a valid starting schedule and a filler for leftover rotations."""

from __future__ import annotations

from .model import Assignment, twin_key
from .space import Space


def empty_assignment(space: Space) -> Assignment:
    """Only the fixed placements."""
    return [task.fixed for task in space.tasks]


def loads(space: Space, assignment: Assignment, skip: set[int] = frozenset()):
    """Department load and doctor occupation of the open tasks placed in an assignment."""
    load = [[0] * space.n_days for _ in space.department_ids]
    busy = [[False] * space.n_days for _ in space.instance.doctors]
    for task in space.open_tasks:
        placed = assignment[task.index]
        if placed is None or task.doctor in skip:
            continue
        k, s, _ = placed
        for t in range(s, s + task.days):
            load[k][t] += 1
            busy[task.doctor][t] = True
    return load, busy


def greedy_fill(space: Space, assignment: Assignment | None = None) -> Assignment:
    """Place every unplaced open task where it fits, required ones first, best value first."""
    result = list(assignment) if assignment is not None else empty_assignment(space)
    load, busy = loads(space, result)
    todo = [t for t in space.open_tasks if result[t.index] is None and t.candidates]
    todo.sort(key=lambda t: (not t.required, len(t.candidates) if t.required else 0,
                             -max(c[2] for c in t.candidates) / t.days, t.index))
    for task in todo:
        for k, s, value in sorted(task.candidates, key=lambda c: (-c[2], c[1], c[0])):
            days = range(s, s + task.days)
            if all(not busy[task.doctor][t] and load[k][t] < space.room[k][t] for t in days):
                for t in days:
                    load[k][t] += 1
                    busy[task.doctor][t] = True
                result[task.index] = (k, s, value)
                break
    return result


def canonical(space: Space, assignment: Assignment) -> Assignment:
    """Swap whole schedules among identical doctors so their symmetry keys ascend."""
    result = list(assignment)
    for members in space.twins:
        schedules = [[assignment[t] for t in space.tasks_of_doctor[i]] for i in members]
        order = sorted(range(len(members)), key=lambda m: twin_key(space, assignment, members[m]))
        for position, source in zip(members, order, strict=True):
            for t, value in zip(space.tasks_of_doctor[position], schedules[source], strict=True):
                result[t] = value
    return result


def score_of(assignment: Assignment) -> int:
    """The score of an assignment (fixed placements included)."""
    return sum(c[2] for c in assignment if c is not None)


def complete(space: Space, assignment: Assignment) -> bool:
    """Are all required tasks placed."""
    return all(assignment[t.index] is not None for t in space.tasks if t.required)
