"""Why no valid schedule exists, in words a programme director can act on."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .instance import rotation_of
from .model import build_model
from .space import Space, Task, department_capacity, run_lengths


def precheck(space: Space) -> list[str]:
    """Quick necessary conditions; each message names a reason no schedule can exist."""
    problems = _fixed_problems(space)
    if problems:
        return problems
    for task in space.open_tasks:
        if task.required and not task.candidates:
            problems.append(_unplaceable(space, task))
    problems += _doctor_totals(space)
    problems += _department_demand(space)
    return problems


def _when(days) -> str:
    days = sorted(days)
    shown = ", ".join(d.isoformat() for d in days[:5])
    return shown + (f" and {len(days) - 5} more" if len(days) > 5 else "")


def _fixed_problems(space: Space) -> list[str]:
    instance, problems = space.instance, []
    days, index = instance.working_days, instance.day_index
    per_day = defaultdict(list)
    for fixed in instance.fixed:
        doctor = instance.doctor_by_id[fixed.doctor]
        rotation = rotation_of(doctor, fixed.rotation)
        what = f"the fixed placement of {fixed.doctor} {fixed.rotation} in {fixed.department}"
        if fixed.department not in rotation.options:
            problems.append(f"{what} is not one of the rotation's departments")
        if (fixed.doctor, fixed.rotation, fixed.department) in instance.forbidden_set:
            problems.append(f"{what} is also forbidden (declined by the host)")
        if fixed.start not in index:
            problems.append(f"{what} starts on {fixed.start}, which is not a working day")
            continue
        s = index[fixed.start]
        if s + rotation.days > len(days):
            problems.append(f"{what} needs {rotation.days} working days from {fixed.start} but "
                            f"only {len(days) - s} remain up to the end ({instance.end})")
        occupied = days[s: s + rotation.days]
        dept = instance.department_by_id[fixed.department]
        outside = [d for d in occupied if not doctor.available_from <= d <= doctor.available_to]
        if outside:
            problems.append(f"{what} falls on {_when(outside)}, outside {fixed.doctor}'s dates "
                            f"({doctor.available_from} to {doctor.available_to})")
        if blocked := [d for d in occupied if d in doctor.blocked]:
            problems.append(f"{what} falls on {_when(blocked)}, blocked for {fixed.doctor}")
        if closed := [d for d in occupied if d in dept.closed]:
            problems.append(f"{what} falls on {_when(closed)}, when {dept.id} is closed")
        for day in occupied:
            per_day[fixed.doctor, day].append(fixed.rotation)
            per_day[fixed.department, day].append(fixed.doctor)
    return problems + _fixed_clashes(space, per_day)


def _fixed_clashes(space: Space, per_day: dict) -> list[str]:
    problems, departments = [], space.instance.department_by_id
    clashes = defaultdict(list)
    for (who, day), items in per_day.items():
        if who in departments and len(items) > departments[who].capacity:
            clashes[who, len(items)].append(day)
        elif who not in departments and len(items) > 1:
            clashes[who, " and ".join(sorted(set(items)))].append(day)
    for (who, what), days in sorted(clashes.items(), key=str):
        if who in departments:
            problems.append(f"{what} fixed placements are in {who} on {_when(days)}, but it can "
                            f"host {departments[who].capacity} a day")
        else:
            problems.append(f"the fixed placements of {who} {what} overlap on {_when(days)}")
    return problems


def _unplaceable(space: Space, task: Task) -> str:
    """Why a required rotation has no possible placement at all."""
    instance, rotation = space.instance, task.rotation
    doctor = instance.doctors[task.doctor]
    what = f"{task.doctor_id}'s required rotation {rotation.id}"
    allowed = [d for d in rotation.options
               if (task.doctor_id, rotation.id, d) not in instance.forbidden_set]
    if not rotation.options:
        return f"{what} has no department to go to"
    if not allowed:
        return f"{what} cannot go anywhere: {', '.join(rotation.options)} declined it (forbidden)"
    longest = max(run_lengths(space.free[task.doctor]), default=0)
    need = f"{what} needs {rotation.days} consecutive working days"
    dates = f"{doctor.available_from} to {doctor.available_to}"
    if longest < rotation.days:
        blocked = [d for d in doctor.blocked if instance.start <= d <= instance.end]
        extra = f" (blocked: {_when(blocked)})" if blocked else ""
        return f"{need}, but within {task.doctor_id}'s dates ({dates}) the longest free run is " \
               f"{longest} working days{extra}"
    parts = []
    for dept_id in allowed:
        dept = instance.department_by_id[dept_id]
        open_days = [c > 0 for c in department_capacity(instance, dept)]
        ok = [f and o for f, o in zip(space.free[task.doctor], open_days, strict=True)]
        closed = [d for d in dept.closed if doctor.available_from <= d <= doctor.available_to]
        cause = f"closed on {_when(closed)}" if closed else "open"
        if max(run_lengths(ok), default=0) >= rotation.days:
            cause = "full with fixed placements"
        parts.append(f"{dept_id} is {cause}")
    return f"{need} within {task.doctor_id}'s dates ({dates}), but {'; '.join(parts)}, " \
           f"which leaves no such run"


def _doctor_totals(space: Space) -> list[str]:
    problems = []
    for i, doctor in enumerate(space.instance.doctors):
        tasks = [space.tasks[t] for t in space.tasks_of_doctor[i] if space.tasks[t].required]
        need = sum(t.days for t in tasks)
        free = sum(space.free[i])
        if need > free:
            detail = ", ".join(f"{t.rotation.id} {t.days}" for t in tasks)
            problems.append(f"{doctor.id}'s required rotations need {need} working days "
                            f"({detail}), but {doctor.id} has only {free} free working days "
                            f"between {doctor.available_from} and {doctor.available_to}")
    return problems


def _department_demand(space: Space) -> list[str]:
    """Required rotations that can only go to one department, against what it can host."""
    spans = defaultdict(list)
    for task in space.tasks:
        if task.fixed is not None and task.fixed[1] >= 0:
            k, s, _ = task.fixed
            spans[k].append((s, s + task.days - 1, task.days))
        elif task.required and len({c[0] for c in task.candidates}) == 1:
            starts = [c[1] for c in task.candidates]
            spans[task.candidates[0][0]].append((min(starts), max(starts) + task.days - 1,
                                                 task.days))
    problems = []
    for k, items in sorted(spans.items()):
        worst = _worst_window(space.capacity[k], items)
        if worst is not None:
            problems.append(_demand_message(space, k, *worst))
    return problems


def _worst_window(capacity: list[int], items: list[tuple[int, int, int]]):
    """The window [a, b] where demand inside it most exceeds the department's supply."""
    best, prefix = None, [0]
    for c in capacity:
        prefix.append(prefix[-1] + c)
    for a in sorted({lo for lo, _, _ in items}):
        inside = sorted((hi, days) for lo, hi, days in items if lo >= a)
        demand, group = 0, []
        for hi, days in inside:
            demand += days
            group.append(days)
            excess = demand - (prefix[hi + 1] - prefix[a])
            if excess > 0 and (best is None or excess > best[0]):
                best = (excess, a, hi, list(group))
    return None if best is None else best[1:]


def _demand_message(space: Space, k: int, a: int, b: int, group: list[int]) -> str:
    days = space.instance.working_days
    dept = space.instance.departments[k]
    open_days = sum(1 for t in range(a, b + 1) if space.capacity[k][t] > 0)
    length = str(group[0]) if min(group) == max(group) else f"{min(group)} to {max(group)}"
    supply = sum(space.capacity[k][a: b + 1])
    return (f"{len(group)} doctors need {dept.id} for {length} days between {days[a]} and "
            f"{days[b]}, but it can host {dept.capacity} a day on {open_days} working days: "
            f"{supply} doctor-days for {sum(group)} needed")


def explain_infeasible(space: Space, time_limit: float, workers: int = 1,
                       seed: int = 0) -> list[str]:
    """Name a small set of required rotations that cannot all be placed together."""
    core = _core(space, time_limit, seed)
    if not core:
        return ["no valid schedule exists: the required rotations cannot all be placed within "
                "the departments' capacities, closed days and the doctors' dates"]
    names = "; ".join(_describe(space, space.tasks[t]) for t in core)
    depts = sorted({c[0] for t in core for c in space.tasks[t].candidates})
    hosts = ", ".join(f"{space.department_ids[k]} ({space.instance.departments[k].capacity} a day)"
                      for k in depts)
    return [f"these {len(core)} required rotations cannot all be placed together: {names}; "
            f"they compete for {hosts} on the days their doctors are available"]


def _describe(space: Space, task: Task) -> str:
    depts = sorted({space.department_ids[c[0]] for c in task.candidates})
    return f"{task.doctor_id} {task.rotation.id} ({task.days} days in {' or '.join(depts)})"


def _core(space: Space, time_limit: float, seed: int) -> list[int]:
    built = build_model(space, [t.index for t in space.open_tasks], space.room, assume=True,
                        symmetry=False)
    built.model.clear_objective()
    keep = sorted(built.assumptions)
    core = _infeasible_subset(built, keep, time_limit / 2, seed)
    if core is None:
        return []
    for index in list(core) if len(core) <= 20 else []:
        trial = [t for t in core if t != index]
        smaller = _infeasible_subset(built, trial, time_limit / (2 * len(core)), seed)
        if smaller is not None:
            core = smaller
    return sorted(core)


def _infeasible_subset(built, keep: list[int], time_limit: float, seed: int):
    """A subset of `keep` shown infeasible together, or None when not shown so."""
    built.model.clear_assumptions()
    built.model.add_assumptions([built.assumptions[t] for t in keep])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(time_limit, 0.05)
    solver.parameters.num_search_workers = 1
    solver.parameters.random_seed = seed
    if solver.solve(built.model) != cp_model.INFEASIBLE:
        return None
    found = set(solver.sufficient_assumptions_for_infeasibility())
    lits = {built.assumptions[t].index: t for t in keep}
    return [t for i, t in lits.items() if i in found] or keep
