"""The nightly lifecycle: cohorts start and finish, finished placements are closed, and the
enrollments of an ended cohort become completed or incomplete (with the reasons).

Each function takes an explicit ``today``, commits once, and is idempotent: a second run on
the same day finds nothing left to change and sends no reminder twice (``dedup_key``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import joinedload

from somet.audit.operations import record_event
from somet.certificates.queries import owes_certificates
from somet.cohorts.operations import settle_ended_enrollments
from somet.core.workdays import working_days
from somet.evaluations import operations as evaluations
from somet.models import (
    Attendance,
    Cohort,
    CohortStatus,
    Department,
    DepartmentClosure,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    HospitalHoliday,
    Placement,
    PlacementStatus,
)
from somet.notifications.operations import hospital_coordinators, notify, recipient_for_user
from somet.web.database import lock_for_write
from somet.web.extensions import db

JOB_ACTOR = "job runner"


def nightly_lifecycle(now: datetime) -> dict:
    """The scheduled job: the steps for the day of ``now`` (UTC), in this order, so an
    enrollment is judged on the placements closed the same night, and the placements closed
    get their evaluations (both ways) at once, in a transaction of their own."""
    today = now.date()
    return {
        **advance_cohorts(today),
        **close_finished_placements(today),
        **evaluations.send_due_evaluations(now),
        **settle_ended_enrollments(today, JOB_ACTOR),
        **archive_settled_cohorts(today),
    }


def advance_cohorts(today: date) -> dict:
    """Scheduled cohorts whose start date came become active; active ones past their end, done."""
    lock_for_write(db.session(), "lifecycle")
    activated = _move_cohorts(
        CohortStatus.SCHEDULED, CohortStatus.ACTIVE, Cohort.start_date <= today
    )
    completed = _move_cohorts(CohortStatus.ACTIVE, CohortStatus.COMPLETED, Cohort.end_date < today)
    db.session.commit()
    return {"cohorts_activated": activated, "cohorts_completed": completed}


def _move_cohorts(old: CohortStatus, new: CohortStatus, due) -> int:
    cohorts = db.session.scalars(
        select(Cohort).where(Cohort.status == old, due).with_for_update()
    ).all()
    for cohort in cohorts:
        cohort.status = new
        record_event(None, f"cohort.{new.value}", cohort, actor_label=JOB_ACTOR, previous=old.value)
    db.session.flush()
    return len(cohorts)


def archive_settled_cohorts(today: date) -> dict:
    """Completed cohorts ended ``SOMET_ARCHIVE_AFTER_DAYS`` ago are archived once settled:
    every doctor judged and every certificate owed issued. A cohort still owing one stays
    completed (on the director's list of doctors without a certificate) until it is issued."""
    lock_for_write(db.session(), "lifecycle")
    ended_by = today - timedelta(days=current_app.config["SOMET_ARCHIVE_AFTER_DAYS"])
    unjudged = exists().where(
        Enrollment.cohort_id == Cohort.id, Enrollment.status == EnrollmentStatus.CONFIRMED
    )
    archived = _move_cohorts(
        CohortStatus.COMPLETED,
        CohortStatus.ARCHIVED,
        and_(Cohort.end_date <= ended_by, ~unjudged, ~owes_certificates()),
    )
    db.session.commit()
    return {"cohorts_archived": archived}


def close_finished_placements(today: date) -> dict:
    """Confirmed placements that ended: completed if every working day has attendance.

    Otherwise they stay confirmed and the host's coordinators get one reminder per
    department and end date.
    """
    lock_for_write(db.session(), "lifecycle")
    placements = db.session.scalars(
        select(Placement)
        .where(Placement.status == PlacementStatus.CONFIRMED, Placement.end_date < today)
        .options(
            joinedload(Placement.department).joinedload(Department.hospital),
            joinedload(Placement.enrollment).joinedload(Enrollment.doctor),
        )
        .order_by(Placement.id)
    ).all()
    days_due = _working_days_of(placements)
    recorded = _recorded_days([p.id for p in placements])
    missing = defaultdict(list)
    completed = 0
    for placement in placements:
        if set(days_due[placement.id]) <= recorded[placement.id]:
            placement.status = PlacementStatus.COMPLETED
            record_event(None, "placement.completed", placement, actor_label=JOB_ACTOR)
            completed += 1
        else:
            missing[(placement.department, placement.end_date)].append(placement.enrollment.doctor)
    reminders = _remind_missing_attendance(missing)
    db.session.commit()
    return {"placements_completed": completed, "attendance_reminders": reminders}


def _working_days_of(placements: list[Placement]) -> dict[int, list[date]]:
    hospital_ids = {p.department.hospital_id for p in placements}
    department_ids = {p.department_id for p in placements}
    holidays = defaultdict(set)
    for hospital_id, day in db.session.execute(
        select(HospitalHoliday.hospital_id, HospitalHoliday.day).where(
            HospitalHoliday.hospital_id.in_(hospital_ids)
        )
    ):
        holidays[hospital_id].add(day)
    closures = defaultdict(set)
    for department_id, day in db.session.execute(
        select(DepartmentClosure.department_id, DepartmentClosure.day).where(
            DepartmentClosure.department_id.in_(department_ids)
        )
    ):
        closures[department_id].add(day)
    return {
        p.id: working_days(
            p.start_date,
            p.end_date,
            p.department.hospital.weekday_numbers,
            holidays[p.department.hospital_id] | closures[p.department_id],
        )
        for p in placements
    }


def _recorded_days(placement_ids: list[int]) -> dict[int, set[date]]:
    recorded = defaultdict(set)
    for placement_id, day in db.session.execute(
        select(Attendance.placement_id, Attendance.day).where(
            Attendance.placement_id.in_(placement_ids)
        )
    ):
        recorded[placement_id].add(day)
    return recorded


def _remind_missing_attendance(missing: dict[tuple[Department, date], list[Doctor]]) -> int:
    coordinators = hospital_coordinators({department.hospital_id for department, _ in missing})
    sent = 0
    for (department, end_date), doctors in missing.items():
        for user in coordinators.get(department.hospital_id, []):
            message = notify(
                recipient_for_user(user),
                "attendance_missing",
                f"attendance-missing:{department.id}:{end_date.isoformat()}:{user.id}",
                department=department,
                end_date=end_date,
                doctors=doctors,
            )
            sent += message is not None
    return sent
