"""Attendance at masterclasses: marked from a list, or by doctors scanning a QR code.

The QR code in the room carries a signed check-in link: the masterclass id and the moment
the code was shown, signed with the app's secret (itsdangerous). A link is honoured only
while its masterclass is on (from ``CHECK_IN_EARLY`` before the start to ``CHECK_IN_LATE``
after the end) and for at most the session's length plus ``CHECK_IN_LATE`` after the code
was shown, so a photo of the code is useless the next day.

An attended registration counts toward credit: certificates read ``Registration.status ==
attended`` and ``Masterclass.credit_hours``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from somet.audit.operations import record_event
from somet.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from somet.masterclasses.guests import guest_registration, open_masterclass
from somet.models import Masterclass, Registration, RegistrationStatus, Role, User, utcnow
from somet.web.database import lock_for_write
from somet.web.extensions import db

CHECK_IN_EARLY = timedelta(minutes=30)
CHECK_IN_LATE = timedelta(minutes=30)
MARKING_EARLY = timedelta(hours=1)  # a list can be marked from an hour before the start
_SALT = "somet.masterclass-check-in"


class CheckInRefused(DomainError):
    """The check-in link is forged, expired or used outside the session."""


def may_take_attendance(user: User, masterclass: Masterclass) -> bool:
    """Directors for every class; a coordinator for classes at its own hospital."""
    if user.role.is_staff:
        return True
    return (
        user.role == Role.COORDINATOR
        and masterclass.hospital_id is not None
        and masterclass.hospital_id == user.hospital_id
    )


def mark_attendance(
    actor: User,
    masterclass_id: int,
    attended_doctor_ids: Iterable[int],
    *,
    now: datetime | None = None,
) -> int:
    """Record who came: ticked doctors become attended, unticked ones back to registered.

    Returns the number marked attended. Waitlisted and cancelled doctors are left alone.
    """
    lock_for_write(db.session(), f"masterclass:{masterclass_id}")
    masterclass = db.session.get(Masterclass, masterclass_id)
    if masterclass is None or not may_take_attendance(actor, masterclass):
        raise NotFound(_("There is no such masterclass for you."))
    if (now or utcnow()) < masterclass.starts_at - MARKING_EARLY:
        raise InvalidTransition(_("Attendance can be taken once the masterclass begins."))
    count = _tick(masterclass_id, set(attended_doctor_ids))
    record_event(actor, "masterclass.attendance", masterclass, attended=count)
    db.session.commit()
    return count


def _tick(masterclass_id: int, attended: set[int]) -> int:
    """Set attended / registered from the ticks; returns how many attended."""
    registrations = db.session.scalars(
        select(Registration).where(
            Registration.masterclass_id == masterclass_id,
            Registration.status.in_(RegistrationStatus.HOLDING),
        )
    ).all()
    for registration in registrations:
        registration.status = (
            RegistrationStatus.ATTENDED
            if registration.doctor_id in attended
            else RegistrationStatus.REGISTERED
        )
    return sum(1 for r in registrations if r.doctor_id in attended)


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def check_in_token(
    secret_key: str, masterclass: Masterclass, shown_at: datetime | None = None
) -> str:
    """The signed token of the QR code shown in the room at ``shown_at`` (default now)."""
    shown_at = shown_at or utcnow()
    return _serializer(secret_key).dumps({"m": masterclass.id, "t": int(shown_at.timestamp())})


def read_check_in_token(
    secret_key: str, token: str, masterclass: Masterclass, now: datetime
) -> None:
    """Raise CheckInRefused unless ``token`` is a valid, current link for ``masterclass``."""
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature:
        raise CheckInRefused(_("This check-in link is not valid.")) from None
    if not isinstance(payload, dict) or payload.get("m") != masterclass.id:
        raise CheckInRefused(_("This check-in link is for another masterclass."))
    shown_at = datetime.fromtimestamp(int(payload.get("t", 0)), UTC)
    lifetime = masterclass.ends_at - masterclass.starts_at + CHECK_IN_LATE
    if now - shown_at > lifetime or shown_at - now > timedelta(minutes=5):
        raise CheckInRefused(_("This check-in link has expired. Scan the code in the room again."))
    if not masterclass.starts_at - CHECK_IN_EARLY <= now <= masterclass.ends_at + CHECK_IN_LATE:
        raise CheckInRefused(_("Check-in is open only around the time of the masterclass."))


def check_in(
    actor: User, masterclass_id: int, token: str, secret_key: str, *, now: datetime | None = None
) -> Registration:
    """A registered doctor checks in with the link from the QR code: attended."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only doctors check in to masterclasses."))
    now = now or utcnow()
    lock_for_write(db.session(), f"masterclass:{masterclass_id}")
    masterclass = db.session.get(Masterclass, masterclass_id)
    if masterclass is None:
        raise NotFound(_("There is no such masterclass."))
    read_check_in_token(secret_key, token, masterclass, now)
    registration = db.session.scalar(
        select(Registration).where(
            Registration.masterclass_id == masterclass_id,
            Registration.doctor_id == actor.doctor_id,
        )
    )
    if registration is None or registration.status not in RegistrationStatus.HOLDING:
        raise CheckInRefused(_("You are not registered for this masterclass."))
    if registration.status == RegistrationStatus.REGISTERED:
        registration.status = RegistrationStatus.ATTENDED
        record_event(actor, "masterclass.checked_in", masterclass, doctor_id=actor.doctor_id)
    db.session.commit()
    return registration


def check_in_guest(
    masterclass_id: int,
    token: str,
    email: str,
    licence_number: str,
    secret_key: str,
    *,
    now: datetime | None = None,
) -> Registration:
    """A guest (no login) checks in with the QR link and the e-mail and licence they gave."""
    now = now or utcnow()
    lock_for_write(db.session(), f"masterclass:{masterclass_id}")
    masterclass = open_masterclass(masterclass_id)
    read_check_in_token(secret_key, token, masterclass, now)
    registration = guest_registration(masterclass_id, email, licence_number)
    if registration is None:
        raise CheckInRefused(_("We found no registration with this e-mail and licence number."))
    if registration.status == RegistrationStatus.REGISTERED:
        registration.status = RegistrationStatus.ATTENDED
        record_event(
            None, "masterclass.checked_in", masterclass, doctor_id=registration.doctor_id
        )
    db.session.commit()
    return registration
