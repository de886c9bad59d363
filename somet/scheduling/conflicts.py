"""Explanations as facts: why no valid schedule exists, and why an optional rotation is out.

Cheap counting arguments come first (a rotation that fits nowhere, a doctor with more
required days than free days, a department with fewer places than the rotations that can
only go there); when they find nothing, CP-SAT names a small set of required rotations that
cannot all be placed together, and we describe what they compete for. Each explanation is a
``Problem`` (code and instance ids, days, counts); ``wording`` gives the contract's English.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from somet.core.problems import Problem, problem
from somet.scheduling.instance import Instance
from somet.scheduling.space import Task, doctor_free_days, valid_starts

CORE_LISTED = 12  # rotations of a conflict named one by one; the rest are counted


def _ids(instance: Instance, task: Task) -> dict:
    doctor = instance.doctors[task.doctor]
    return {"doctor": doctor.id, "rotation": doctor.rotations[task.rotation].id}


def preflight(instance: Instance, tasks: list[Task]) -> list[Problem]:
    """Problems found by counting alone; empty when counting finds no obstacle."""
    problems = [_fixed_problem(instance, f) for f in instance.fixed]
    problems = [p for p in problems if p]
    for task in tasks:
        if task.required and not task.fixed and not any(o.starts for o in task.options):
            problems.append(problem("schedule.fits_nowhere", **_ids(instance, task),
                                    days=task.days, why=nowhere_reason(instance, task)))
    if problems:
        return problems
    return _doctor_overload(instance, tasks) + _department_overload(instance, tasks)


def _fixed_problem(instance: Instance, fixed) -> Problem | None:
    why = _fixed_obstacle(instance, fixed)
    if why is None:
        return None
    return problem("schedule.fixed_impossible", doctor=fixed.doctor, rotation=fixed.rotation,
                   department=fixed.department, start=fixed.start, why=why)


def _fixed_obstacle(instance: Instance, fixed) -> Problem | None:
    doctor = instance.doctor_by_id[fixed.doctor]
    rotation = doctor.rotation(fixed.rotation)
    dept = instance.department_by_id[fixed.department]
    if rotation.points(dept.id) is None:
        return problem("schedule.not_an_option", department=dept.id)
    if (doctor.id, rotation.id, dept.id) in instance.forbidden:
        return problem("schedule.fixed_forbidden")
    first = instance.day_index.get(fixed.start)
    if first is None:
        return problem("schedule.not_working_day", day=fixed.start)
    days = instance.working_days[first : first + rotation.days]
    if len(days) < rotation.days:
        return problem("schedule.past_end", days=rotation.days, end=instance.end)
    for day in days:
        if not doctor.available_from <= day <= doctor.available_to:
            return problem("schedule.unavailable", doctor=doctor.id, day=day)
        if day in doctor.blocked:
            return problem("schedule.blocked", doctor=doctor.id, day=day)
        if day in dept.closed:
            return problem("schedule.closed", department=dept.id, day=day)
    if dept.capacity == 0:
        return problem("schedule.department_no_capacity", department=dept.id)
    return None


def nowhere_reason(instance: Instance, task: Task) -> Problem:
    """Why a rotation has no possible place at all, for the doctor alone."""
    doctor = instance.doctors[task.doctor]
    rotation = doctor.rotations[task.rotation]
    declined = [d for d, _ in rotation.options if (doctor.id, rotation.id, d) in instance.forbidden]
    if not rotation.options:
        return problem("schedule.no_departments")
    if len(declined) == len(rotation.options):
        if len(declined) == 1:
            return problem("schedule.only_department_forbidden")
        return problem("schedule.all_departments_forbidden")
    free = doctor_free_days(instance, doctor)
    if not valid_starts(free, task.days):
        blocked = tuple(sorted(d for d in doctor.blocked if instance.start <= d <= instance.end))
        return problem("schedule.no_free_run", doctor=doctor.id, days=task.days,
                       first=max(doctor.available_from, instance.start),
                       last=min(doctor.available_to, instance.end), days_list=blocked)
    usable = [instance.department_by_id[d] for d, _ in rotation.options if d not in declined]
    return _closed_reason(instance, doctor, task, usable)


def _closed_reason(instance: Instance, doctor, task: Task, usable: list) -> Problem:
    if all(dept.capacity == 0 for dept in usable):
        return problem("schedule.no_capacity", departments=tuple(d.id for d in usable))
    first = max(doctor.available_from, instance.start)
    last = min(doctor.available_to, instance.end)
    closures = []
    for dept in usable:
        days = tuple(d for d in sorted(dept.closed) if first <= d <= last)
        if dept.capacity > 0 and days:
            closures.append({"department": dept.id, "days_list": days})
    return problem("schedule.closed_days_in_way", doctor=doctor.id, days=task.days,
                   closures=tuple(closures))


def _doctor_overload(instance: Instance, tasks: list[Task]) -> list[Problem]:
    need: dict[int, int] = defaultdict(int)
    for task in tasks:
        if task.required:
            need[task.doctor] += task.days
    problems = []
    for d, days in need.items():
        doctor = instance.doctors[d]
        free = sum(doctor_free_days(instance, doctor))
        if days > free:
            problems.append(problem(
                "schedule.doctor_overload", doctor=doctor.id, needed=days, free=free,
                first=max(doctor.available_from, instance.start),
                last=min(doctor.available_to, instance.end),
            ))
    return problems


def _department_overload(instance: Instance, tasks: list[Task]) -> list[Problem]:
    """Required rotations that can only go to a set of departments, against its doctor-days."""
    usable = {
        t: frozenset(o.department for o in task.options if o.starts)
        for t, task in enumerate(tasks) if task.required
    }
    problems = []
    for places in sorted(set(usable.values()), key=len):
        group = [tasks[t] for t, own in usable.items() if own <= places]
        found = _capacity_problem(instance, sorted(places), group)
        if found:
            problems.append(found)
    return problems


def _capacity_problem(instance: Instance, places: list[int], group: list[Task]) -> Problem | None:
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
    facts = {
        "doctors": len({t.doctor for t in group}), "departments": tuple(d.id for d in depts),
        "shortest": lengths[0], "longest": lengths[-1], "first": days[0], "last": days[-1],
        "supply": supply, "needed": need,
    }
    if len(depts) == 1:
        return problem("schedule.department_overload", **facts, capacity=depts[0].capacity,
                       open_days=open_days[0])
    return problem("schedule.departments_overload", **facts)


def explain(
    instance: Instance, tasks: list[Task], ids: list[int], workers: int = 1
) -> list[Problem]:
    """Why the required rotations among ``ids`` cannot all be placed together."""
    core = _conflict_core(instance, tasks, ids)
    if not core:
        return [problem("schedule.no_core")]
    rotations = tuple({**_ids(instance, tasks[t]), "fixed": tasks[t].fixed} for t in core)
    found = [problem("schedule.core", rotations=rotations[:CORE_LISTED],
                     more=max(0, len(rotations) - CORE_LISTED))]
    doctors = {tasks[t].doctor for t in core}
    if len(doctors) == 1:
        doctor = instance.doctors[doctors.pop()]
        free = sum(doctor_free_days(instance, doctor))
        found.append(problem("schedule.core_one_doctor", doctor=doctor.id, free=free,
                             needed=sum(tasks[t].days for t in core)))
    else:
        found.append(_shared_capacity(instance, [tasks[t] for t in core]))
    return found


def _shared_capacity(instance: Instance, group: list[Task]) -> Problem:
    """What the rotations of a conflict compete for: places in their departments."""
    places = sorted({o.department for t in group for o in t.options if o.starts})
    spans = [(s, s + t.days) for t in group for o in t.options if o.starts for s in o.starts]
    days = instance.working_days[min(a for a, _ in spans) : max(b for _, b in spans)]
    parts, supply = [], 0
    for k in places:
        dept = instance.departments[k]
        open_days = [d for d in days if d not in dept.closed]
        supply += dept.capacity * len(open_days)
        parts.append({"department": dept.id, "capacity": dept.capacity,
                      "open_days": len(open_days),
                      "days_list": tuple(sorted(set(days) - set(open_days)))})
    return problem("schedule.core_shared", first=days[0], last=days[-1],
                   needed=sum(t.days for t in group), parts=tuple(parts), supply=supply)


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


def unplaced_reason(instance: Instance, t: int, occupancy) -> Problem:
    """Why an optional rotation is left out, given the final schedule's ``occupancy``."""
    task = occupancy.tasks[t]
    if not any(o.starts for o in task.options):
        return nowhere_reason(instance, task)
    doctor_id = instance.doctors[task.doctor].id
    full = tuple(sorted({
        instance.departments[o.department].id
        for o in task.options for s in o.starts if not occupancy.doctor_busy(t, s)
    }))
    if not full:
        return problem("schedule.doctor_busy", doctor=doctor_id)
    return problem("schedule.departments_full", departments=full, doctor=doctor_id)
