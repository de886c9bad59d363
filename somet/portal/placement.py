"""The doctor's page of one of their placements: one statement of the columns it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, select

from somet.models import (
    CurriculumItem,
    Department,
    Enrollment,
    Hospital,
    Placement,
    PlacementStatus,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class PlacementPage:
    rotation: str
    status: PlacementStatus
    start_date: date
    end_date: date
    department: str
    supervisor_name: str | None
    supervisor_email: str | None
    hospital: str
    address: str | None
    city: str
    country: str
    timezone: str


def doctor_placement(doctor_id: int, placement_id: int) -> PlacementPage | None:
    """The placement with its rotation, department and hospital; None unless it is one of the
    doctor's own (the doctor's scope of ``web.access``: through their enrollments)."""
    parameters = {"doctor_id": doctor_id, "placement_id": placement_id}
    row = db.session.execute(_placement(), parameters).first()
    return None if row is None else PlacementPage(*row)


@cache
def _placement():
    """Built once (parameters ``doctor_id``, ``placement_id``)."""
    return (
        select(
            CurriculumItem.name,
            Placement.status,
            Placement.start_date,
            Placement.end_date,
            Department.name,
            Department.supervisor_name,
            Department.supervisor_email,
            Hospital.name,
            Hospital.address,
            Hospital.city,
            Hospital.country,
            Hospital.timezone,
        )
        .select_from(Placement)
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Department, Department.id == Placement.department_id)
        .join(Hospital, Hospital.id == Department.hospital_id)
        .join(CurriculumItem, CurriculumItem.id == Placement.curriculum_item_id)
        .where(
            Placement.id == bindparam("placement_id"),
            Enrollment.doctor_id == bindparam("doctor_id"),
        )
    )
