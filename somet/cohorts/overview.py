"""What the cohort overview reads of its roster and rotations: plain rows of the columns the
page and its readiness check use, not ORM objects (loading twenty enrollments with their doctors
as objects cost about three times the statement itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import groupby

from sqlalchemy import bindparam, select

from somet.models import (
    CurriculumItem,
    CurriculumOption,
    Department,
    Doctor,
    Enrollment,
    EnrollmentOption,
    EnrollmentStatus,
    SpecialtyMode,
)
from somet.models.people import masked_passport
from somet.web.extensions import db


@dataclass(frozen=True, slots=True)
class RosterDoctor:
    """What the roster shows of a doctor (and the portal logins and readiness read)."""

    id: int
    first_name: str
    last_name: str
    native_name: str | None
    specialty: str | None
    passport_number: str | None
    email: str | None

    @property
    def masked_passport(self) -> str:
        return masked_passport(self.passport_number)


@dataclass(frozen=True, slots=True)
class OptionOverride:
    item_id: int
    department_id: int
    preference: int


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One enrollment of the roster, with its doctor and the director's option overrides."""

    id: int
    doctor_id: int
    status: EnrollmentStatus
    arrival_date: date | None
    departure_date: date | None
    withdrawal_reason: str | None
    completion_reasons: list | None
    doctor: RosterDoctor
    option_overrides: tuple[OptionOverride, ...]


@dataclass(frozen=True, slots=True)
class RotationOption:
    department_id: int
    department_name: str
    preference: int


@dataclass(frozen=True, slots=True)
class Rotation:
    """One curriculum item with its eligible departments (named), in the curriculum's order."""

    id: int
    name: str
    specialty_mode: SpecialtyMode
    specialty: str | None
    days: int
    required: bool
    weight: int
    options: tuple[RotationOption, ...]


def roster(cohort_id: int) -> list[RosterEntry]:
    """The cohort's enrollments by id, each with its doctor and overrides: one statement."""
    rows = db.session.execute(_roster_statement(), {"cohort_id": cohort_id}).all()
    return [
        RosterEntry(*first[:7], RosterDoctor(first[1], *first[7:13]), _overrides(group))
        for first, group in _grouped(rows)
    ]


def rotations(cohort_id: int) -> list[Rotation]:
    """The cohort's rotations by position (then id), options named: one statement."""
    rows = db.session.execute(_rotations_statement(), {"cohort_id": cohort_id}).all()
    return [
        Rotation(
            *first[:7],
            tuple(RotationOption(*row[7:]) for row in group if row[7] is not None),
        )
        for first, group in _grouped(rows)
    ]


def _grouped(rows):
    """(first row, rows) per leading id: a parent's few children ride on its rows."""
    for _, group in groupby(rows, key=lambda row: row[0]):
        group = list(group)
        yield group[0], group


def _overrides(group) -> tuple[OptionOverride, ...]:
    return tuple(OptionOverride(*row[13:]) for row in group if row[13] is not None)


@cache
def _roster_statement():
    """Built once (parameter ``cohort_id``); overrides (rare) ride on their enrollment's row."""
    return (
        select(
            Enrollment.id,
            Enrollment.doctor_id,
            Enrollment.status,
            Enrollment.arrival_date,
            Enrollment.departure_date,
            Enrollment.withdrawal_reason,
            Enrollment.completion_reasons,
            Doctor.first_name,
            Doctor.last_name,
            Doctor.native_name,
            Doctor.specialty,
            Doctor.passport_number,
            Doctor.email,
            EnrollmentOption.item_id,
            EnrollmentOption.department_id,
            EnrollmentOption.preference,
        )
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .outerjoin(EnrollmentOption, EnrollmentOption.enrollment_id == Enrollment.id)
        .where(Enrollment.cohort_id == bindparam("cohort_id"))
        .order_by(Enrollment.id, EnrollmentOption.id)
    )


@cache
def _rotations_statement():
    """Built once (parameter ``cohort_id``); a rotation's few options ride on its rows."""
    return (
        select(
            CurriculumItem.id,
            CurriculumItem.name,
            CurriculumItem.specialty_mode,
            CurriculumItem.specialty,
            CurriculumItem.days,
            CurriculumItem.required,
            CurriculumItem.weight,
            CurriculumOption.department_id,
            Department.name,
            CurriculumOption.preference,
        )
        .outerjoin(CurriculumOption, CurriculumOption.item_id == CurriculumItem.id)
        .outerjoin(Department, Department.id == CurriculumOption.department_id)
        .where(CurriculumItem.cohort_id == bindparam("cohort_id"))
        .order_by(CurriculumItem.position, CurriculumItem.id, CurriculumOption.id)
    )
