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


def hours_of_loaded(
    enrollments: list[Enrollment], condition, classes: dict[int, list[rules.AttendedClass]]
) -> dict[int, float]:
    """Credit hours by enrollment id of ``enrollments`` already loaded with their cohort and
    placements (department, hospital): ``condition`` selects the same enrollments. Two
    statements (the curricula and the attendance days), not the four of ``cohorts_taken``."""
    rotations = _rotations({e.cohort_id for e in enrollments})
    days = _attendance_days(condition)
    hours = {}
    for enrollment in enrollments:
        cohort = enrollment.cohort
        placements = sorted(enrollment.placements, key=lambda p: (p.start_date, p.id))
        facts = certificates.CompletionInput(
            enrollment_status=enrollment.status.value,
            threshold=cohort.attendance_threshold,
            hours_per_day=cohort.hours_per_day,
            rotations=rotations.get(cohort.id, ()),
            placements=tuple(
                certificates.PlacementRecord(
                    p.curriculum_item_id,
                    p.status.value,
                    p.department.name,
                    p.department.hospital.name,
                    p.start_date,
                    p.end_date,
                    tuple(days[p.id]),
                )
                for p in placements
            ),
            masterclass_hours=rules.hours_of_cohort(
                classes.get(enrollment.doctor_id, ()), cohort.id
            ),
        )
        hours[enrollment.id] = certificates.judge_enrollment(facts).credit_hours
    return hours


def _attendance_days(condition) -> dict[int, list[str]]:
    """Attendance statuses by placement id, in day order, of the matching enrollments."""
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
    return days


def _placements(condition) -> dict[int, list]:
    """The placements of the matching enrollments, with their attendance, as the rule's records."""
    enrollment_ids = select(Enrollment.id).where(condition)
    days = _attendance_days(condition)
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
