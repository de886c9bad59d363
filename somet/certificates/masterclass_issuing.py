"""Masterclass certificates by class: any class, whoever attended (a cohort's doctor, a doctor
of another cohort, a guest), from the class's page or by the nightly run after it ends.

A masterclass certificate carries that class's own credit hours; an internship certificate
counts only its own cohort's classes (queries.masterclass_hours_for), so no hour is counted
twice.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from somet.audit.operations import record_event
from somet.certificates.files import store_pdfs
from somet.certificates.operations import SERIAL_LOCK, Target, check_issuer, issue_one
from somet.core.errors import InvalidTransition, NotFound, ValidationFailed
from somet.models import (
    Certificate,
    CertificateKind,
    Masterclass,
    Registration,
    RegistrationStatus,
    User,
    utcnow,
)
from somet.web.database import lock_for_write
from somet.web.extensions import db


def issue_masterclass_certificates(
    actor: User | None, masterclass_id: int, *, today: date | None = None
) -> dict:
    """Certificates for everyone who attended the class (those already issued are kept)."""
    check_issuer(actor)
    masterclass = db.session.get(Masterclass, masterclass_id)
    if masterclass is None:
        raise NotFound(_("There is no such masterclass."))
    if masterclass.ends_at > utcnow():
        raise InvalidTransition(_("Certificates can be issued once the masterclass has ended."))
    registration_ids = _attended(masterclass_id)
    db.session.commit()  # end the read: each unit below takes the write lock afresh
    new_ids, refused = _issue_each(actor, registration_ids, today)
    files = store_pdfs(new_ids, workers=1)
    lock_for_write(db.session(), SERIAL_LOCK)
    masterclass = db.session.get(Masterclass, masterclass_id)
    record_event(actor, "certificates.masterclass_issued", masterclass, issued=len(new_ids))
    db.session.commit()
    return {"issued": len(new_ids), "refused": refused, "files_written": files}


def _issue_each(actor, registration_ids: list[int], today) -> tuple[list[int], int]:
    """One unit per registration: (ids of the newly issued certificates, how many refused)."""
    new_ids, refused = [], 0
    for registration_id in registration_ids:
        target = Target(CertificateKind.MASTERCLASS, registration_id)
        try:
            certificate_id, new = issue_one(actor, target, today)
        except ValidationFailed:  # one holder's text breaks a bound: the others go on
            db.session.rollback()
            refused += 1
            continue
        if new:
            new_ids.append(certificate_id)
    return new_ids, refused


def _attended(masterclass_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Registration.id)
            .where(
                Registration.masterclass_id == masterclass_id,
                Registration.status == RegistrationStatus.ATTENDED,
            )
            .order_by(Registration.id)
        )
    )


def masterclasses_awaiting_certificates(now: datetime) -> list[int]:
    """Ended classes open to all with an attendee who never had a certificate for it.

    A cohort's own classes are issued with the cohort; a revoked certificate is not
    issued again by the night run (a director re-issues on purpose).
    """
    has_certificate = select(Certificate.id).where(
        Certificate.masterclass_id == Registration.masterclass_id,
        Certificate.doctor_id == Registration.doctor_id,
        Certificate.kind == CertificateKind.MASTERCLASS,
    )
    return list(
        db.session.scalars(
            select(Masterclass.id)
            .join(Registration, Registration.masterclass_id == Masterclass.id)
            .where(
                Masterclass.cohort_id.is_(None),
                Masterclass.ends_at <= now,
                Registration.status == RegistrationStatus.ATTENDED,
                ~has_certificate.exists(),
            )
            .distinct()
            .order_by(Masterclass.id)
        )
    )


def issue_due_masterclass_certificates(now: datetime) -> dict:
    """The nightly job: certificates for attendees of ended classes open to all."""
    masterclass_ids = masterclasses_awaiting_certificates(now)
    db.session.commit()
    issued = 0
    for masterclass_id in masterclass_ids:
        issued += _issue_new_only(masterclass_id, now.date())
    return {"masterclasses": len(masterclass_ids), "issued": issued}


def _issue_new_only(masterclass_id: int, today: date) -> int:
    """Issue for the attendees who never had a certificate of this class (system actor)."""
    ever_issued = select(Certificate.doctor_id).where(
        Certificate.masterclass_id == masterclass_id,
        Certificate.kind == CertificateKind.MASTERCLASS,
    )
    registration_ids = list(
        db.session.scalars(
            select(Registration.id).where(
                Registration.masterclass_id == masterclass_id,
                Registration.status == RegistrationStatus.ATTENDED,
                Registration.doctor_id.not_in(ever_issued),
            )
        )
    )
    db.session.commit()
    new_ids, _refused = _issue_each(None, registration_ids, today)
    store_pdfs(new_ids, workers=1)
    return len(new_ids)
