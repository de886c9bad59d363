"""Credit hours of many enrollments at once, by the certificates' rule.

The rule is ``judge_enrollment`` (``somet.certificates.core.completion``, reached through
``certificates.queries``): present days of completed placements × the cohort's hours per day +
the cohort's attended masterclasses. Its input is built here from plain rows (one statement
for any number of enrollments) rather than from ORM objects: exporting a centre's whole
history means tens of thousands of attendance days, which as objects cost seconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select

from somet.alumni import rules
from somet.certificates import queries as certificates
from somet.models import (
    Cohort,
    CurriculumItem,
    Department,
    Enrollment,
    EnrollmentStatus,
    Hospital,
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
    statement: the enrollments with their cohort's curriculum (a row per rotation) and, on
    each rotation's row, its placements with their attendance counted. The rule reads a
    placement only through its rotation, so one outside the curriculum changes no hours."""
    rows = db.session.execute(_ENROLLMENTS_WITH_ROTATIONS, {"doctor_ids": doctor_ids}).all()
    enrollments: dict[int, tuple] = {}  # in the statement's order: oldest cohort first
    rotations: dict[int, dict] = defaultdict(dict)
    placements: dict[int, list] = defaultdict(list)
    for *enrollment, item_id, item_name, days, required, placement in _split(rows):
        enrollments.setdefault(enrollment[0], tuple(enrollment))
        if item_id is not None:
            rotations[enrollment[0]].setdefault(
                item_id, certificates.RotationRequirement(item_id, item_name, days, required)
            )
        if placement is not None:
            placements[enrollment[0]].append(placement)
    taken: dict[int, list[CohortTaken]] = defaultdict(list)
    for (
        enrollment_id,
        doctor_id,
        status,
        cohort_id,
        name,
        start,
        threshold,
        per_day,
    ) in enrollments.values():
        facts = certificates.CompletionInput(
            enrollment_status=status.value,
            threshold=threshold,
            hours_per_day=per_day,
            rotations=tuple(rotations[enrollment_id].values()),
            placements=tuple(placements[enrollment_id]),
            masterclass_hours=rules.hours_of_cohort(classes.get(doctor_id, ()), cohort_id),
        )
        hours = certificates.judge_enrollment(facts).credit_hours
        taken[doctor_id].append(
            CohortTaken(enrollment_id, doctor_id, cohort_id, name, start.year, status, hours)
        )
    return taken


_RECORD = len(certificates.PLACEMENT_RECORD_COLUMNS)


def _split(rows):
    """Each row as its enrollment and rotation columns, then its placement (or None)."""
    for row in rows:
        head, record = row[:-_RECORD], row[-_RECORD:]
        placement = certificates.placement_record_of_row(*record) if record[0] is not None else None
        yield *head, placement


# Built once (it runs on every registry page): the enrollments of ``doctor_ids`` with their
# cohort, its curriculum and each rotation's placements (attendance counted), oldest cohort
# first.
_ENROLLMENTS_WITH_ROTATIONS = (
    select(
        Enrollment.id,
        Enrollment.doctor_id,
        Enrollment.status,
        Cohort.id,
        Cohort.name,
        Cohort.start_date,
        Cohort.attendance_threshold,
        Cohort.hours_per_day,
        CurriculumItem.id,
        CurriculumItem.name,
        CurriculumItem.days,
        CurriculumItem.required,
        *certificates.PLACEMENT_RECORD_COLUMNS,
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
    .outerjoin(Department, Department.id == Placement.department_id)
    .outerjoin(Hospital, Hospital.id == Department.hospital_id)
    .where(Enrollment.doctor_id.in_(DOCTOR_IDS))
    .order_by(
        Cohort.start_date,
        Cohort.id,
        Enrollment.id,
        CurriculumItem.position,
        CurriculumItem.id,
        Placement.id,
    )
)


def hours_of_loaded(
    enrollments: list[Enrollment], classes: dict[int, list[rules.AttendedClass]]
) -> dict[int, float]:
    """Credit hours by enrollment id of ``enrollments`` already loaded with their cohort and
    its curriculum, and their placements with where and their attendance counts
    (``Placement.present_days``, ``recorded_days`` undeferred). No statement of its own."""
    hours = {}
    for enrollment in enrollments:
        cohort = enrollment.cohort
        facts = certificates.CompletionInput(
            enrollment_status=enrollment.status.value,
            threshold=cohort.attendance_threshold,
            hours_per_day=cohort.hours_per_day,
            rotations=tuple(
                certificates.RotationRequirement(item.id, item.name, item.days, item.required)
                for item in cohort.curriculum
            ),
            placements=tuple(
                certificates.placement_record(
                    p, present_days=p.present_days, recorded_days=p.recorded_days
                )
                for p in enrollment.placements
            ),
            masterclass_hours=rules.hours_of_cohort(
                classes.get(enrollment.doctor_id, ()), cohort.id
            ),
        )
        hours[enrollment.id] = certificates.judge_enrollment(facts).credit_hours
    return hours
