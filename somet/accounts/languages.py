"""The language a user reads SOMET in."""

from __future__ import annotations

from flask_babel import gettext as _

from somet.audit.operations import record_event
from somet.core.errors import ValidationFailed
from somet.models import Doctor, Language, User
from somet.web.extensions import db


def parse_language(code: str | None) -> Language:
    """The Language for ``code`` (``en``, ``ru``, ``kk``); ValidationFailed otherwise."""
    try:
        return Language(code or "")
    except ValueError:
        raise ValidationFailed(_("This language is not available.")) from None


def set_user_language(user: User, code: str) -> Language:
    """Save the language ``user`` reads pages and notifications in (a doctor's preferred one)."""
    language = parse_language(code)
    if user.language != language:
        previous = user.language.value
        user.language = language
        if user.doctor_id is not None:  # one language per person, as the profile page sets it
            db.session.get(Doctor, user.doctor_id).preferred_language = language
        record_event(user, "user.language_changed", user, previous=previous, new=language.value)
        db.session.commit()
    return language
