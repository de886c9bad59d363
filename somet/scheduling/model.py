"""The CP-SAT model: one Boolean per (rotation, department, start) that can be used at all.

Time-indexed, because the objective depends only on where a rotation is done, and the
rules (capacity per day, one place per doctor per day) are sums over the days a block
covers; their LP relaxation is tight, which is what proves good bounds. What makes it
stronger than the plain version (``plain=True``):

- constraints that can never bind are left out (a day that fewer doctors can reach than the
  department hosts; a doctor with one rotation);
- interchangeable doctors (same rotations, same possible days) are ordered, so the search
  does not revisit the same schedule with two names swapped;
- a greedy schedule is given as a hint, so a good solution exists from the first second;
- each doctor chooses one of the sets of its rotations that fit its days (covers.py), which
  makes the linear relaxation far tighter.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from ortools.sat.python import cp_model

from somet.scheduling.covers import doctor_patterns
from somet.scheduling.instance import Instance

Choice = tuple[int, int]  # (option index, start day index) of one task


class ScheduleModel:
    def __init__(self, instance: Instance, tasks, ids: list[int], plain=False, relax=False,
                 background=None):
        """A model of the tasks ``ids`` (``tasks`` maps id to Task).

        ``relax``: required rotations become optional (for finding why they cannot fit).
        ``background``: an Occupancy of placements kept as they are, whose places are taken.
        """
        self.instance, self.tasks, self.ids, self.plain = instance, tasks, ids, plain
        self.relax, self.background = relax, background
        self.cp = cp_model.CpModel()
        # per task id: [(option index, start, literal)]
        self.literals: dict[int, list[tuple[int, int, cp_model.IntVar]]] = {}
        self._doctor_cover: dict[tuple[int, int], list] = defaultdict(list)
        self._dept_cover: dict[tuple[int, int], list] = defaultdict(list)
        for t in ids:
            self._add_task(t)
        self._add_cover_limits()
        self.cp.maximize(sum(
            tasks[t].options[o].value * lit for t in ids for o, _, lit in self.literals[t]
        ))
        if not plain:
            self._break_symmetry()
            self._add_patterns()

    def _add_task(self, t: int) -> None:
        task = self.tasks[t]
        entries = []
        for o, option in enumerate(task.options):
            for s in option.starts:
                lit = self.cp.new_bool_var(f"x{t}_{o}_{s}")
                entries.append((o, s, lit))
                for day in range(s, s + task.days):
                    self._doctor_cover[task.doctor, day].append((t, lit))
                    self._dept_cover[option.department, day].append((task.doctor, lit))
        self.literals[t] = entries
        lits = [lit for _, _, lit in entries]
        if task.required and not self.relax:
            self.cp.add_exactly_one(lits)
        elif len(lits) > 1:
            self.cp.add_at_most_one(lits)

    def _add_cover_limits(self) -> None:
        for group in self._doctor_cover.values():
            if self.plain or len({t for t, _ in group}) > 1:
                self.cp.add_at_most_one([lit for _, lit in group])
        departments = self.instance.departments
        for (k, day), group in self._dept_cover.items():
            capacity = departments[k].capacity
            if self.background is not None:
                capacity -= self.background.load[k][day]
            # a doctor is in one place a day, so at most len(doctors) are ever here that day
            if self.plain or len({d for d, _ in group}) > capacity:
                self.cp.add(sum(lit for _, lit in group) <= capacity)

    def _add_patterns(self) -> None:
        """Implied: each doctor does one of the sets of its rotations that fit (covers.py).
        It tightens the linear relaxation far more than CP-SAT's own cuts do here."""
        for patterns in doctor_patterns(self.tasks, self.ids, len(self.instance.working_days)):
            chosen = [self.cp.new_bool_var("pattern") for _ in patterns]
            self.cp.add_exactly_one(chosen)
            for t in {t for pattern in patterns for t in pattern}:
                within = [z for z, pattern in zip(chosen, patterns, strict=True) if t in pattern]
                if len(within) < len(patterns):
                    placed = [lit for _, _, lit in self.literals[t]]
                    self.cp.add(sum(placed) <= sum(within))

    def _signature(self, doctor_tasks: list[int]) -> tuple:
        return tuple(
            (self.tasks[t].days, self.tasks[t].required, self.tasks[t].options)
            for t in doctor_tasks
        )

    def interchangeable_groups(self) -> list[list[list[int]]]:
        """Groups of doctors (each as its task ids) whose schedules can be swapped freely."""
        by_doctor: dict[int, list[int]] = defaultdict(list)
        for t in self.ids:
            by_doctor[self.tasks[t].doctor].append(t)
        groups: dict[tuple, list[list[int]]] = defaultdict(list)
        for doctor_tasks in by_doctor.values():
            if not any(self.tasks[t].fixed for t in doctor_tasks):
                groups[self._signature(doctor_tasks)].append(doctor_tasks)
        return [g for g in groups.values() if len(g) > 1]

    def choice_key(self, choice: Choice | None) -> int:
        """A number for where a task is placed (0: not placed), used to order swappable doctors."""
        return 0 if choice is None else 1 + choice[0] * len(self.instance.working_days) + choice[1]

    def _break_symmetry(self) -> None:
        for group in self.interchangeable_groups():
            keys = [
                sum(self.choice_key((o, s)) * lit for o, s, lit in self.literals[tasks[0]])
                for tasks in group
            ]
            for before, after in pairwise(keys):
                self.cp.add(before <= after)

    def ordered(self, choices: dict[int, Choice]) -> dict[int, Choice]:
        """The same schedule with swappable doctors reordered to obey the symmetry breaking."""
        choices = dict(choices)
        for group in self.interchangeable_groups():
            plans = [[choices.get(t) for t in doctor_tasks] for doctor_tasks in group]
            plans.sort(key=lambda plan: self.choice_key(plan[0]))
            for doctor_tasks, plan in zip(group, plans, strict=True):
                for t, choice in zip(doctor_tasks, plan, strict=True):
                    if choice is None:
                        choices.pop(t, None)
                    else:
                        choices[t] = choice
        return choices

    def hint(self, choices: dict[int, Choice]) -> None:
        self.cp.clear_hints()
        for t in self.ids:
            for o, s, lit in self.literals[t]:
                self.cp.add_hint(lit, choices.get(t) == (o, s))

    def read(self, solver: cp_model.CpSolver) -> dict[int, Choice]:
        return {
            t: (o, s) for t in self.ids for o, s, lit in self.literals[t] if solver.value(lit)
        }
