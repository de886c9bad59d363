"""Masterclasses: creating and editing them, registration with a waitlist, blocked days.

Registration and cancellation take ``lock_for_write(f"masterclass:{id}")`` first, so two
doctors taking the last place at once are serialised on SQLite and PostgreSQL alike: a
class never goes over capacity, and the waitlist keeps its order (``created_at``, then id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, func, literal_column, or_, select, union_all, update

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from somet.core.workdays import parse_weekdays
from somet.masterclasses.rules import MasterclassTimes, PlacedSpan, blocked_days, clashes
from somet.models import (
    Department,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Masterclass,
    Placement,
    PlacementStatus,
    Registration,
    RegistrationStatus,
    Role,
    User,
    constant,
    utcnow,
)
from somet.notifications.operations import notify, recipient_for_doctor
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db


@dataclass(frozen=True)
class MasterclassFields:
    """What a director enters; ``starts_at``/``ends_at`` are aware datetimes (any zone)."""

    title: str
    lead_specialist: str
    venue: str
    city: str
    country: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    credit_hours: float
    lead_title: str | None = None
    description: str | None = None
    hospital_id: int | None = None
    cohort_id: int | None = None
    video_url: str | None = None


def _check_fields(fields: MasterclassFields) -> None:
    if fields.starts_at.tzinfo is None or fields.ends_at.tzinfo is None:
        raise ValidationFailed(_("Start and end need a time zone."))
    if fields.ends_at <= fields.starts_at:
        raise ValidationFailed(_("The masterclass must end after it starts."))
    if fields.capacity < 0 or fields.credit_hours < 0:
        raise ValidationFailed(_("Capacity and credit hours cannot be negative."))
    if fields.video_url and not fields.video_url.startswith(("https://", "http://")):
        raise ValidationFailed(_("The video link must be a web address (https://...)."))


def create_masterclass(actor: User, fields: MasterclassFields) -> Masterclass:
    """A director schedules a new masterclass."""
    require_staff(actor)
    _check_fields(fields)
    masterclass = Masterclass(**vars(fields), created_by_id=actor.id)
    db.session.add(masterclass)
    db.session.flush()
    record_event(actor, "masterclass.created", masterclass, title=fields.title)
    db.session.commit()
    return masterclass


def update_masterclass(actor: User, masterclass_id: int, fields: MasterclassFields) -> Masterclass:
    """A director edits a masterclass; more places promote the waitlist, fewer bump nobody."""
    require_staff(actor)
    _check_fields(fields)
    lock_for_write(db.session(), f"masterclass:{masterclass_id}")
    masterclass = _get(masterclass_id)
    if fields.capacity < _holding_count(masterclass_id):
        raise ValidationFailed(_("More doctors are registered than the new capacity allows."))
    for name, value in vars(fields).items():
        setattr(masterclass, name, value)
    # Registrations carry the calendar SEQUENCE: touching them tells calendars to refresh.
    db.session.execute(
        update(Registration)
        .where(Registration.masterclass_id == masterclass_id)
        .values(updated_at=utcnow())
    )
    promoted = _promote_waitlist(masterclass)
    record_event(actor, "masterclass.updated", masterclass, promoted=len(promoted))
    db.session.commit()
    return masterclass


def _get(masterclass_id: int) -> Masterclass:
    masterclass = db.session.get(Masterclass, masterclass_id)
    if masterclass is None:
        raise NotFound(_("There is no such masterclass."))
    return masterclass


def _holding_count(masterclass_id: int) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.masterclass_id == masterclass_id,
            Registration.status.in_(RegistrationStatus.HOLDING),
        )
    )


def cohort_ids_of(doctor_id: int) -> list[int]:
    """The cohorts a doctor belongs to (withdrawn enrollments excluded)."""
    return list(
        db.session.scalars(
            select(Enrollment.cohort_id).where(
                Enrollment.doctor_id == doctor_id,
                Enrollment.status != EnrollmentStatus.WITHDRAWN,
            )
        )
    )


def open_to_doctor_clause(doctor_id: int):
    """SQL condition: the masterclass is open to all, or to one of the doctor's cohorts."""
    cohorts = select(Enrollment.cohort_id).where(
        Enrollment.doctor_id == doctor_id, Enrollment.status != EnrollmentStatus.WITHDRAWN
    )
    return or_(Masterclass.cohort_id.is_(None), Masterclass.cohort_id.in_(cohorts))


def register(actor: User, masterclass_id: int, *, now: datetime | None = None) -> Registration:
    """A doctor takes a place, or joins the end of the waitlist when the class is full."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only doctors register for masterclasses."))
    lock_for_write(db.session(), f"masterclass:{masterclass_id}")
    masterclass = db.session.scalar(
        select(Masterclass).where(
            Masterclass.id == masterclass_id, open_to_doctor_clause(actor.doctor_id)
        )
    )
    if masterclass is None:
        raise NotFound(_("There is no such masterclass open to you."))
    if masterclass.starts_at <= (now or utcnow()):
        raise InvalidTransition(_("This masterclass has already started."))
    registration = take_place(masterclass, actor.doctor_id)
    status = registration.status
    record_event(actor, f"masterclass.{status.value}", masterclass, doctor_id=actor.doctor_id)
    db.session.commit()
    return registration


def take_place(masterclass: Masterclass, doctor_id: int) -> Registration:
    """A place for the doctor, or the end of the waitlist when full (caller holds the lock).

    The doctor is told by e-mail (with the video link, if the class has one).
    """
    registration = _registration_of(masterclass.id, doctor_id)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise InvalidTransition(_("You are already on the list of this masterclass."))
    full = _holding_count(masterclass.id) >= masterclass.capacity
    status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    if registration is None:
        registration = Registration(masterclass_id=masterclass.id, doctor_id=doctor_id)
        db.session.add(registration)
    registration.status = status
    registration.created_at = utcnow()  # coming back after cancelling: the end of the line
    db.session.flush()
    _notify_doctor(masterclass, registration, "masterclass_registered")
    return registration


def _registration_of(masterclass_id: int, doctor_id: int) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(
            Registration.masterclass_id == masterclass_id, Registration.doctor_id == doctor_id
        )
    )


def cancel_registration(actor: User, masterclass_id: int) -> list[Registration]:
    """A doctor gives up a place (or leaves the waitlist); returns the doctors promoted."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only the doctor can cancel a registration."))
    lock_for_write(db.session(), f"masterclass:{masterclass_id}")
    registration = _registration_of(masterclass_id, actor.doctor_id)
    if registration is None or registration.status not in RegistrationStatus.CANCELLABLE:
        raise InvalidTransition(_("You have no registration to cancel for this masterclass."))
    masterclass = _get(masterclass_id)
    registration.status = RegistrationStatus.CANCELLED
    db.session.flush()
    promoted = _promote_waitlist(masterclass)
    record_event(actor, "masterclass.cancelled", masterclass, doctor_id=actor.doctor_id)
    db.session.commit()
    return promoted


def _promote_waitlist(masterclass: Masterclass) -> list[Registration]:
    """Move the first in line up into free places and tell each of them (caller holds the lock)."""
    free = masterclass.capacity - _holding_count(masterclass.id)
    if free <= 0:
        return []
    waiting = db.session.scalars(
        select(Registration)
        .where(
            Registration.masterclass_id == masterclass.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.created_at, Registration.id)
        .limit(free)
    ).all()
    for registration in waiting:
        registration.status = RegistrationStatus.REGISTERED
        _notify_doctor(masterclass, registration, "masterclass_promoted")
    db.session.flush()
    return list(waiting)


def _notify_doctor(masterclass: Masterclass, registration: Registration, kind: str) -> None:
    """Tell the doctor, in its language; once per registration (a re-registration is new)."""
    doctor = db.session.get(Doctor, registration.doctor_id)
    user = db.session.scalar(select(User).where(User.doctor_id == registration.doctor_id))
    recipient = recipient_for_doctor(doctor, user)
    if recipient is None:
        return
    stamp = int(registration.created_at.timestamp() * 1000)
    notify(
        recipient,
        kind,
        dedup_key=f"{kind.replace('_', '-')}:{registration.id}:{stamp}",
        masterclass=masterclass,
        registration=registration,
    )


def masterclass_days_for(doctor_ids: Iterable[int], start: date, end: date) -> dict[int, set[date]]:
    """Days between ``start`` and ``end`` (inclusive) each doctor spends at a masterclass.

    The scheduler's blocked days, by the one rule of ``somet.masterclasses.rules``: a class
    meant for a cohort blocks every doctor of it, a class open to all only those holding a
    place. Doctors without such days are absent from the result. One query; read-only.
    """
    doctor_ids = list(doctor_ids)
    if not doctor_ids:
        return {}
    # A day's margin on each side: local dates may differ from UTC dates by up to 14 hours.
    at = {
        "doctor_ids": doctor_ids,
        "before": datetime.combine(end + timedelta(days=2), datetime.min.time(), UTC),
        "after": datetime.combine(start - timedelta(days=1), datetime.min.time(), UTC),
    }
    times: dict[int, MasterclassTimes] = {}
    cohorts_of: dict[int, set[int]] = defaultdict(set)
    places: list[tuple[int, int]] = []
    for doctor_id, member, *row in db.session.execute(_masterclass_days_statement(), at):
        masterclass = times.setdefault(row[0], MasterclassTimes(*row))
        if member:
            cohorts_of[doctor_id].add(masterclass.cohort_id)
        else:
            places.append((doctor_id, masterclass.id))
    return blocked_days(times.values(), cohorts_of, places, start, end)


@cache
def _masterclass_days_statement():
    """Built once (parameters ``doctor_ids``, ``before``, ``after``): the classes of the
    doctors' cohorts, and those they hold a place in, overlapping the window."""
    doctor_ids = bindparam("doctor_ids", expanding=True)
    window = (
        Masterclass.starts_at < bindparam("before"),
        Masterclass.ends_at > bindparam("after"),
    )
    of_their_cohorts = (
        select(Enrollment.doctor_id, literal_column("1", Integer).label("member"), *_TIMES)
        .join(Masterclass, Masterclass.cohort_id == Enrollment.cohort_id)
        .where(
            Enrollment.doctor_id.in_(doctor_ids),
            Enrollment.status != constant(EnrollmentStatus.WITHDRAWN),
            *window,
        )
    )
    holding_a_place = (
        select(Registration.doctor_id, literal_column("0", Integer), *_TIMES)
        .join(Masterclass, Masterclass.id == Registration.masterclass_id)
        .where(
            Registration.doctor_id.in_(doctor_ids),
            Registration.status.in_(constant(RegistrationStatus.HOLDING)),
            *window,
        )
    )
    return union_all(of_their_cohorts, holding_a_place)


# What the day rules need of a class, in MasterclassTimes' order.
_TIMES = (
    Masterclass.id,
    Masterclass.starts_at,
    Masterclass.ends_at,
    Masterclass.timezone,
    Masterclass.cohort_id,
)


def placement_clashes(doctor_id: int, masterclass_id: int) -> list[tuple[date, str]]:
    """(day, where) for each day of the class on which the doctor is placed in a rotation.

    A class open to all doctors is not in the plan when the rotations are made, so a doctor
    who registers for one may be expected on the ward that day: the page says so.
    """
    masterclass = db.session.execute(
        select(*_TIMES).where(Masterclass.id == masterclass_id)
    ).first()
    if masterclass is None:
        return []
    times = MasterclassTimes(*masterclass)
    rows = db.session.execute(
        select(
            Department.name, Hospital.name, Placement.start_date, Placement.end_date,
            Hospital.working_weekdays,
        )
        .join(Enrollment, Placement.enrollment_id == Enrollment.id)
        .join(Department, Placement.department_id == Department.id)
        .join(Hospital, Department.hospital_id == Hospital.id)
        .where(
            Enrollment.doctor_id == doctor_id,
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
            Placement.status.in_(PlacementStatus.UPCOMING),
            Placement.start_date <= times.ends_at.date() + timedelta(days=1),
            Placement.end_date >= times.starts_at.date() - timedelta(days=1),
        )
    )  # fmt: skip
    spans = [
        PlacedSpan(
            f"{department}, {hospital}", start, end,
            frozenset(parse_weekdays(weekdays)),
        )
        for department, hospital, start, end, weekdays in rows
    ]  # fmt: skip
    return clashes(times, spans)
