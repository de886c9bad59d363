"""PURE: a doctor's own rotations and what stops a cohort from being scheduled.

Plain frozen dataclasses in, plain values out; no Flask, no SQLAlchemy, no models. The
service builds a ``CohortPlan`` from the database; tests build one by hand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from somet.core.problems import Problem, problem
from somet.core.workdays import working_days

OWN, NAMED, DEPARTMENTS = "own", "named", "departments"


@dataclass(frozen=True)
class DepartmentInfo:
    id: int
    name: str
    specialty: str
    capacity: int
    working_weekdays: tuple[int, ...]
    closed: frozenset[date] = frozenset()  # hospital holidays and department closures
    active: bool = True


@dataclass(frozen=True)
class ItemInfo:
    id: int
    name: str
    mode: str  # own / named / departments
    days: int
    required: bool
    specialty: str | None = None
    options: dict[int, int] = field(default_factory=dict)  # department id -> preference


@dataclass(frozen=True)
class DoctorInfo:
    name: str | tuple  # a name, or its parts (localisation.PersonName) worded at the edge
    specialty: str | None
    arrival: date | None
    departure: date | None
    overrides: dict[int, dict[int, int]] = field(default_factory=dict)  # item -> dept -> pref
    enrollment_id: int = 0
    masterclass_days: frozenset[date] = frozenset()  # blocked for rotations (masterclasses/days)


@dataclass(frozen=True)
class CohortPlan:
    start: date
    end: date
    departments: tuple[DepartmentInfo, ...]
    items: tuple[ItemInfo, ...]
    doctors: tuple[DoctorInfo, ...]


def rotation_options(plan: CohortPlan, doctor: DoctorInfo, item: ItemInfo) -> dict[int, int]:
    """The departments (id -> preference points) where ``doctor`` may do ``item``.

    A director's override replaces the item's options for that doctor. "Own specialty" and
    "named specialty" items reach every active host department of that specialty; their
    listed options only add preference points.
    """
    if item.id in doctor.overrides:
        return dict(doctor.overrides[item.id])
    active = [d for d in plan.departments if d.active]
    if item.mode == DEPARTMENTS:
        ids = {d.id for d in active}
        return {dept: pref for dept, pref in item.options.items() if dept in ids}
    specialty = doctor.specialty if item.mode == OWN else item.specialty
    if not specialty:
        return {}
    return {d.id: item.options.get(d.id, 0) for d in active if d.specialty == specialty}


def readiness_problems(plan: CohortPlan) -> list[Problem]:
    """What stops the cohort from being scheduled, as problems (empty when it is ready)."""
    problems = []
    if not plan.doctors:
        problems.append(problem("readiness.no_doctor"))
    if not any(item.required for item in plan.items):
        problems.append(problem("readiness.no_required_rotation"))
    for doctor in plan.doctors:
        problems.extend(_doctor_problems(plan, doctor))
    problems.extend(_capacity_problems(plan))
    return problems


def _doctor_problems(plan: CohortPlan, doctor: DoctorInfo) -> list[Problem]:
    problems = []
    if not doctor.specialty and any(i.mode == OWN for i in plan.items):
        problems.append(problem("readiness.no_specialty", doctor=doctor.name))
    if doctor.arrival is None or doctor.departure is None:
        problems.append(problem("readiness.no_dates", doctor=doctor.name))
        return problems
    for item in plan.items:
        if item.required and not rotation_options(plan, doctor, item):
            problems.append(
                problem("readiness.no_department", doctor=doctor.name, rotation=item.name)
            )
    needed = sum(item.days for item in plan.items if item.required)
    weekdays = tuple(sorted({w for d in plan.departments for w in d.working_weekdays}))
    first, last = max(doctor.arrival, plan.start), min(doctor.departure, plan.end)
    stay_days = working_days(first, last, weekdays)
    at_masterclasses = sum(day in doctor.masterclass_days for day in stay_days)
    stay = len(stay_days) - at_masterclasses
    if needed > stay:
        problems.append(
            problem(
                "readiness.stay_too_short",
                doctor=doctor.name,
                needed=needed,
                stay=stay,
                masterclass_days=at_masterclasses,
            )
        )
    return problems


def _capacity_problems(plan: CohortPlan) -> list[Problem]:
    """Required doctor-days per group of departments against what those departments can host.

    For each set of departments that some required rotation may use, every demand that can
    only go to departments of that set must fit its capacity (a necessary condition).
    """
    demand: dict[frozenset[int], int] = defaultdict(int)
    for doctor in plan.doctors:
        if doctor.arrival is None or doctor.departure is None:
            continue
        for item in plan.items:
            options = frozenset(rotation_options(plan, doctor, item))
            if item.required and options:
                demand[options] += item.days
    by_id = {d.id: d for d in plan.departments}
    problems = []
    for group in sorted(demand, key=lambda g: sorted(g)):
        needed = sum(days for other, days in demand.items() if other <= group)
        can_host = sum(_doctor_days(plan, by_id[dept]) for dept in group)
        if needed > can_host:
            names = tuple(sorted(by_id[dept].name for dept in group))
            problems.append(
                problem(
                    "readiness.over_capacity",
                    needed=needed,
                    departments=names,
                    start=plan.start,
                    end=plan.end,
                    can_host=can_host,
                )
            )
    return problems


def _doctor_days(plan: CohortPlan, department: DepartmentInfo) -> int:
    days = working_days(plan.start, plan.end, department.working_weekdays, department.closed)
    return department.capacity * len(days)
