"""Translated names of the enum values that pages show (roles, statuses, languages).

A template writes ``{{ placement.status|label }}``; the value itself (``"confirmed"``) stays
the stored, English, machine form. Each enum has its own context because Russian and Kazakh
agree the word with the noun it describes (a cohort is «завершена», an enrollment
«завершено»).
"""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import get_locale
from wtforms.fields.choices import SelectChoice

from somet.core.specialties import SPECIALTIES, specialty_name
from somet.models import (
    AttendanceStatus,
    CertificateKind,
    CohortStatus,
    DeliveryStatus,
    EnrollmentStatus,
    JobOutcome,
    Language,
    PlacementStatus,
    RegistrationStatus,
    Role,
    WebhookDeliveryStatus,
)
from somet.web.i18n import catalogue

# Each language is named in itself, so a reader finds their own whatever the page's language.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


class StatusWord(NamedTuple):
    """A status's word as the catalogue holds it: a message in its context (pgettext)."""

    context: str
    text: str


def _word(context: str, text: str) -> StatusWord:
    """Marked for extraction like ``lazy_pgettext`` (``-k _word:1c,2`` in the Makefile's
    ``messages`` and the i18n test); worded by ``enum_label`` in the page's catalogue."""
    return StatusWord(context, text)


# StrEnum members equal their strings ("completed" is a cohort's and an enrollment's status),
# so labels are keyed by (enum class, value), never by the member alone.
_LABELS = [
    (Role.ADMIN, _word("role", "administrator")),
    (Role.DIRECTOR, _word("role", "programme director")),
    (Role.COORDINATOR, _word("role", "coordinator")),
    (Role.DOCTOR, _word("role", "doctor")),
    (CohortStatus.DRAFT, _word("cohort status", "draft")),
    (CohortStatus.PLANNING, _word("cohort status", "planning")),
    (CohortStatus.SCHEDULED, _word("cohort status", "scheduled")),
    (CohortStatus.ACTIVE, _word("cohort status", "active")),
    (CohortStatus.COMPLETED, _word("cohort status", "completed")),
    (CohortStatus.ARCHIVED, _word("cohort status", "archived")),
    (EnrollmentStatus.INVITED, _word("enrollment status", "invited")),
    (EnrollmentStatus.CONFIRMED, _word("enrollment status", "confirmed")),
    (EnrollmentStatus.COMPLETED, _word("enrollment status", "completed")),
    (EnrollmentStatus.INCOMPLETE, _word("enrollment status", "incomplete")),
    (EnrollmentStatus.WITHDRAWN, _word("enrollment status", "withdrawn")),
    (PlacementStatus.PROPOSED, _word("placement status", "proposed")),
    (PlacementStatus.REQUESTED, _word("placement status", "requested")),
    (PlacementStatus.CONFIRMED, _word("placement status", "confirmed")),
    (PlacementStatus.DECLINED, _word("placement status", "declined")),
    (PlacementStatus.COMPLETED, _word("placement status", "completed")),
    (PlacementStatus.CANCELLED, _word("placement status", "cancelled")),
    (AttendanceStatus.PRESENT, _word("attendance", "present")),
    (AttendanceStatus.ABSENT, _word("attendance", "absent")),
    (AttendanceStatus.EXCUSED, _word("attendance", "excused")),
    (RegistrationStatus.REGISTERED, _word("registration status", "registered")),
    (RegistrationStatus.WAITLISTED, _word("registration status", "waitlisted")),
    (RegistrationStatus.ATTENDED, _word("registration status", "attended")),
    (RegistrationStatus.CANCELLED, _word("registration status", "cancelled")),
    (CertificateKind.INTERNSHIP, _word("certificate kind", "internship")),
    (CertificateKind.MASTERCLASS, _word("certificate kind", "masterclass")),
    (DeliveryStatus.PENDING, _word("delivery status", "pending")),
    (DeliveryStatus.SENT, _word("delivery status", "sent")),
    (DeliveryStatus.FAILED, _word("delivery status", "failed")),
    (DeliveryStatus.NOT_SENT, _word("delivery status", "not sent")),
    (WebhookDeliveryStatus.PENDING, _word("delivery status", "pending")),
    (WebhookDeliveryStatus.DELIVERED, _word("delivery status", "delivered")),
    (WebhookDeliveryStatus.FAILED, _word("delivery status", "failed")),
    (JobOutcome.QUEUED, _word("job outcome", "queued")),
    (JobOutcome.RUNNING, _word("job outcome", "running")),
    (JobOutcome.SUCCEEDED, _word("job outcome", "succeeded")),
    (JobOutcome.FAILED, _word("job outcome", "failed")),
]
ENUM_LABELS: dict[tuple[type, str], StatusWord] = {
    (type(member), member.value): word for member, word in _LABELS
}


def enum_label(value, translations=None) -> str:
    """The translated name of an enum value in the current locale, or in ``translations``
    (a page's catalogue, ``i18n.catalogue``); its raw value when none is registered. Looked
    up in the catalogue as Flask-Babel's pgettext does, without finding the catalogue again
    on every call (~8 µs; a list shows a status on every row)."""
    if value is None:
        return ""
    if isinstance(value, Language):
        return LANGUAGE_NAMES[value.value]
    key = (type(value), getattr(value, "value", value))
    word = ENUM_LABELS.get(key)
    if word is None:
        return str(key[1])
    return (translations or catalogue()).upgettext(word.context, word.text)


def specialty_choices(blank: bool = False) -> list[SelectChoice]:
    """The specialties as select options, named in the page's language."""
    locale = get_locale()
    language = locale.language if locale else "en"
    options = [SelectChoice(code, specialty_name(code, language)) for code in SPECIALTIES]
    return [SelectChoice("", "—"), *options] if blank else options
