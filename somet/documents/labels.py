"""Words for document kinds and checklist states (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from somet.models import DocumentKind

KIND_LABELS = {
    DocumentKind.PASSPORT: _l("Passport"),
    DocumentKind.VISA: _l("Visa"),
    DocumentKind.MEDICAL_LICENCE: _l("Medical licence"),
    DocumentKind.INSURANCE: _l("Malpractice / health insurance"),
    DocumentKind.VACCINATION: _l("Vaccination record"),
    DocumentKind.CONFIDENTIALITY: _l("Signed confidentiality form"),
    DocumentKind.CV: _l("CV"),
}

# Kinds that always carry an expiry date: the upload form asks for it.
EXPIRING_KINDS = frozenset(
    {
        DocumentKind.PASSPORT,
        DocumentKind.VISA,
        DocumentKind.MEDICAL_LICENCE,
        DocumentKind.INSURANCE,
    }
)

# One name per state, everywhere (badges, filters, readiness reasons, the review queue, the
# XLSX export, e-mails): "uploaded" is "Awaiting review" wherever a person reads it.
STATE_LABELS = {
    "missing": lazy_pgettext("document status", "Missing"),
    "uploaded": lazy_pgettext("document status", "Awaiting review"),
    "accepted": lazy_pgettext("document status", "Accepted"),
    "rejected": lazy_pgettext("document status", "Rejected"),
    "expired": lazy_pgettext("document status", "Expires before departure"),
}

STATE_BADGES = {
    "missing": "text-bg-light border",
    "uploaded": "text-bg-info",
    "accepted": "text-bg-success",
    "rejected": "text-bg-danger",
    "expired": "text-bg-warning",
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS[DocumentKind(kind)])


def state_label(state: str) -> str:
    """The one name of a checklist state or a document status ("uploaded", "missing"...)."""
    return str(STATE_LABELS[str(state)])


def requirement_anchor(requirement_id: int | None) -> str:
    """The id of a requirement's row on the doctor's checklist ("My documents"), for links."""
    return f"requirement-{requirement_id}"
