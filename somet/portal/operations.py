"""The visiting doctor's profile and calendar token; the visiting doctors a host sees."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import gettext as _

from somet.audit.operations import record_event
from somet.core.errors import NotAllowed
from somet.models import (
    Doctor,
    Language,
    Role,
    User,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class ProfileFields:
    email: str | None
    phone: str | None
    preferred_language: Language


def update_profile(actor: User, fields: ProfileFields) -> Doctor:
    """A doctor updates its own contact details and language (the login's language too)."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only a doctor has a profile here."))
    doctor = db.session.get(Doctor, actor.doctor_id)
    doctor.email = fields.email or None
    doctor.phone = fields.phone or None
    doctor.preferred_language = fields.preferred_language
    actor.language = fields.preferred_language
    record_event(actor, "doctor.profile_updated", doctor)
    db.session.commit()
    return doctor


def regenerate_calendar_token(actor: User) -> str:
    """A new secret feed address for the doctor; the old address stops working."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only a doctor has a calendar feed."))
    doctor = db.session.get(Doctor, actor.doctor_id)
    doctor.calendar_token = secrets.token_urlsafe(32)
    record_event(actor, "doctor.calendar_token_regenerated", doctor)
    db.session.commit()
    return doctor.calendar_token


def revoke_calendar_token(actor: User) -> None:
    """Switch the doctor's calendar feed off."""
    if actor.role != Role.DOCTOR:
        raise NotAllowed(_("Only a doctor has a calendar feed."))
    doctor = db.session.get(Doctor, actor.doctor_id)
    doctor.calendar_token = None
    record_event(actor, "doctor.calendar_token_revoked", doctor)
    db.session.commit()
