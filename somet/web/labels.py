"""Translated names of the enum values that pages show (roles, statuses, languages).

A template writes ``{{ placement.status|label }}``; the value itself (``"confirmed"``) stays
the stored, English, machine form. Each enum has its own context because Russian and Kazakh
agree the word with the noun it describes (a cohort is «завершена», an enrollment
«завершено»).
"""

from __future__ import annotations

from flask_babel import get_locale, lazy_pgettext
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

# StrEnum members equal their strings ("completed" is a cohort's and an enrollment's status),
# so labels are keyed by (enum class, value), never by the member alone.
_LABELS = [
    (Role.ADMIN, lazy_pgettext("role", "administrator")),
    (Role.DIRECTOR, lazy_pgettext("role", "programme director")),
    (Role.COORDINATOR, lazy_pgettext("role", "coordinator")),
    (Role.DOCTOR, lazy_pgettext("role", "doctor")),
    (CohortStatus.DRAFT, lazy_pgettext("cohort status", "draft")),
    (CohortStatus.PLANNING, lazy_pgettext("cohort status", "planning")),
    (CohortStatus.SCHEDULED, lazy_pgettext("cohort status", "scheduled")),
    (CohortStatus.ACTIVE, lazy_pgettext("cohort status", "active")),
    (CohortStatus.COMPLETED, lazy_pgettext("cohort status", "completed")),
    (CohortStatus.ARCHIVED, lazy_pgettext("cohort status", "archived")),
    (EnrollmentStatus.INVITED, lazy_pgettext("enrollment status", "invited")),
    (EnrollmentStatus.CONFIRMED, lazy_pgettext("enrollment status", "confirmed")),
    (EnrollmentStatus.COMPLETED, lazy_pgettext("enrollment status", "completed")),
    (EnrollmentStatus.INCOMPLETE, lazy_pgettext("enrollment status", "incomplete")),
    (EnrollmentStatus.WITHDRAWN, lazy_pgettext("enrollment status", "withdrawn")),
    (PlacementStatus.PROPOSED, lazy_pgettext("placement status", "proposed")),
    (PlacementStatus.REQUESTED, lazy_pgettext("placement status", "requested")),
    (PlacementStatus.CONFIRMED, lazy_pgettext("placement status", "confirmed")),
    (PlacementStatus.DECLINED, lazy_pgettext("placement status", "declined")),
    (PlacementStatus.COMPLETED, lazy_pgettext("placement status", "completed")),
    (PlacementStatus.CANCELLED, lazy_pgettext("placement status", "cancelled")),
    (AttendanceStatus.PRESENT, lazy_pgettext("attendance", "present")),
    (AttendanceStatus.ABSENT, lazy_pgettext("attendance", "absent")),
    (AttendanceStatus.EXCUSED, lazy_pgettext("attendance", "excused")),
    (RegistrationStatus.REGISTERED, lazy_pgettext("registration status", "registered")),
    (RegistrationStatus.WAITLISTED, lazy_pgettext("registration status", "waitlisted")),
    (RegistrationStatus.ATTENDED, lazy_pgettext("registration status", "attended")),
    (RegistrationStatus.CANCELLED, lazy_pgettext("registration status", "cancelled")),
    (CertificateKind.INTERNSHIP, lazy_pgettext("certificate kind", "internship")),
    (CertificateKind.MASTERCLASS, lazy_pgettext("certificate kind", "masterclass")),
    (DeliveryStatus.PENDING, lazy_pgettext("delivery status", "pending")),
    (DeliveryStatus.SENT, lazy_pgettext("delivery status", "sent")),
    (DeliveryStatus.FAILED, lazy_pgettext("delivery status", "failed")),
    (DeliveryStatus.NOT_SENT, lazy_pgettext("delivery status", "not sent")),
    (WebhookDeliveryStatus.PENDING, lazy_pgettext("delivery status", "pending")),
    (WebhookDeliveryStatus.DELIVERED, lazy_pgettext("delivery status", "delivered")),
    (WebhookDeliveryStatus.FAILED, lazy_pgettext("delivery status", "failed")),
    (JobOutcome.QUEUED, lazy_pgettext("job outcome", "queued")),
    (JobOutcome.RUNNING, lazy_pgettext("job outcome", "running")),
    (JobOutcome.SUCCEEDED, lazy_pgettext("job outcome", "succeeded")),
    (JobOutcome.FAILED, lazy_pgettext("job outcome", "failed")),
]
ENUM_LABELS: dict[tuple[type, str], object] = {
    (type(member), member.value): label for member, label in _LABELS
}


def enum_label(value, translations=None) -> str:
    """The translated name of an enum value in the current locale, or in ``translations``
    (a page's catalogue, ``i18n.catalogue``); its raw value when none is registered."""
    if value is None:
        return ""
    if isinstance(value, Language):
        return LANGUAGE_NAMES[value.value]
    key = (type(value), getattr(value, "value", value))
    message = _MESSAGES.get(key)
    if message is None:
        label = ENUM_LABELS.get(key)
        return str(key[1]) if label is None else str(label)
    return (translations or catalogue()).upgettext(*message)


# The (context, text) of each label, looked up in the page's catalogue: what Flask-Babel's
# pgettext does, without finding the catalogue again on every call (~8 µs; a list shows a
# status on every row). A label whose message cannot be read is worded by Flask-Babel.
_MESSAGES: dict[tuple[type, str], tuple[str, str]] = {
    key: label._args
    for key, label in ENUM_LABELS.items()
    if len(getattr(label, "_args", ())) == 2 and not getattr(label, "_kwargs", None)
}


def specialty_choices(blank: bool = False) -> list[SelectChoice]:
    """The specialties as select options, named in the page's language."""
    locale = get_locale()
    language = locale.language if locale else "en"
    options = [SelectChoice(code, specialty_name(code, language)) for code in SPECIALTIES]
    return [SelectChoice("", "—"), *options] if blank else options
