"""Credit hours of many enrollments at once, by the certificates' rule.

The rule is ``credit_hours`` (``somet.certificates.core.completion``, reached through
``certificates.queries``; an enrollment's verdict states the same hours): present days of
completed placements in the curriculum's rotations × the cohort's hours per day + the cohort's
attended masterclasses. Its input is built here from plain rows (one statement for any number
of enrollments) rather than from ORM objects: exporting a centre's whole history means tens
of thousands of attendance days, which as objects cost seconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select

from somet.alumni import rules
from somet.certificates import queries as certificates
from somet.models import (
    Cohort,
    CurriculumItem,
    Enrollment,
    EnrollmentStatus,
    Placement,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class CohortTaken:
    """One enrollment of a doctor: its cohort, status and credit hours."""

    enrollment_id: int
    doctor_id: int
    cohort_id: int
    name: str
    year: int
    status: EnrollmentStatus
    hours: float


# The doctors whose enrollments are read: a list parameter of statements built once.
DOCTOR_IDS = bindparam("doctor_ids", expanding=True)


def cohorts_taken(
    doctor_ids: list[int], classes: dict[int, list[rules.AttendedClass]]
) -> dict[int, list[CohortTaken]]:
    """The enrollments of ``doctor_ids`` by doctor, oldest cohort first, with hours.

    ``classes`` are each doctor's attended masterclasses (``attended_classes``). One
    statement: the enrollments with their cohort's rotations (a row per rotation) and, on
    each rotation's row, its placements with their present days counted; what the hours
    read of a placement, not where it was or its other marks."""
    rows = db.session.execute(_ENROLLMENTS_WITH_DAYS, {"doctor_ids": doctor_ids})
    enrollments: dict[int, tuple] = {}  # in the statement's order: oldest cohort first
    rotations: dict[int, set[int]] = defaultdict(set)
    placements: dict[int, list[_DaysPresent]] = defaultdict(list)
    for *enrollment, rotation_id, item_id, status, present_days in rows:
        enrollment_id = enrollment[0]
        enrollments.setdefault(enrollment_id, tuple(enrollment))
        if rotation_id is not None:
            rotations[enrollment_id].add(rotation_id)
        if item_id is not None:
            placements[enrollment_id].append(_DaysPresent(item_id, status, present_days))
    taken: dict[int, list[CohortTaken]] = defaultdict(list)
    for enrollment_id, doctor_id, status, cohort_id, name, start, per_day in enrollments.values():
        hours = certificates.credit_hours(
            per_day,
            rotations[enrollment_id],
            placements[enrollment_id],
            rules.hours_of_cohort(classes.get(doctor_id, ()), cohort_id),
        )
        taken[doctor_id].append(
            CohortTaken(enrollment_id, doctor_id, cohort_id, name, start.year, status, hours)
        )
    return taken


class _DaysPresent(NamedTuple):
    """What the credit hours read of a placement (the rule's ``DaysPresent``)."""

    item_id: int
    status: str
    present_days: int


# Built once (it runs on every registry page): the enrollments of ``doctor_ids`` with their
# cohort, its rotations and each rotation's placements (present days counted), oldest cohort
# first.
_ENROLLMENTS_WITH_DAYS = (
    select(
        Enrollment.id,
        Enrollment.doctor_id,
        Enrollment.status,
        Cohort.id,
        Cohort.name,
        Cohort.start_date,
        Cohort.hours_per_day,
        CurriculumItem.id,
        Placement.curriculum_item_id,
        Placement.status,
        Placement.present_days,
    )
    .join(Cohort, Cohort.id == Enrollment.cohort_id)
    .outerjoin(CurriculumItem, CurriculumItem.cohort_id == Cohort.id)
    .outerjoin(
        Placement,
        and_(
            Placement.enrollment_id == Enrollment.id,
            Placement.curriculum_item_id == CurriculumItem.id,
        ),
    )
    .where(Enrollment.doctor_id.in_(DOCTOR_IDS))
    .order_by(Cohort.start_date, Cohort.id, Enrollment.id)
)


def hours_of_loaded(
    enrollments: list[Enrollment], classes: dict[int, list[rules.AttendedClass]]
) -> dict[int, float]:
    """Credit hours by enrollment id of ``enrollments`` already loaded with their cohort and
    its curriculum, and their placements with their present days (``Placement.present_days``
    undeferred). No statement of its own."""
    hours = {}
    for enrollment in enrollments:
        cohort = enrollment.cohort
        hours[enrollment.id] = certificates.credit_hours(
            cohort.hours_per_day,
            {item.id for item in cohort.curriculum},
            [
                _DaysPresent(p.curriculum_item_id, p.status, p.present_days)
                for p in enrollment.placements
            ],
            rules.hours_of_cohort(classes.get(enrollment.doctor_id, ()), cohort.id),
        )
    return hours
