"""Guests: doctors without a SOMET login at masterclasses open to all.

A guest asks for a place with a name, an e-mail and a licence number; the e-mailed one-time
link confirms it, and only then is a place (or a waitlist spot) taken. The guest is stored
as a Doctor record without a login, found again by licence number (or, for a record without
one, by e-mail), so the register, QR check-in, remote attendance and certificates treat guests
exactly like doctors, and a login made later for that record shows all of it.

Without a login, a guest proves who they are at check-in by the e-mail and licence number
they registered with, like signing a paper attendance sheet.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition, NotFound, ValidationFailed
from somet.masterclasses.operations import take_place
from somet.models import (
    Doctor,
    GuestRequest,
    Language,
    Masterclass,
    Registration,
    RegistrationStatus,
    utcnow,
)
from somet.notifications.operations import Recipient, notify
from somet.web.database import lock_for_write
from somet.web.extensions import db

LINK_LIFETIME = timedelta(hours=48)


@dataclass(frozen=True)
class GuestDetails:
    """What a guest enters on the public form."""

    first_name: str
    last_name: str
    email: str
    licence_number: str
    language: str = "en"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_masterclass(masterclass_id: int) -> Masterclass:
    """A class open to all doctors (the only ones guests may join), else NotFound."""
    masterclass = db.session.scalar(
        select(Masterclass).where(
            Masterclass.id == masterclass_id, Masterclass.cohort_id.is_(None)
        )
    )
    if masterclass is None:
        raise NotFound(_("There is no such masterclass open to all."))
    return masterclass


def request_place(
    masterclass_id: int, details: GuestDetails, *, now: datetime | None = None
) -> GuestRequest:
    """Write the guest's request and e-mail the confirmation link; no place is held yet."""
    now = now or utcnow()
    masterclass = open_masterclass(masterclass_id)
    if masterclass.starts_at <= now:
        raise InvalidTransition(_("This masterclass has already started."))
    token = secrets.token_urlsafe(32)
    request = GuestRequest(
        masterclass_id=masterclass.id,
        **vars(details),
        token_hash=token_digest(token),
        created_at=now,
        expires_at=min(now + LINK_LIFETIME, masterclass.starts_at),
    )
    db.session.add(request)
    db.session.flush()
    recipient = Recipient(details.email, details.language, _full_name(details))
    notify(
        recipient,
        "masterclass_guest_confirm",
        dedup_key=f"masterclass-guest-confirm:{request.id}",
        masterclass=masterclass,
        token=token,
        expires_at=request.expires_at,
    )
    record_event(None, "masterclass.guest_requested", masterclass, email=details.email)
    db.session.commit()
    return request


def _full_name(details) -> str:
    return f"{details.first_name} {details.last_name}"


def pending_request(token: str, now: datetime | None = None) -> GuestRequest | None:
    """The unexpired request this link confirms (confirmed ones too: a second click is fine)."""
    request = db.session.scalar(
        select(GuestRequest)
        .where(GuestRequest.token_hash == token_digest(token or ""))
        .options(joinedload(GuestRequest.masterclass))
    )
    if request is None:
        return None
    expired = request.confirmed_at is None and request.expires_at <= (now or utcnow())
    return None if expired else request


def confirm_request(token: str, *, now: datetime | None = None) -> Registration:
    """The guest opened the link: find or make their Doctor record and take a place."""
    now = now or utcnow()
    request = pending_request(token, now)
    if request is None:
        raise NotFound(_("This link is not valid or has expired."))
    lock_for_write(db.session(), f"masterclass:{request.masterclass_id}")
    request = db.session.get(GuestRequest, request.id, populate_existing=True)
    if request.registration_id is not None:
        return db.session.get(Registration, request.registration_id)
    masterclass = open_masterclass(request.masterclass_id)
    if masterclass.starts_at <= now:
        raise InvalidTransition(_("This masterclass has already started."))
    doctor = _guest_doctor(request)
    registration = take_place(masterclass, doctor.id)
    request.confirmed_at, request.registration_id = now, registration.id
    record_event(
        None, f"masterclass.guest_{registration.status.value}", masterclass, doctor_id=doctor.id
    )
    db.session.commit()
    return registration


def _guest_doctor(request: GuestRequest) -> Doctor:
    """The guest's Doctor record: by licence number, else a record with this e-mail, else new.

    A licence number on file with another e-mail is refused: the link proves the e-mail, and
    a stranger must not add registrations to someone else's record.
    """
    email = request.email.strip()
    by_licence = db.session.scalar(
        select(Doctor).where(Doctor.licence_number == request.licence_number)
    )
    if by_licence is not None:
        if by_licence.email and by_licence.email.casefold() != email.casefold():
            raise ValidationFailed(
                _("This licence number is on file with another e-mail address. Register with "
                  "that address, or ask the training centre.")
            )
        by_licence.email = by_licence.email or email
        return by_licence
    by_email = db.session.scalar(
        select(Doctor)
        .where(func.lower(Doctor.email) == email.casefold(), Doctor.licence_number.is_(None))
        .order_by(Doctor.id)
        .limit(1)
    )
    if by_email is not None:
        by_email.licence_number = request.licence_number
        return by_email
    doctor = Doctor(
        first_name=request.first_name,
        last_name=request.last_name,
        email=email,
        licence_number=request.licence_number,
        preferred_language=Language(request.language),
    )
    db.session.add(doctor)
    db.session.flush()
    return doctor


def guest_registration(masterclass_id: int, email: str, licence_number: str):
    """The registration of the doctor with this e-mail and licence number, if any."""
    return db.session.scalar(
        select(Registration)
        .join(Doctor, Registration.doctor_id == Doctor.id)
        .where(
            Registration.masterclass_id == masterclass_id,
            Doctor.licence_number == licence_number.strip(),
            func.lower(Doctor.email) == email.strip().casefold(),
            Registration.status.in_(RegistrationStatus.HOLDING),
        )
    )
