"""Credit hours of many enrollments at once, by the certificates' rule.

The rule is ``judge_enrollment`` (``somet.certificates.core.completion``, reached through
``certificates.queries``): present days of completed placements × the cohort's hours per day +
the cohort's attended masterclasses. Its input is built here from plain rows (four statements
for any number of enrollments) rather than from ORM objects: exporting a centre's whole
history means tens of thousands of attendance days, which as objects cost seconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from somet.alumni import rules
from somet.certificates import queries as certificates
from somet.models import (
    Attendance,
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


def cohorts_taken(
    condition, classes: dict[int, list[rules.AttendedClass]]
) -> dict[int, list[CohortTaken]]:
    """The enrollments matching ``condition`` by doctor, oldest cohort first, with hours.

    ``classes`` are each doctor's attended masterclasses (``attended_classes``)."""
    enrollments = db.session.execute(
        select(
            Enrollment.id,
            Enrollment.doctor_id,
            Enrollment.status,
            Cohort.id,
            Cohort.name,
            Cohort.start_date,
            Cohort.attendance_threshold,
            Cohort.hours_per_day,
        )
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(condition)
        .order_by(Cohort.start_date, Cohort.id)
    ).all()
    rotations = _rotations({row[3] for row in enrollments})
    placements = _placements(condition)
    taken: dict[int, list[CohortTaken]] = defaultdict(list)
    for enrollment_id, doctor_id, status, cohort_id, name, start, threshold, per_day in enrollments:
        facts = certificates.CompletionInput(
            enrollment_status=status.value,
            threshold=threshold,
            hours_per_day=per_day,
            rotations=rotations.get(cohort_id, ()),
            placements=tuple(placements.get(enrollment_id, ())),
            masterclass_hours=rules.hours_of_cohort(classes.get(doctor_id, ()), cohort_id),
        )
        hours = certificates.judge_enrollment(facts).credit_hours
        taken[doctor_id].append(
            CohortTaken(enrollment_id, doctor_id, cohort_id, name, start.year, status, hours)
        )
    return taken


def _rotations(cohort_ids: set[int]) -> dict[int, tuple]:
    """Each cohort's curriculum as the rule's requirements, in the curriculum's order."""
    if not cohort_ids:
        return {}
    rows = db.session.execute(
        select(
            CurriculumItem.cohort_id,
            CurriculumItem.id,
            CurriculumItem.name,
            CurriculumItem.days,
            CurriculumItem.required,
        )
        .where(CurriculumItem.cohort_id.in_(cohort_ids))
        .order_by(CurriculumItem.cohort_id, CurriculumItem.position, CurriculumItem.id)
    )
    found = defaultdict(list)
    for cohort_id, *item in rows:
        found[cohort_id].append(certificates.RotationRequirement(*item))
    return {cohort_id: tuple(items) for cohort_id, items in found.items()}


def _placements(condition) -> dict[int, list]:
    """The placements of the matching enrollments, with their attendance, as the rule's records."""
    enrollment_ids = select(Enrollment.id).where(condition)
    days = defaultdict(list)
    attendance = db.session.execute(
        select(Attendance.placement_id, Attendance.status)
        .join(Placement, Placement.id == Attendance.placement_id)
        .where(Placement.enrollment_id.in_(enrollment_ids))
        .order_by(Attendance.placement_id, Attendance.day)
    )
    for placement_id, status in attendance:
        days[placement_id].append(status.value)
    rows = db.session.execute(
        select(
            Placement.id,
            Placement.enrollment_id,
            Placement.curriculum_item_id,
            Placement.status,
            Department.name,
            Hospital.name,
            Placement.start_date,
            Placement.end_date,
        )
        .join(Department, Department.id == Placement.department_id)
        .join(Hospital, Hospital.id == Department.hospital_id)
        .where(Placement.enrollment_id.in_(enrollment_ids))
        .order_by(Placement.start_date, Placement.id)
    )
    found = defaultdict(list)
    for placement_id, enrollment_id, item_id, status, department, hospital, start, end in rows:
        found[enrollment_id].append(
            certificates.PlacementRecord(
                item_id, status.value, department, hospital, start, end, tuple(days[placement_id])
            )
        )
    return found
