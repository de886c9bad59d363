"""A quick greedy schedule (the solver's starting hint) and the day-by-day occupancy it uses.

Required rotations with the fewest possible places go first, then optional ones by value
per day; each takes its most valuable place, preferring the days where the department is
emptiest so that later rotations still fit.
"""

from __future__ import annotations

from somet.scheduling.instance import Instance
from somet.scheduling.space import Task

Choice = tuple[int, int]


class Occupancy:
    """How many doctors each department hosts, and which days each doctor is taken, per day."""

    def __init__(self, instance: Instance, tasks: list[Task]):
        width = len(instance.working_days)
        self.tasks = tasks
        self.capacity = [d.capacity for d in instance.departments]
        self.load = [[0] * width for _ in instance.departments]
        self.busy = [[False] * width for _ in instance.doctors]

    def place(self, t: int, choice: Choice) -> None:
        task = self.tasks[t]
        row = self.load[task.options[choice[0]].department]
        for day in range(choice[1], choice[1] + task.days):
            row[day] += 1
            self.busy[task.doctor][day] = True

    def doctor_busy(self, t: int, start: int) -> bool:
        task = self.tasks[t]
        return any(self.busy[task.doctor][start : start + task.days])

    def slack(self, t: int, choice: Choice) -> int:
        """Places left in the department on its fullest day of this block."""
        task = self.tasks[t]
        k = task.options[choice[0]].department
        row = self.load[k][choice[1] : choice[1] + task.days]
        return self.capacity[k] - max(row)

    def best_place(self, t: int) -> Choice | None:
        best, best_key = None, None
        for o, option in enumerate(self.tasks[t].options):
            for s in option.starts:
                if self.doctor_busy(t, s):
                    continue
                slack = self.slack(t, (o, s))
                key = (option.value, slack, -s)
                if slack > 0 and (best_key is None or key > best_key):
                    best, best_key = (o, s), key
        return best


def greedy_schedule(instance: Instance, tasks: list[Task], ids: list[int]) -> dict[int, Choice]:
    occupancy = Occupancy(instance, tasks)
    choices: dict[int, Choice] = {}
    for t in sorted(ids, key=lambda t: _priority(tasks[t])):
        choice = occupancy.best_place(t)
        if choice is not None:
            choices[t] = choice
            occupancy.place(t, choice)
    return choices


def fill_in(instance: Instance, tasks: list[Task], choices: dict[int, Choice]) -> Occupancy:
    """Add every left-out rotation that still fits (it cannot lower the score)."""
    occupancy = Occupancy(instance, tasks)
    for t, choice in choices.items():
        occupancy.place(t, choice)
    for t in sorted(range(len(tasks)), key=lambda t: _priority(tasks[t])):
        if t not in choices:
            choice = occupancy.best_place(t)
            if choice is not None:
                choices[t] = choice
                occupancy.place(t, choice)
    return occupancy


def _priority(task: Task) -> tuple:
    places = sum(len(o.starts) for o in task.options)
    if task.required:
        return (0, places, -task.days)
    return (1, -task.best_value / task.days, places)
