"""Explanations in words: why no valid schedule exists, and why an optional rotation is out.

Cheap counting arguments come first (a rotation that fits nowhere, a doctor with more
required days than free days, a department with fewer places than the rotations that can
only go there); when they find nothing, CP-SAT names a small set of required rotations that
cannot all be placed together, and we describe what they compete for.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from somet.scheduling.instance import Instance
from somet.scheduling.space import Task, doctor_free_days, valid_starts


def _name(instance: Instance, task: Task) -> str:
    doctor = instance.doctors[task.doctor]
    return f"{doctor.id}'s {doctor.rotations[task.rotation].id}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def preflight(instance: Instance, tasks: list[Task]) -> list[str]:
    """Reasons found by counting alone; empty when counting finds no obstacle."""
    problems = [_fixed_problem(instance, f) for f in instance.fixed]
    problems = [p for p in problems if p]
    for task in tasks:
        if task.required and not task.fixed and not any(o.starts for o in task.options):
            problems.append(f"{_name(instance, task)} ({_days(task.days)}) fits nowhere: "
                            f"{nowhere_reason(instance, task)}")
    if problems:
        return problems
    return _doctor_overload(instance, tasks) + _department_overload(instance, tasks)


def _fixed_problem(instance: Instance, fixed) -> str | None:
    doctor = instance.doctor_by_id[fixed.doctor]
    rotation = doctor.rotation(fixed.rotation)
    dept = instance.department_by_id[fixed.department]
    what = (f"the fixed placement of {fixed.doctor}'s {fixed.rotation} at {dept.id} "
            f"from {fixed.start}")
    if rotation.points(dept.id) is None:
        return f"{what} is not possible: {dept.id} is not one of the rotation's departments"
    if (doctor.id, rotation.id, dept.id) in instance.forbidden:
        return f"{what} is not possible: it is also forbidden (declined by the host)"
    first = instance.day_index.get(fixed.start)
    if first is None:
        return f"{what} is not possible: {fixed.start} is not a working day of the period"
    days = instance.working_days[first : first + rotation.days]
    if len(days) < rotation.days:
        return f"{what} is not possible: {_days(rotation.days)} run past the end ({instance.end})"
    for day in days:
        if not doctor.available_from <= day <= doctor.available_to:
            return f"{what} is not possible: {doctor.id} is not available on {day}"
        if day in doctor.blocked:
            return f"{what} is not possible: {day} is blocked for {doctor.id}"
        if day in dept.closed:
            return f"{what} is not possible: {dept.id} is closed on {day}"
    if dept.capacity == 0:
        return f"{what} is not possible: {dept.id} has no capacity"
    return None


def nowhere_reason(instance: Instance, task: Task) -> str:
    """Why a rotation has no possible place at all, for the doctor alone."""
    doctor = instance.doctors[task.doctor]
    rotation = doctor.rotations[task.rotation]
    declined = [d for d, _ in rotation.options if (doctor.id, rotation.id, d) in instance.forbidden]
    if not rotation.options:
        return "it has no department to be done in"
    if len(declined) == len(rotation.options):
        if len(declined) == 1:
            return "its only department is forbidden (declined by the host)"
        return "all its departments are forbidden (declined by the hosts)"
    free = doctor_free_days(instance, doctor)
    if not valid_starts(free, task.days):
        blocked = sorted(d for d in doctor.blocked if instance.start <= d <= instance.end)
        note = f", blocked on {', '.join(map(str, blocked))}" if blocked else ""
        run = "free working day" if task.days == 1 else f"{task.days} consecutive free working days"
        return (f"{doctor.id} has no {run} between "
                f"{max(doctor.available_from, instance.start)} and "
                f"{min(doctor.available_to, instance.end)}{note}")
    usable = [instance.department_by_id[d] for d, _ in rotation.options if d not in declined]
    return _closed_reason(instance, doctor, task, usable)


def _closed_reason(instance: Instance, doctor, task: Task, usable: list) -> str:
    if all(dept.capacity == 0 for dept in usable):
        return f"{', '.join(d.id for d in usable)} can host nobody (capacity 0)"
    first = max(doctor.available_from, instance.start)
    last = min(doctor.available_to, instance.end)
    closed = []
    for dept in usable:
        days = [str(d) for d in sorted(dept.closed) if first <= d <= last]
        if dept.capacity > 0 and days:
            closed.append(f"{dept.id} on {', '.join(days)}")
    return (f"no {task.days} consecutive free working days of {doctor.id} avoid the closed "
            f"days ({'; '.join(closed)})")


def _doctor_overload(instance: Instance, tasks: list[Task]) -> list[str]:
    need: dict[int, int] = defaultdict(int)
    for task in tasks:
        if task.required:
            need[task.doctor] += task.days
    problems = []
    for d, days in need.items():
        doctor = instance.doctors[d]
        free = sum(doctor_free_days(instance, doctor))
        if days > free:
            problems.append(
                f"{doctor.id}'s required rotations need {days} working days, but {doctor.id} "
                f"is free on only {free} between {max(doctor.available_from, instance.start)} "
                f"and {min(doctor.available_to, instance.end)}"
            )
    return problems


def _department_overload(instance: Instance, tasks: list[Task]) -> list[str]:
    """Required rotations that can only go to a set of departments, against its doctor-days."""
    usable = {
        t: frozenset(o.department for o in task.options if o.starts)
        for t, task in enumerate(tasks) if task.required
    }
    problems = []
    for places in sorted(set(usable.values()), key=len):
        group = [tasks[t] for t, own in usable.items() if own <= places]
        message = _capacity_message(instance, sorted(places), group)
        if message:
            problems.append(message)
    return problems


def _capacity_message(instance: Instance, places: list[int], group: list[Task]) -> str | None:
    starts = [(s, t.days) for t in group for o in t.options if o.department in places
              for s in o.starts]
    days = instance.working_days[min(s for s, _ in starts) : max(s + n for s, n in starts)]
    depts = [instance.departments[k] for k in places]
    open_days = [sum(1 for d in days if d not in dept.closed) for dept in depts]
    supply = sum(dept.capacity * n for dept, n in zip(depts, open_days, strict=True))
    need = sum(t.days for t in group)
    if need <= supply:
        return None
    lengths = sorted({t.days for t in group})
    span = _days(lengths[0]) if len(lengths) == 1 else f"{lengths[0]}–{_days(lengths[-1])}"
    doctors = len({t.doctor for t in group})
    where = f"{doctors} doctors need {', '.join(d.id for d in depts)} for {span} between " \
            f"{days[0]} and {days[-1]}"
    if len(depts) == 1:
        return (f"{where}, but it can host {depts[0].capacity} a day on {open_days[0]} "
                f"working days: {supply} doctor-days for {need} needed")
    return f"{where}, but together they can host {supply} doctor-days for {need} needed"


def explain(instance: Instance, tasks: list[Task], ids: list[int], workers: int = 1) -> list[str]:
    """Why the required rotations among ``ids`` cannot all be placed together."""
    core = _conflict_core(instance, tasks, ids)
    if not core:
        return ["No valid schedule exists, but no small set of rotations could be singled out; "
                "check capacities, closed days and the doctors' availability."]
    names = [_name(instance, tasks[t]) + (" (fixed)" if tasks[t].fixed else "") for t in core]
    if len(names) > 12:
        names = [*names[:12], f"and {len(names) - 12} more"]
    messages = [f"These required rotations cannot all be placed: {', '.join(names)}."]
    doctors = {tasks[t].doctor for t in core}
    if len(doctors) == 1:
        doctor = instance.doctors[doctors.pop()]
        free = sum(doctor_free_days(instance, doctor))
        messages.append(f"{doctor.id} is free on {free} working days, but these rotations "
                        f"need {sum(tasks[t].days for t in core)} in consecutive blocks that "
                        "do not fit between the blocked, closed and unavailable days.")
    else:
        messages.append(_shared_capacity(instance, [tasks[t] for t in core]))
    return messages


def _shared_capacity(instance: Instance, group: list[Task]) -> str:
    """What the rotations of a conflict compete for: places in their departments."""
    places = sorted({o.department for t in group for o in t.options if o.starts})
    spans = [(s, s + t.days) for t in group for o in t.options if o.starts for s in o.starts]
    days = instance.working_days[min(a for a, _ in spans) : max(b for _, b in spans)]
    parts, supply = [], 0
    for k in places:
        dept = instance.departments[k]
        open_days = [d for d in days if d not in dept.closed]
        supply += dept.capacity * len(open_days)
        closed = sorted(set(days) - set(open_days))
        note = f", closed on {', '.join(map(str, closed))}" if closed else ""
        parts.append(f"{dept.id} hosts {dept.capacity} a day on {len(open_days)} days{note}")
    need = sum(t.days for t in group)
    return (f"Between {days[0]} and {days[-1]} they need {need} doctor-days and "
            f"{'; '.join(parts)} ({supply} doctor-days), but their blocks of consecutive days "
            "do not fit together around the closed days, blocked days and the doctors' "
            "availability. Raise a capacity, shorten a rotation or allow another department.")


def _conflict_core(instance: Instance, tasks: list[Task], ids: list[int]) -> list[int]:
    """A small set of required tasks that cannot all be placed (an unsatisfiable core)."""
    from somet.scheduling.model import ScheduleModel

    model = ScheduleModel(instance, tasks, ids, plain=True, relax=True)
    model.cp.clear_objective()
    switches = {}
    for t in ids:
        if tasks[t].required:
            # re-state "placed exactly once" as "placed at most once, and once if switched on"
            switches[t] = model.cp.new_bool_var(f"need{t}")
            model.cp.add(sum(lit for _, _, lit in model.literals[t]) == 1).only_enforce_if(
                switches[t]
            )
    model.cp.add_assumptions(list(switches.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    if solver.solve(model.cp) != cp_model.INFEASIBLE:
        return []
    chosen = set(solver.sufficient_assumptions_for_infeasibility())
    return [t for t, lit in switches.items() if lit.index in chosen]


def unplaced_reason(instance: Instance, t: int, occupancy) -> str:
    """Why an optional rotation is left out, given the final schedule's ``occupancy``."""
    task = occupancy.tasks[t]
    if not any(o.starts for o in task.options):
        return nowhere_reason(instance, task)
    doctor_id = instance.doctors[task.doctor].id
    full = sorted({
        instance.departments[o.department].id
        for o in task.options for s in o.starts if not occupancy.doctor_busy(t, s)
    })
    if not full:
        return f"{doctor_id} is busy with other rotations on every day it could be done"
    return (f"{', '.join(full)} {'is' if len(full) == 1 else 'are'} full on the days "
            f"{doctor_id} is free")
