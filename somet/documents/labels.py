"""Words for document kinds and checklist states (translated when shown)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

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

STATE_LABELS = {
    "missing": _l("Missing"),
    "uploaded": _l("Uploaded"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "expired": _l("Expired"),
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
