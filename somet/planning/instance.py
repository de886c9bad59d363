"""From the database to a somet-schedule/1 instance for one cohort (and back to ids).

The translation, rule by rule:

- doctors are the cohort's enrollments that are not withdrawn (id ``enr-<enrollment id>``),
  available from arrival to departure (clamped to the cohort's dates);
- a curriculum item is a rotation (id ``item-<item id>``). Its options: the doctor's own
  ``EnrollmentOption`` rows when there are any (they replace the item's); otherwise for
  ``DEPARTMENTS`` the item's ``CurriculumOption`` rows; for ``OWN`` (the doctor's specialty)
  and ``NAMED`` (the item's specialty) every active department of that specialty at the
  cohort's host hospitals plus listed options of that specialty, with the listed preference
  points (0 when not listed). A rotation without any option is left out, with a warning;
- the week is the union of the hospitals' working weekdays; a department is closed on days
  its own hospital does not work, on its hospital's holidays and on its closure days;
- masterclass days are blocked by the one rule of ``somet.masterclasses.rules`` (local dates in
  the masterclass's time zone; a class meant for a cohort blocks every doctor of it, one open
  to all only the doctors holding a place), through ``masterclasses.masterclass_days_for``;
- this cohort's requested and confirmed placements are ``fixed``; declined ones ``forbidden``;
- other cohorts' requested and confirmed placements hold places: see ``held_capacity``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from somet.core.errors import NotFound
from somet.core.localisation import name_parts_of
from somet.core.problems import Problem, problem
from somet.core.workdays import is_working_day, working_days
from somet.masterclasses.operations import masterclass_days_for
from somet.models import (
    Cohort,
    CohortHost,
    CurriculumItem,
    Department,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Placement,
    PlacementStatus,
    SpecialtyMode,
)
from somet.planning.rules import held_capacity
from somet.web.extensions import db

FORMAT = "somet-schedule/1"


def doctor_key(enrollment_id: int) -> str:
    return f"enr-{enrollment_id}"


def rotation_key(item_id: int) -> str:
    return f"item-{item_id}"


def department_key(department_id: int) -> str:
    return f"dept-{department_id}"


def key_id(key: str) -> int:
    """The database id inside an instance id such as ``enr-12``."""
    return int(key.rsplit("-", 1)[1])


@dataclass
class PlanningInstance:
    """An instance document plus what is needed to read its result back."""

    cohort: Cohort
    document: dict
    enrollments: dict[str, Enrollment] = field(default_factory=dict)
    items: dict[str, CurriculumItem] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    holder_fixed: list[dict] = field(default_factory=list)
    days: list[date] = field(default_factory=list)
    # Days a department is open but other cohorts hold all its places: the instance calls
    # them closed (the format has one capacity per department); messages should not.
    full_days: dict[str, set[date]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def rotation_count(self) -> int:
        """How many doctor-rotations the cohort's doctors have (the size of the plan)."""
        doctors = self.document["doctors"]
        return sum(len(d["rotations"]) for d in doctors if not held_capacity.is_holder(d["id"]))


def build_instance(cohort_id: int, *, cohort_fixed: bool = True) -> PlanningInstance:
    """The instance for ``cohort_id``; ``cohort_fixed=False`` leaves out the cohort's own fixed."""
    cohort = _load_cohort(cohort_id)
    enrollments = _load_enrollments(cohort_id)
    placements = _load_placements(cohort_id)
    departments = _load_departments(cohort, enrollments, placements)
    weekdays = sorted({n for d in departments.values() for n in d.hospital.weekday_numbers})
    plan = PlanningInstance(cohort=cohort, document={}, departments=departments)
    plan.items = {rotation_key(item.id): item for item in cohort.curriculum}
    plan.days = working_days(cohort.start_date, cohort.end_date, weekdays)
    plan.document = {
        "format": FORMAT,
        "start": cohort.start_date.isoformat(),
        "end": cohort.end_date.isoformat(),
        "working_weekdays": weekdays,
        "departments": [],
        "doctors": _doctors(plan, enrollments, _masterclass_days(cohort, enrollments)),
        "fixed": [],
        "forbidden": [],
    }
    _add_cohort_placements(plan, placements, cohort_fixed)
    # A doctor left without any rotation has nothing to schedule (and the contract wants some).
    plan.document["doctors"] = [d for d in plan.document["doctors"] if d["rotations"]]
    _add_departments_and_holders(plan, _held_blocks(cohort, departments))
    return plan


def _load_cohort(cohort_id: int) -> Cohort:
    cohort = db.session.scalars(
        select(Cohort)
        .where(Cohort.id == cohort_id)
        .options(
            selectinload(Cohort.hosts).joinedload(CohortHost.hospital),
            selectinload(Cohort.curriculum).selectinload(CurriculumItem.options),
        )
    ).first()
    if cohort is None:
        raise NotFound(_("There is no such cohort."))
    return cohort


def _load_enrollments(cohort_id: int) -> list[Enrollment]:
    return list(
        db.session.scalars(
            select(Enrollment)
            .where(
                Enrollment.cohort_id == cohort_id, Enrollment.status != EnrollmentStatus.WITHDRAWN
            )
            .options(joinedload(Enrollment.doctor), selectinload(Enrollment.option_overrides))
            .order_by(Enrollment.id)
        )
    )


def _load_placements(cohort_id: int) -> list[Placement]:
    return list(
        db.session.scalars(
            select(Placement)
            .join(Enrollment, Placement.enrollment_id == Enrollment.id)
            .where(Enrollment.cohort_id == cohort_id)
            .order_by(Placement.id)
        )
    )


def _load_departments(cohort, enrollments, placements) -> dict[str, Department]:
    listed = {o.department_id for item in cohort.curriculum for o in item.options}
    listed |= {o.department_id for e in enrollments for o in e.option_overrides}
    listed |= {p.department_id for p in placements}
    hosts = [h.hospital_id for h in cohort.hosts]
    rows = db.session.scalars(
        select(Department)
        .where(or_(Department.hospital_id.in_(hosts), Department.id.in_(listed)))
        .options(
            selectinload(Department.closures),
            joinedload(Department.hospital).selectinload(Hospital.holidays),
        )
        .order_by(Department.id)
    )
    in_use = {p.department_id for p in placements if p.status in PlacementStatus.HOLDING}
    return {department_key(d.id): d for d in rows if d.active or d.id in in_use}


def _masterclass_days(cohort: Cohort, enrollments) -> dict[int, set[date]]:
    """Doctor id -> the masterclass days in the cohort's dates that are blocked for them."""
    doctor_ids = [e.doctor_id for e in enrollments]
    return masterclass_days_for(doctor_ids, cohort.start_date, cohort.end_date)


def _doctors(plan: PlanningInstance, enrollments, blocked: dict[int, set[date]]) -> list[dict]:
    cohort, doctors = plan.cohort, []
    for enrollment in enrollments:
        key = doctor_key(enrollment.id)
        first = max(enrollment.arrival_date or cohort.start_date, cohort.start_date)
        last = min(enrollment.departure_date or cohort.end_date, cohort.end_date)
        if first > last:
            absent = problem("planning.absent", doctor=name_parts_of(enrollment.doctor))
            plan.warnings.append(absent)
            continue
        plan.enrollments[key] = enrollment
        doctor = {
            "id": key,
            "available_from": first.isoformat(),
            "available_to": last.isoformat(),
            "blocked": sorted(d.isoformat() for d in blocked.get(enrollment.doctor_id, ())),
            "rotations": [],
        }
        for item in cohort.curriculum:
            rotation = _rotation(plan, item, enrollment)
            if rotation is not None:
                doctor["rotations"].append(rotation)
        doctors.append(doctor)
    return doctors


def _rotation(plan: PlanningInstance, item: CurriculumItem, enrollment: Enrollment) -> dict | None:
    options = _options(plan, item, enrollment)
    if not options:
        plan.warnings.append(
            problem("planning.no_department", doctor=name_parts_of(enrollment.doctor),
                    rotation=item.name, required=item.required)
        )
        return None
    return {
        "id": rotation_key(item.id),
        "required": item.required,
        "days": item.days,
        "weight": item.weight,
        "options": {department_key(d): points for d, points in sorted(options.items())},
    }


def _options(plan: PlanningInstance, item, enrollment) -> dict[int, int]:
    """Eligible department ids with their preference points (see the module doc)."""
    active = {d.id: d for d in plan.departments.values() if d.active}
    overrides = [o for o in enrollment.option_overrides if o.item_id == item.id]
    if overrides:
        return {o.department_id: o.preference for o in overrides if o.department_id in active}
    listed = {o.department_id: o.preference for o in item.options if o.department_id in active}
    if item.specialty_mode == SpecialtyMode.DEPARTMENTS:
        return listed
    specialty = (
        enrollment.doctor.specialty
        if item.specialty_mode == SpecialtyMode.OWN
        else (item.specialty)
    )
    hosts = {h.hospital_id for h in plan.cohort.hosts}
    return {
        d.id: listed.get(d.id, 0)
        for d in active.values()
        if specialty and d.specialty == specialty and (d.hospital_id in hosts or d.id in listed)
    }


def _add_cohort_placements(plan: PlanningInstance, placements, cohort_fixed: bool) -> None:
    doctors = {d["id"]: d for d in plan.document["doctors"]}
    known = [p for p in placements if doctor_key(p.enrollment_id) in doctors]
    held = [p for p in known if p.status in PlacementStatus.HOLDING]
    seen = set()
    for placement in held:
        _ensure_option(plan, doctors[doctor_key(placement.enrollment_id)], placement)
        if cohort_fixed and _triple(placement)[:2] not in seen:  # one fixed block per rotation
            seen.add(_triple(placement)[:2])
            plan.document["fixed"].append(_entry(_triple(placement), placement.start_date))
    fixed_triples = {_triple(p) for p in held}
    forbidden = plan.document["forbidden"]
    for placement in known:
        triple = _triple(placement)
        if placement.status != PlacementStatus.DECLINED or triple in fixed_triples:
            continue
        rotations = doctors[triple[0]]["rotations"]
        rotation = next((r for r in rotations if r["id"] == triple[1]), None)
        if rotation and triple[2] in rotation["options"] and _entry(triple) not in forbidden:
            forbidden.append(_entry(triple))


def _triple(placement: Placement) -> tuple[str, str, str]:
    return (
        doctor_key(placement.enrollment_id),
        rotation_key(placement.curriculum_item_id),
        department_key(placement.department_id),
    )


def _entry(triple: tuple[str, str, str], start: date | None = None) -> dict:
    entry = {"doctor": triple[0], "rotation": triple[1], "department": triple[2]}
    if start is not None:
        entry["start"] = start.isoformat()
    return entry


def _ensure_option(plan: PlanningInstance, doctor: dict, placement: Placement) -> None:
    """A placement a host already holds stays valid even if the options changed since."""
    key, dept = rotation_key(placement.curriculum_item_id), department_key(placement.department_id)
    rotation = next((r for r in doctor["rotations"] if r["id"] == key), None)
    if rotation is None:
        item = plan.items[key]
        rotation = {
            "id": key,
            "required": item.required,
            "days": item.days,
            "weight": item.weight,
            "options": {},
        }
        doctor["rotations"].append(rotation)
    rotation["options"].setdefault(dept, 0)


def _held_blocks(cohort: Cohort, departments: dict[str, Department]):
    rows = db.session.execute(
        select(Placement.department_id, Placement.start_date, Placement.end_date)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .where(
            Enrollment.cohort_id != cohort.id,
            Placement.status.in_(PlacementStatus.HOLDING),
            Placement.department_id.in_([d.id for d in departments.values()]),
            Placement.start_date <= cohort.end_date,
            Placement.end_date >= cohort.start_date,
        )
    ).all()
    return [held_capacity.HeldBlock(department_key(r[0]), r[1], r[2]) for r in rows]


def _add_departments_and_holders(plan: PlanningInstance, blocks) -> None:
    use = held_capacity.held_use(blocks, plan.days)
    for key, department in plan.departments.items():
        closed = _closed_days(department, plan)
        per_day = use.get(key, {})
        full = set(held_capacity.full_days(per_day, department.capacity)) - closed
        if full:
            plan.full_days[key] = full
        closed |= full
        entry = {"id": key, "capacity": department.capacity}
        if closed:
            entry["closed"] = sorted(d.isoformat() for d in closed)
        plan.document["departments"].append(entry)
        doctors, fixed = held_capacity.holder_doctors(key, per_day, closed, plan.days)
        plan.document["doctors"].extend(doctors)
        plan.document["fixed"].extend(fixed)
        plan.holder_fixed.extend(fixed)


def _closed_days(department: Department, plan: PlanningInstance) -> set[date]:
    hospital = department.hospital
    own_week = set(hospital.weekday_numbers)
    closed = {d for d in plan.days if not is_working_day(d, own_week)}
    closed |= {h.day for h in hospital.holidays if h.day in plan.days}
    closed |= {c.day for c in department.closures if c.day in plan.days}
    return closed
