"""The contract's English for the solver's problems (``somet-schedule/1`` result JSON, CLI).

The solver reports codes and instance ids; this is the one place that words them in English,
because the contract's ``reason`` and ``conflicts`` are text in English. Pages never use it:
they word the same codes in the reader's language (``somet.web.problem_texts``).
"""

from __future__ import annotations

from collections.abc import Callable

from somet.core.problems import Problem


def english(found: Problem) -> str:
    """The problem in the contract's English."""
    p = found.params
    return _WORDS[found.code](p)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _list(values) -> str:
    return ", ".join(map(str, values))


def _placement(p) -> str:
    return f"{p['doctor']}'s {p['rotation']} at {p['department']} from {p['start']}"


def _no_free_run(p) -> str:
    run = "free working day" if p["days"] == 1 else f"{p['days']} consecutive free working days"
    note = f", blocked on {_list(p['days_list'])}" if p["days_list"] else ""
    return f"{p['doctor']} has no {run} between {p['first']} and {p['last']}{note}"


def _closed_days(p) -> str:
    closed = "; ".join(f"{c['department']} on {_list(c['days_list'])}" for c in p["closures"])
    return (f"no {p['days']} consecutive free working days of {p['doctor']} avoid the closed "
            f"days ({closed})")


def _overload(p) -> str:
    span = (_days(p["shortest"]) if p["shortest"] == p["longest"]
            else f"{p['shortest']}–{_days(p['longest'])}")
    return (f"{p['doctors']} doctors need {_list(p['departments'])} for {span} between "
            f"{p['first']} and {p['last']}")


def _core(p) -> str:
    names = [f"{r['doctor']}'s {r['rotation']}" + (" (fixed)" if r["fixed"] else "")
             for r in p["rotations"]]
    if p["more"]:
        names.append(f"and {p['more']} more")
    return f"These required rotations cannot all be placed: {', '.join(names)}."


def _core_shared(p) -> str:
    parts = "; ".join(
        f"{d['department']} hosts {d['capacity']} a day on {d['open_days']} days"
        + (f", closed on {_list(d['days_list'])}" if d["days_list"] else "")
        for d in p["parts"]
    )
    return (f"Between {p['first']} and {p['last']} they need {p['needed']} doctor-days and "
            f"{parts} ({p['supply']} doctor-days), but their blocks of consecutive days "
            "do not fit together around the closed days, blocked days and the doctors' "
            "availability. Raise a capacity, shorten a rotation or allow another department.")


def _not_whole(p) -> str:
    limit = f" and ≤ {p['maximum']}" if p.get("maximum") is not None else ""
    return f"must be a whole number ≥ {p['minimum']}{limit}"


# A checker fault names its placement first; the same facts without it explain a fixed one.
def _fault(text: Callable) -> Callable:
    return lambda p: f"{_placement(p)}: {text(p)}" if "rotation" in p else text(p)


_WORDS: dict[str, Callable] = {
    "schedule.fits_nowhere": lambda p: (f"{p['doctor']}'s {p['rotation']} ({_days(p['days'])}) "
                                        f"fits nowhere: {english(p['why'])}"),
    "schedule.fixed_impossible": lambda p: (f"the fixed placement of {_placement(p)} is not "
                                            f"possible: {english(p['why'])}"),
    "schedule.not_an_option": lambda p: (
        f"{_placement(p)}: {p['department']} is not one of the rotation's departments"
        if "rotation" in p else f"{p['department']} is not one of the rotation's departments"),
    "schedule.fixed_forbidden": lambda p: "it is also forbidden (declined by the host)",
    "schedule.forbidden": lambda p: (f"{_placement(p)}: {p['department']} declined this "
                                     "rotation (forbidden)"),
    "schedule.not_working_day": _fault(lambda p: f"{p['day']} is not a working day of the period"),
    "schedule.past_end": lambda p: (
        f"{_placement(p)}: {p['days']} working days run past the end ({p['end']})"
        if "rotation" in p else f"{_days(p['days'])} run past the end ({p['end']})"),
    "schedule.unavailable": _fault(lambda p: f"{p['doctor']} is not available on {p['day']}"),
    "schedule.blocked": _fault(lambda p: f"{p['day']} is blocked for {p['doctor']}"),
    "schedule.closed": _fault(lambda p: f"{p['department']} is closed on {p['day']}"),
    "schedule.department_no_capacity": lambda p: f"{p['department']} has no capacity",
    "schedule.no_capacity": lambda p: f"{_list(p['departments'])} can host nobody (capacity 0)",
    "schedule.no_departments": lambda p: "it has no department to be done in",
    "schedule.only_department_forbidden": lambda p: (
        "its only department is forbidden (declined by the host)"),
    "schedule.all_departments_forbidden": lambda p: (
        "all its departments are forbidden (declined by the hosts)"),
    "schedule.no_free_run": _no_free_run,
    "schedule.closed_days_in_way": _closed_days,
    "schedule.doctor_overload": lambda p: (
        f"{p['doctor']}'s required rotations need {p['needed']} working days, but {p['doctor']} "
        f"is free on only {p['free']} between {p['first']} and {p['last']}"),
    "schedule.department_overload": lambda p: (
        f"{_overload(p)}, but it can host {p['capacity']} a day on {p['open_days']} working "
        f"days: {p['supply']} doctor-days for {p['needed']} needed"),
    "schedule.departments_overload": lambda p: (
        f"{_overload(p)}, but together they can host {p['supply']} doctor-days for "
        f"{p['needed']} needed"),
    "schedule.no_core": lambda p: (
        "No valid schedule exists, but no small set of rotations could be singled out; "
        "check capacities, closed days and the doctors' availability."),
    "schedule.core": _core,
    "schedule.core_one_doctor": lambda p: (
        f"{p['doctor']} is free on {p['free']} working days, but these rotations need "
        f"{p['needed']} in consecutive blocks that do not fit between the blocked, closed and "
        "unavailable days."),
    "schedule.core_shared": _core_shared,
    "schedule.time_limit": lambda p: ("No valid schedule was found within the time limit; "
                                      "try again with a longer time limit."),
    "schedule.doctor_busy": lambda p: (
        f"{p['doctor']} is busy with other rotations on every day it could be done"),
    "schedule.departments_full": lambda p: (
        f"{_list(p['departments'])} {'is' if len(p['departments']) == 1 else 'are'} full on "
        f"the days {p['doctor']} is free"),
    "schedule.placement_unreadable": lambda p: (
        f"placement {p['n']} ({p['doctor']}, {p['rotation']}, {p['department']}, {p['start']}) "
        "does not name a doctor, one of its rotations, a department and a start date of this "
        "instance"),
    "schedule.placed_twice": lambda p: f"{p['doctor']}'s {p['rotation']} is placed {p['count']} "
                                       "times",
    "schedule.required_missing": lambda p: (f"{p['doctor']}'s required {p['rotation']} is not "
                                            "placed"),
    "schedule.doctor_overlap": lambda p: (f"{p['doctor']} is in {p['count']} placements on "
                                          f"{p['day']} ({_list(p['rotations'])})"),
    "schedule.over_capacity": lambda p: (f"{p['department']} hosts {p['count']} doctors on "
                                         f"{p['day']} but its capacity is {p['capacity']}"),
    "schedule.fixed_not_kept": lambda p: f"the fixed placement of {_placement(p)} is not kept",
    "instance.not_object": lambda p: "must be a JSON object",
    "instance.bad_format": lambda p: f'must be "{p["format"]}"',
    "instance.end_before_start": lambda p: "must not be before start",
    "instance.to_before_from": lambda p: "must not be before available_from",
    "instance.not_bool": lambda p: "must be true or false",
    "instance.bad_options": lambda p: "must be an object of department: points",
    "instance.unknown_department": lambda p: "is not a known department",
    "instance.already_fixed": lambda p: (f"{p['doctor']}'s {p['rotation']} is already fixed in "
                                         f"fixed[{p['other']}]"),
    "instance.unknown_doctor": lambda p: "is not a known doctor",
    "instance.unknown_rotation": lambda p: f"is not a rotation of {p['doctor']}",
    "instance.not_an_object": lambda p: "must be an object",
    "instance.empty_id": lambda p: "must be a non-empty string",
    "instance.id_twice": lambda p: f'"{p["value"]}" is used twice',
    "instance.not_whole": _not_whole,
    "instance.not_list": lambda p: "must be a list",
    "instance.not_date": lambda p: "must be a date written YYYY-MM-DD",
}
