"""Curriculum: rotations with their eligible departments, per-doctor overrides, and the
plain ``CohortPlan`` the readiness rules (and the overview) read."""

from __future__ import annotations

from datetime import date
from functools import cache

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import joinedload, selectinload

from somet.audit.operations import record_event
from somet.cohorts.departments import HostDepartment, host_departments, plan_departments
from somet.cohorts.rules.readiness import (
    CohortPlan,
    DepartmentInfo,
    DoctorInfo,
    ItemInfo,
    rotation_options,
)
from somet.core.errors import NotFound, ValidationFailed
from somet.core.localisation import name_parts_of
from somet.masterclasses.operations import masterclass_days_for
from somet.models import (
    Cohort,
    CurriculumItem,
    CurriculumOption,
    Enrollment,
    EnrollmentOption,
    EnrollmentStatus,
    Placement,
    SpecialtyMode,
    User,
)
from somet.web.access import require_staff
from somet.web.extensions import db

ITEM_FIELDS = ("name", "specialty_mode", "specialty", "days", "required", "weight")


def curriculum_items(cohort_id: int) -> list[CurriculumItem]:
    """The cohort's rotations in order, options loaded: one statement."""
    return db.session.scalars(_curriculum_items(), {"cohort_id": cohort_id}).unique().all()


@cache
def _curriculum_items():
    """Built once (parameter ``cohort_id``); a rotation's few options ride on its rows."""
    return (
        select(CurriculumItem)
        .options(joinedload(CurriculumItem.options))
        .where(CurriculumItem.cohort_id == bindparam("cohort_id"))
        .order_by(CurriculumItem.position, CurriculumItem.id)
    )


def _check_item(fields: dict, department_ids: set[int], options: dict[int, int]) -> None:
    if fields["specialty_mode"] == SpecialtyMode.NAMED and not fields.get("specialty"):
        raise ValidationFailed(_("Choose the specialty of a named-specialty rotation."))
    if fields["specialty_mode"] == SpecialtyMode.DEPARTMENTS and not options:
        raise ValidationFailed(_("Give preference points to at least one department."))
    unknown = set(options) - department_ids
    if unknown:
        raise ValidationFailed(_("Options may only name departments of the cohort's hosts."))


def add_item(actor: User, cohort: Cohort, options: dict[int, int], **fields) -> CurriculumItem:
    """Add a rotation at the end of the curriculum."""
    require_staff(actor)
    _check_item(fields, {d.id for d in host_departments(cohort.id)}, options)
    last = db.session.scalar(
        select(func.max(CurriculumItem.position)).where(CurriculumItem.cohort_id == cohort.id)
    )
    item = CurriculumItem(cohort_id=cohort.id, position=(last or 0) + 1, **_item_fields(fields))
    item.options = [CurriculumOption(department_id=d, preference=p) for d, p in options.items()]
    db.session.add(item)
    db.session.flush()
    record_event(actor, "curriculum.add", item, cohort_id=cohort.id, options=options)
    db.session.commit()
    return item


def update_item(actor: User, cohort: Cohort, item_id: int, options: dict[int, int], **fields):
    """Change a rotation and replace its options."""
    require_staff(actor)
    item = _item(cohort, item_id)
    _check_item(fields, {d.id for d in host_departments(cohort.id)}, options)
    for key, value in _item_fields(fields).items():
        setattr(item, key, value)
    db.session.execute(delete(CurriculumOption).where(CurriculumOption.item_id == item.id))
    for department_id, preference in options.items():
        db.session.add(
            CurriculumOption(item_id=item.id, department_id=department_id, preference=preference)
        )
    record_event(actor, "curriculum.update", item, cohort_id=cohort.id, options=options)
    db.session.commit()
    return item


def remove_item(actor: User, cohort: Cohort, item_id: int) -> None:
    """Remove a rotation that nobody is placed in yet."""
    require_staff(actor)
    item = _item(cohort, item_id)
    placed = db.session.scalar(
        select(func.count()).select_from(Placement).where(Placement.curriculum_item_id == item.id)
    )
    if placed:
        raise ValidationFailed(
            ngettext(
                "“%(name)s” already has %(num)d placement.",
                "“%(name)s” already has %(num)d placements.",
                placed,
                name=item.name,
            )
        )
    record_event(actor, "curriculum.remove", item, cohort_id=cohort.id, name=item.name)
    db.session.execute(delete(EnrollmentOption).where(EnrollmentOption.item_id == item.id))
    db.session.delete(item)
    db.session.commit()


def _item(cohort: Cohort, item_id: int) -> CurriculumItem:
    item = db.session.scalar(
        select(CurriculumItem).where(
            CurriculumItem.id == item_id, CurriculumItem.cohort_id == cohort.id
        )
    )
    if item is None:
        raise NotFound(_("No such rotation in this cohort."))
    return item


def _item_fields(fields: dict) -> dict:
    values = {k: fields[k] for k in ITEM_FIELDS if k in fields}
    if values.get("specialty_mode") != SpecialtyMode.NAMED:
        values["specialty"] = None
    return values


def set_enrollment_options(
    actor: User, enrollment: Enrollment, overrides: dict[int, dict[int, int]]
) -> None:
    """Replace one doctor's option overrides; an item with no entry follows the curriculum."""
    require_staff(actor)
    allowed_items = {i.id for i in curriculum_items(enrollment.cohort_id)}
    allowed_departments = {d.id for d in host_departments(enrollment.cohort_id)}
    for item_id, options in overrides.items():
        if item_id not in allowed_items or set(options) - allowed_departments:
            raise ValidationFailed(_("Overrides may only name this cohort's rotations and hosts."))
    db.session.execute(
        delete(EnrollmentOption).where(EnrollmentOption.enrollment_id == enrollment.id)
    )
    for item_id, options in overrides.items():
        for department_id, preference in options.items():
            db.session.add(
                EnrollmentOption(
                    enrollment_id=enrollment.id,
                    item_id=item_id,
                    department_id=department_id,
                    preference=preference,
                )
            )
    record_event(actor, "enrollment.options", enrollment, overrides=overrides)
    db.session.commit()


def enrollment_overrides(enrollment: Enrollment) -> dict[int, dict[int, int]]:
    """item id -> department id -> preference, for one doctor's overrides (loaded with the
    enrollment: ``option_overrides``)."""
    result: dict[int, dict[int, int]] = {}
    for row in enrollment.option_overrides:
        result.setdefault(row.item_id, {})[row.department_id] = row.preference
    return result


def cohort_plan(cohort: Cohort, *, loaded: tuple[list, list] | None = None) -> CohortPlan:
    """The cohort as plain data for the pure readiness rules (a fixed number of queries).

    ``loaded``: the cohort's rotations and roster the overview has already read (the rows of
    ``somet.cohorts.overview.rotations`` and ``roster``); they are not read again.
    """
    start, end = cohort.start_date, cohort.end_date
    if loaded is not None:
        items, roster = loaded
        enrollments = [e for e in roster if e.status != EnrollmentStatus.WITHDRAWN]
    else:
        items = curriculum_items(cohort.id)
        enrollments = db.session.scalars(
            select(Enrollment)
            .options(joinedload(Enrollment.doctor), selectinload(Enrollment.option_overrides))
            .where(
                Enrollment.cohort_id == cohort.id, Enrollment.status != EnrollmentStatus.WITHDRAWN
            )
            .order_by(Enrollment.id)
        ).all()
    overrides = {e.id: e.option_overrides for e in enrollments}
    # The scheduler's blocked days: a doctor's masterclass days are no rotation days.
    at_masterclasses = masterclass_days_for((e.doctor_id for e in enrollments), start, end)
    return CohortPlan(
        start=start,
        end=end,
        departments=plan_departments(cohort.id, start, end),
        items=tuple(_item_info(i) for i in items),
        doctors=tuple(
            _doctor_info(e, overrides.get(e.id, ()), at_masterclasses.get(e.doctor_id, ()))
            for e in enrollments
        ),
    )


def curriculum_defaults(
    cohort: Cohort,
    enrollment: Enrollment,
    departments: list[HostDepartment],
    items: list[CurriculumItem],
) -> dict[int, dict[int, int]]:
    """item id -> department id -> preference as the curriculum gives this doctor (no
    override), from the cohort's host departments and rotations already loaded: no query."""
    if enrollment.status == EnrollmentStatus.WITHDRAWN:  # not in the plan
        return {}
    plan = CohortPlan(
        start=cohort.start_date,
        end=cohort.end_date,
        departments=tuple(_department_info(d, frozenset()) for d in departments),
        items=tuple(_item_info(i) for i in items),
        doctors=(),
    )
    doctor = _doctor_info(enrollment, (), ())
    return {item.id: rotation_options(plan, doctor, item) for item in plan.items}


def _department_info(department: HostDepartment, closed: frozenset[date]) -> DepartmentInfo:
    hospital = department.hospital
    return DepartmentInfo(
        id=department.id,
        name=f"{department.name} ({hospital.name})",
        specialty=department.specialty,
        capacity=department.capacity,
        working_weekdays=tuple(hospital.weekday_numbers),
        closed=closed,
        active=department.active and hospital.active,
    )


def _item_info(item: CurriculumItem) -> ItemInfo:
    return ItemInfo(
        id=item.id,
        name=item.name,
        mode=item.specialty_mode.value,
        days=item.days,
        required=item.required,
        specialty=item.specialty,
        options={o.department_id: o.preference for o in item.options},
    )


def _doctor_info(enrollment: Enrollment, option_overrides, masterclass_days) -> DoctorInfo:
    overrides: dict[int, dict[int, int]] = {}
    for row in option_overrides:
        overrides.setdefault(row.item_id, {})[row.department_id] = row.preference
    doctor = enrollment.doctor
    return DoctorInfo(
        name=name_parts_of(doctor),
        specialty=doctor.specialty,
        arrival=enrollment.arrival_date,
        departure=enrollment.departure_date,
        overrides=overrides,
        enrollment_id=enrollment.id,
        masterclass_days=frozenset(masterclass_days),
    )
