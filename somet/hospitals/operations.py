"""Host hospitals and departments: create, edit, holidays, closures, capacity, deactivation."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from somet.audit.operations import record_event
from somet.core.errors import NotAllowed, NotFound, ValidationFailed
from somet.core.localisation import format_day
from somet.models import (
    Department,
    DepartmentClosure,
    Enrollment,
    Hospital,
    HospitalHoliday,
    Placement,
    PlacementStatus,
    Role,
    User,
)
from somet.web.access import require_staff
from somet.web.extensions import db
from somet.web.i18n import page_language

HOSPITAL_FIELDS = ("name", "city", "country", "address", "timezone", "working_weekdays")
DEPARTMENT_FIELDS = (
    "name",
    "specialty",
    "capacity",
    "supervisor_name",
    "supervisor_email",
    "supervisor_language",
    "languages",
)


def _require_keeper(actor: User, department: Department) -> None:
    """Staff, or the coordinator of the department's own hospital."""
    if actor.role.is_staff:
        return
    if actor.role == Role.COORDINATOR and actor.hospital_id == department.hospital_id:
        return
    raise NotAllowed(
        _("Only this hospital's coordinator or a director may change this department.")
    )


def create_hospital(actor: User, **fields) -> Hospital:
    """Add a host hospital."""
    require_staff(actor)
    _check_hospital_name(fields["name"])
    hospital = Hospital(**{k: fields[k] for k in HOSPITAL_FIELDS if k in fields})
    db.session.add(hospital)
    db.session.flush()
    record_event(actor, "hospital.create", hospital, name=hospital.name)
    db.session.commit()
    return hospital


def update_hospital(actor: User, hospital: Hospital, **fields) -> Hospital:
    """Change a hospital's details and working week."""
    require_staff(actor)
    _check_hospital_name(fields.get("name", hospital.name), hospital.id)
    changed = _assign(hospital, fields, HOSPITAL_FIELDS)
    record_event(actor, "hospital.update", hospital, changed=changed)
    db.session.commit()
    return hospital


def _check_hospital_name(name: str, own_id: int | None = None) -> None:
    other = db.session.scalar(
        select(Hospital.id).where(func.lower(Hospital.name) == name.strip().lower())
    )
    if other is not None and other != own_id:
        raise ValidationFailed(_("A hospital named “%(name)s” already exists.", name=name))


def _assign(obj, fields: dict, allowed: tuple[str, ...]) -> list[str]:
    changed = []
    for key in allowed:
        if key in fields and getattr(obj, key) != fields[key]:
            setattr(obj, key, fields[key])
            changed.append(key)
    return changed


def add_holiday(actor: User, hospital: Hospital, day: date, name: str) -> HospitalHoliday:
    """Mark a day on which the whole hospital hosts nobody."""
    require_staff(actor)
    if db.session.scalar(
        select(HospitalHoliday.id).where(
            HospitalHoliday.hospital_id == hospital.id, HospitalHoliday.day == day
        )
    ):
        shown = format_day(day, page_language())
        raise ValidationFailed(_("%(day)s is already a holiday.", day=shown))
    holiday = HospitalHoliday(hospital_id=hospital.id, day=day, name=name)
    db.session.add(holiday)
    record_event(actor, "hospital.holiday_add", hospital, day=day, name=name)
    db.session.commit()
    return holiday


def remove_holiday(actor: User, hospital: Hospital, holiday_id: int) -> None:
    """Remove one of the hospital's holidays (selected through the hospital)."""
    require_staff(actor)
    holiday = db.session.scalar(
        select(HospitalHoliday).where(
            HospitalHoliday.id == holiday_id, HospitalHoliday.hospital_id == hospital.id
        )
    )
    if holiday is None:
        raise NotFound(_("No such holiday."))
    record_event(actor, "hospital.holiday_remove", hospital, day=holiday.day)
    db.session.delete(holiday)
    db.session.commit()


def create_department(actor: User, hospital: Hospital, **fields) -> Department:
    """Add a department to a hospital."""
    require_staff(actor)
    _check_department_name(hospital.id, fields["name"])
    department = Department(
        hospital_id=hospital.id, **{k: fields[k] for k in DEPARTMENT_FIELDS if k in fields}
    )
    db.session.add(department)
    db.session.flush()
    record_event(actor, "department.create", department, name=department.name)
    db.session.commit()
    return department


def update_department(actor: User, department: Department, **fields) -> Department:
    """Change a department's details (staff only; coordinators use capacity/closures)."""
    require_staff(actor)
    name = fields.get("name", department.name)
    _check_department_name(department.hospital_id, name, department.id)
    changed = _assign(department, fields, DEPARTMENT_FIELDS)
    record_event(actor, "department.update", department, changed=changed)
    db.session.commit()
    return department


def _check_department_name(hospital_id: int, name: str, own_id: int | None = None) -> None:
    other = db.session.scalar(
        select(Department.id).where(
            Department.hospital_id == hospital_id,
            func.lower(Department.name) == name.strip().lower(),
        )
    )
    if other is not None and other != own_id:
        raise ValidationFailed(
            _("This hospital already has a department named “%(name)s”.", name=name)
        )


def set_department_capacity(actor: User, department: Department, capacity: int) -> None:
    """Change how many visiting doctors the department hosts per working day."""
    _require_keeper(actor, department)
    if capacity < 0:
        raise ValidationFailed(_("Capacity cannot be negative."))
    record_event(actor, "department.capacity", department, old=department.capacity, new=capacity)
    department.capacity = capacity
    db.session.commit()


def add_closure(actor: User, department: Department, day: date, reason: str) -> None:
    """Close the department for one day."""
    _require_keeper(actor, department)
    if db.session.scalar(
        select(DepartmentClosure.id).where(
            DepartmentClosure.department_id == department.id, DepartmentClosure.day == day
        )
    ):
        shown = format_day(day, page_language())
        raise ValidationFailed(_("The department is already closed on %(day)s.", day=shown))
    db.session.add(DepartmentClosure(department_id=department.id, day=day, reason=reason))
    record_event(actor, "department.closure_add", department, day=day, reason=reason)
    db.session.commit()


def remove_closure(actor: User, department: Department, closure_id: int) -> None:
    """Reopen the department on a closed day (selected through the department)."""
    _require_keeper(actor, department)
    closure = db.session.scalar(
        select(DepartmentClosure).where(
            DepartmentClosure.id == closure_id, DepartmentClosure.department_id == department.id
        )
    )
    if closure is None:
        raise NotFound(_("No such closed day."))
    record_event(actor, "department.closure_remove", department, day=closure.day)
    db.session.delete(closure)
    db.session.commit()


def future_placements(department: Department, today: date) -> list[str]:
    """Standing placements in the department that end today or later, in words."""
    rows = db.session.scalars(
        select(Placement)
        .options(joinedload(Placement.enrollment).joinedload(Enrollment.doctor))
        .where(
            Placement.department_id == department.id,
            Placement.end_date >= today,
            Placement.status.in_(PlacementStatus.UPCOMING),  # a department in use
        )
        .order_by(Placement.start_date)
    ).all()
    return [
        f"{p.enrollment.doctor.latin_name}, {p.start_date.isoformat()} to "
        f"{p.end_date.isoformat()} ({p.status.value})"
        for p in rows
    ]


def set_department_active(actor: User, department: Department, active: bool, today: date) -> None:
    """Deactivate (refused while future placements depend on it) or reactivate a department."""
    require_staff(actor)
    if not active:
        depending = future_placements(department, today)
        if depending:
            raise ValidationFailed(
                _(
                    "The department cannot be deactivated; these placements depend on it: "
                    "%(placements)s.",
                    placements="; ".join(depending),
                )
            )
    department.active = active
    record_event(actor, "department.activate" if active else "department.deactivate", department)
    db.session.commit()
