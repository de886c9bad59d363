"""The search space: every (doctor, rotation) task with its possible placements pre-filtered."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .instance import Instance, Rotation, rotation_of


@dataclass(frozen=True)
class Task:
    """One rotation of one doctor, with its candidate placements (department, start, value)."""

    index: int
    doctor: int
    doctor_id: str
    rotation: Rotation
    candidates: tuple[tuple[int, int, int], ...]
    fixed: tuple[int, int, int] | None = None

    @property
    def days(self) -> int:
        return self.rotation.days

    @property
    def required(self) -> bool:
        return self.rotation.required or self.fixed is not None


@dataclass
class Space:
    """Indexes, capacities and pre-filtered candidates for one instance."""

    instance: Instance
    n_days: int
    department_ids: list[str]
    capacity: list[list[int]]
    free: list[list[bool]]
    tasks: list[Task] = field(default_factory=list)
    tasks_of_doctor: list[list[int]] = field(default_factory=list)
    base_load: list[list[int]] = field(default_factory=list)
    room: list[list[int]] = field(default_factory=list)
    base_score: int = 0
    twins: list[list[int]] = field(default_factory=list)

    @property
    def open_tasks(self) -> list[Task]:
        """Tasks that are not fixed."""
        return [t for t in self.tasks if t.fixed is None]


def doctor_free_days(instance: Instance, doctor) -> list[bool]:
    """Per working day: is the doctor available and not blocked."""
    return [doctor.available_from <= day <= doctor.available_to and day not in doctor.blocked
            for day in instance.working_days]


def department_capacity(instance: Instance, department) -> list[int]:
    """Per working day: how many doctors the department can host (0 when closed)."""
    return [0 if day in department.closed else department.capacity
            for day in instance.working_days]


def run_lengths(ok: list[bool]) -> list[int]:
    """For each day, how many consecutive ok days start there."""
    runs = [0] * (len(ok) + 1)
    for t in range(len(ok) - 1, -1, -1):
        runs[t] = runs[t + 1] + 1 if ok[t] else 0
    return runs[:-1]


def fixed_candidate(instance: Instance, fixed, dept_index: dict[str, int]) -> tuple[int, int, int]:
    """The (department, start, value) of a fixed placement; start is -1 off the working days."""
    doctor = instance.doctor_by_id[fixed.doctor]
    rotation = rotation_of(doctor, fixed.rotation)
    value = rotation.weight + rotation.options.get(fixed.department, 0)
    start = instance.day_index.get(fixed.start, -1)
    return dept_index[fixed.department], start, value


def build_space(instance: Instance) -> Space:
    """Index the instance and list every statically possible placement of each task."""
    n_days = len(instance.working_days)
    dept_ids = [d.id for d in instance.departments]
    dept_index = {d: k for k, d in enumerate(dept_ids)}
    space = Space(instance, n_days, dept_ids,
                  [department_capacity(instance, d) for d in instance.departments],
                  [doctor_free_days(instance, d) for d in instance.doctors])
    space.base_load = [[0] * n_days for _ in dept_ids]
    busy = [[False] * n_days for _ in instance.doctors]
    fixed_by_task = {(f.doctor, f.rotation): f for f in instance.fixed}
    for i, doctor in enumerate(instance.doctors):
        for rotation in doctor.rotations:
            fixed = fixed_by_task.get((doctor.id, rotation.id))
            if fixed is None:
                continue
            k, s, value = fixed_candidate(instance, fixed, dept_index)
            for t in range(max(s, 0), min(s + rotation.days, n_days)):
                space.base_load[k][t] += 1
                busy[i][t] = True
            space.base_score += value
    space.room = [[c - b for c, b in zip(cap, load, strict=True)]
                  for cap, load in zip(space.capacity, space.base_load, strict=True)]
    _add_tasks(space, busy, fixed_by_task, dept_index)
    space.twins = find_twins(instance)
    return space


def find_twins(instance: Instance) -> list[list[int]]:
    """Groups of interchangeable doctors: same dates, rotations and declines, nothing fixed."""
    pinned = {f.doctor for f in instance.fixed}
    declined = defaultdict(set)
    for f in instance.forbidden:
        declined[f.doctor].add((f.rotation, f.department))
    groups = defaultdict(list)
    for i, doctor in enumerate(instance.doctors):
        if doctor.id in pinned:
            continue
        rotations = tuple((r.id, r.days, r.required, r.weight, tuple(sorted(r.options.items())))
                          for r in doctor.rotations)
        key = (doctor.available_from, doctor.available_to, doctor.blocked, rotations,
               frozenset(declined[doctor.id]))
        groups[key].append(i)
    return [members for members in groups.values() if len(members) > 1]


def _add_tasks(space: Space, busy: list[list[bool]], fixed_by_task: dict, dept_index) -> None:
    instance = space.instance
    for i, doctor in enumerate(instance.doctors):
        space.tasks_of_doctor.append([])
        free = [f and not b for f, b in zip(space.free[i], busy[i], strict=True)]
        for rotation in doctor.rotations:
            fixed = fixed_by_task.get((doctor.id, rotation.id))
            if fixed is not None:
                candidates, pinned = (), fixed_candidate(instance, fixed, dept_index)
            else:
                found = _candidates(space, doctor.id, rotation, free, dept_index)
                candidates, pinned = tuple(found), None
            task = Task(len(space.tasks), i, doctor.id, rotation, candidates, pinned)
            space.tasks.append(task)
            space.tasks_of_doctor[i].append(task.index)


def _candidates(space: Space, doctor_id: str, rotation: Rotation, free: list[bool], dept_index):
    forbidden = space.instance.forbidden_set
    for dept_id, points in rotation.options.items():
        if (doctor_id, rotation.id, dept_id) in forbidden:
            continue
        k = dept_index[dept_id]
        runs = run_lengths([f and r > 0 for f, r in zip(free, space.room[k], strict=True)])
        for s in range(space.n_days - rotation.days + 1):
            if runs[s] >= rotation.days:
                yield k, s, rotation.weight + points
