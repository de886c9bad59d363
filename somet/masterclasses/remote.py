"""Remote attendance: a short code the lead shows during the session, entered by attendees.

The code is derived from the app's secret and the class (HMAC), so nothing is stored and
every director or host sees the same code; it is accepted only between the class's start
and end, only from a doctor (or guest) holding a place, and only once per registration.
Entering it marks the registration attended, exactly like a QR check-in.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from somet.audit.operations import record_event
from somet.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from somet.masterclasses.guests import guest_registration, open_masterclass
from somet.models import Masterclass, Registration, RegistrationStatus, Role, User, utcnow
from somet.web.database import lock_for_write
from somet.web.extensions import db

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or from a screen
CODE_LENGTH = 6


class RemoteCodeRefused(DomainError):
    """The code is wrong, entered outside the session, or by someone without a place."""


def remote_code(secret_key: str, masterclass_id: int) -> str:
    """The class's remote attendance code (the same for everyone who shows it)."""
    digest = hmac.new(
        secret_key.encode(), f"remote-attendance:{masterclass_id}".encode(), hashlib.sha256
    ).digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:CODE_LENGTH])


def is_running(masterclass: Masterclass, now: datetime) -> bool:
    return masterclass.starts_at <= now <= masterclass.ends_at


def attend_remotely(
    actor: User, masterclass_id: int, code: str, secret_key: str, *, now: datetime | None = None
) -> Registration:
    """A registered doctor enters the code shown in the session: attended."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only doctors record remote attendance."))
    lock_for_write(db.session(), f"masterclass:{masterclass_id}")
    masterclass = db.session.get(Masterclass, masterclass_id)
    if masterclass is None:
        raise NotFound(_("There is no such masterclass."))
    registration = db.session.scalar(
        select(Registration).where(
            Registration.masterclass_id == masterclass_id,
            Registration.doctor_id == actor.doctor_id,
        )
    )
    return record_code(actor, masterclass, registration, code, secret_key, now or utcnow())


def record_code(
    actor: User | None,
    masterclass: Masterclass,
    registration: Registration | None,
    code: str,
    secret_key: str,
    now: datetime,
) -> Registration:
    """Check the code, the time and the place, mark attended and commit (caller holds the lock)."""
    if not masterclass.video_url:
        raise InvalidTransition(_("This masterclass has no remote attendance."))
    if not is_running(masterclass, now):
        raise RemoteCodeRefused(_("The code can be entered only while the masterclass is on."))
    if registration is None or registration.status not in RegistrationStatus.HOLDING:
        raise RemoteCodeRefused(_("You are not registered for this masterclass."))
    if registration.status == RegistrationStatus.ATTENDED:
        raise InvalidTransition(_("Your attendance is already recorded."))
    entered = "".join(code.split()).upper()
    if not hmac.compare_digest(entered, remote_code(secret_key, masterclass.id)):
        raise RemoteCodeRefused(_("This is not the code shown in the session."))
    registration.status = RegistrationStatus.ATTENDED
    record_event(
        actor, "masterclass.attended_remotely", masterclass, doctor_id=registration.doctor_id
    )
    db.session.commit()
    return registration


def attend_remotely_as_guest(
    masterclass_id: int,
    email: str,
    licence_number: str,
    code: str,
    secret_key: str,
    *,
    now: datetime | None = None,
) -> Registration:
    """A guest enters the code with the e-mail and licence number they registered with."""
    lock_for_write(db.session(), f"masterclass:{masterclass_id}")
    masterclass = open_masterclass(masterclass_id)
    registration = guest_registration(masterclass_id, email, licence_number)
    return record_code(None, masterclass, registration, code, secret_key, now or utcnow())
