"""The visiting doctor's profile and calendar token; the visiting doctors a host sees."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from somet.audit.operations import record_event
from somet.core.errors import NotAllowed
from somet.models import (
    Department,
    Doctor,
    Enrollment,
    Language,
    Placement,
    PlacementStatus,
    Role,
    User,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class ProfileFields:
    email: str | None
    phone: str | None
    preferred_language: Language


def update_profile(actor: User, fields: ProfileFields) -> Doctor:
    """A doctor updates its own contact details and language (the login's language too)."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only a doctor has a profile here."))
    doctor = db.session.get(Doctor, actor.doctor_id)
    doctor.email = fields.email or None
    doctor.phone = fields.phone or None
    doctor.preferred_language = fields.preferred_language
    actor.language = fields.preferred_language
    record_event(actor, "doctor.profile_updated", doctor)
    db.session.commit()
    return doctor


def regenerate_calendar_token(actor: User) -> str:
    """A new secret feed address for the doctor; the old address stops working."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only a doctor has a calendar feed."))
    doctor = db.session.get(Doctor, actor.doctor_id)
    doctor.calendar_token = secrets.token_urlsafe(32)
    record_event(actor, "doctor.calendar_token_regenerated", doctor)
    db.session.commit()
    return doctor.calendar_token


def revoke_calendar_token(actor: User) -> None:
    """Switch the doctor's calendar feed off."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only a doctor has a calendar feed."))
    doctor = db.session.get(Doctor, actor.doctor_id)
    doctor.calendar_token = None
    record_event(actor, "doctor.calendar_token_revoked", doctor)
    db.session.commit()


@dataclass(frozen=True)
class Visitor:
    """A visiting doctor as a host coordinator sees them: no passport or personal ids."""

    doctor_id: int
    name: str
    native_name: str | None
    specialty: str | None
    home_institution: str | None
    email: str | None
    phone: str | None
    first_day: date
    last_day: date
    department_count: int
    a_department: str  # the department's name when there is one


def visitors_at(hospital_id: int, since: date | None = None) -> list[Visitor]:
    """Doctors with a requested, confirmed or completed placement at the hospital.

    Selects named columns only, so sensitive fields never leave the database. One query.
    """
    query = (
        select(
            Doctor.id,
            Doctor.first_name,
            Doctor.last_name,
            Doctor.native_name,
            Doctor.specialty,
            Doctor.home_institution,
            Doctor.email,
            Doctor.phone,
            func.min(Placement.start_date),
            func.max(Placement.end_date),
            func.count(func.distinct(Department.id)),
            func.min(Department.name),
        )
        .join(Enrollment, Enrollment.doctor_id == Doctor.id)
        .join(Placement, Placement.enrollment_id == Enrollment.id)
        .join(Department, Department.id == Placement.department_id)
        .where(
            Department.hospital_id == hospital_id,
            Placement.status.in_(PlacementStatus.HOLDING),
        )
        .group_by(Doctor.id)
        .order_by(func.min(Placement.start_date), Doctor.last_name, Doctor.first_name)
    )
    if since is not None:
        query = query.having(func.max(Placement.end_date) >= since)
    return [_visitor(row) for row in db.session.execute(query)]


def _visitor(row) -> Visitor:
    doctor_id, first, last, *details = row
    return Visitor(doctor_id, f"{first} {last}", *details)
