"""Telling a holder their certificate was issued, re-issued or revoked (issue 19 item 3).

Each message is written in the same transaction as the certificate it is about, once per
certificate (its dedup key), to the holder's login when they have one (its e-mail and
language), else to the doctor's own e-mail in their preferred language. A doctor with
neither gets no message. Links point at the public host: the download needs a login, the
verification page does not.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.models import Certificate, CertificateKind, Doctor
from somet.notifications.operations import notify, recipient_for_doctor
from somet.web.extensions import db


def holder_told_of_issue(certificate: Certificate, replaces: Certificate | None = None) -> None:
    """Write the holder's e-mail about a new certificate (a re-issue names the one it replaces)."""
    _tell(certificate, "certificate_issued", f"certificate-issued:{certificate.id}", replaces)


def holder_told_of_revocation(certificate: Certificate) -> None:
    """Write the holder's e-mail that a certificate is revoked, with the reason."""
    _tell(certificate, "certificate_revoked", f"certificate-revoked:{certificate.id}")


def _tell(certificate: Certificate, kind: str, dedup_key: str, replaces=None) -> None:
    doctor = db.session.scalars(
        select(Doctor).options(joinedload(Doctor.user)).where(Doctor.id == certificate.doctor_id)
    ).one()
    # An invited doctor who has not set a password yet has no login to read it in.
    login = doctor.user if doctor.user is not None and doctor.user.password_hash else None
    recipient = recipient_for_doctor(doctor, login)
    if recipient is None:
        return
    notify(
        recipient,
        kind,
        dedup_key,
        certificate=certificate,
        about=_what_for(certificate),
        replaces=replaces,
    )


def _what_for(certificate: Certificate) -> str:
    """The programme or masterclass the certificate is for, as printed on it."""
    if certificate.kind == CertificateKind.INTERNSHIP:
        return certificate.snapshot.get("programme", {}).get("name", "")
    return certificate.snapshot.get("masterclass", {}).get("title", "")
