"""The search space: for every (doctor, rotation, department) the working-day indices where a
block may start, with everything that holds for one doctor alone already applied
(availability, blocked and closed days, the period's end, declines, fixed placements).

Capacity and a doctor's overlapping rotations are the only rules left for the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from somet.scheduling.instance import Doctor, Instance


@dataclass(frozen=True)
class Option:
    department: int  # index into instance.departments
    value: int  # weight + preference points: what placing here adds to the score
    starts: tuple[int, ...]  # working-day indices where the block may start


@dataclass(frozen=True)
class Task:
    """One rotation of one doctor: the unit that is placed at most (or exactly) once."""

    doctor: int
    rotation: int
    days: int
    required: bool
    options: tuple[Option, ...]
    fixed: bool  # fixed by the instance: its options hold the one fixed start (or none)

    @property
    def best_value(self) -> int:
        return max((o.value for o in self.options if o.starts), default=0)


def doctor_free_days(instance: Instance, doctor: Doctor) -> list[bool]:
    return [
        doctor.available_from <= day <= doctor.available_to and day not in doctor.blocked
        for day in instance.working_days
    ]


def open_days(instance: Instance) -> list[list[bool]]:
    """Per department, per working day: can it host anybody that day."""
    return [
        [dept.capacity > 0 and day not in dept.closed for day in instance.working_days]
        for dept in instance.departments
    ]


def valid_starts(free: list[bool], length: int) -> tuple[int, ...]:
    """Indices where ``length`` consecutive True values begin."""
    run, runs = 0, [0] * len(free)
    for i in range(len(free) - 1, -1, -1):
        run = run + 1 if free[i] else 0
        runs[i] = run
    return tuple(i for i, r in enumerate(runs) if r >= length)


def build_tasks(instance: Instance) -> list[Task]:
    dept_index = {d.id: k for k, d in enumerate(instance.departments)}
    fixed = {(f.doctor, f.rotation): f for f in instance.fixed}
    opened = open_days(instance)
    tasks = []
    for d, doctor in enumerate(instance.doctors):
        free = doctor_free_days(instance, doctor)
        for r, rotation in enumerate(doctor.rotations):
            pin = fixed.get((doctor.id, rotation.id))
            options = []
            for dept_id, points in rotation.options:
                k = dept_index[dept_id]
                if (doctor.id, rotation.id, dept_id) in instance.forbidden:
                    continue
                if pin is not None and pin.department != dept_id:
                    continue
                both = [a and b for a, b in zip(free, opened[k], strict=True)]
                starts = valid_starts(both, rotation.days)
                if pin is not None:
                    wanted = instance.day_index.get(pin.start)
                    starts = tuple(s for s in starts if s == wanted)
                options.append(Option(k, rotation.weight + points, starts))
            required = rotation.required or pin is not None
            tasks.append(Task(d, r, rotation.days, required, tuple(options), pin is not None))
    return tasks
