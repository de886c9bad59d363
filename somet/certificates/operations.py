"""Issuing, re-issuing and revoking certificates (the batch job is in certificate_batches.py).

Each certificate is one unit of work: under ``lock_for_write`` the next serial of the year is
taken, the frozen snapshot built and signed, the row inserted and committed, so concurrent
batches get serials with no gap and no duplicate, and an enrollment never gets two live
certificates. The PDF is rendered after that commit (no lock held) and written atomically;
its SHA-256 is recorded last. A crashed batch, run again, skips what is issued and renders
any file that is missing or does not match its hash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.audit.operations import record_event
from somet.certificates import queries as facts
from somet.certificates import storage
from somet.certificates.core import offline, payload
from somet.certificates.core.completion import judge_enrollment
from somet.certificates.core.signing import sign_snapshot
from somet.certificates.files import PdfWriter, store_pdfs
from somet.certificates.keys import SERIAL_LOCK, active_signing_key
from somet.certificates.notices import holder_told_of_issue, holder_told_of_revocation
from somet.core.errors import InvalidTransition, NotFound, ValidationFailed
from somet.models import (
    Certificate,
    CertificateKind,
    Cohort,
    Registration,
    SerialCounter,
    User,
    utcnow,
)
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db

ALL_CORES_FROM = 40  # batches larger than this render on every core
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Target:
    """What a certificate is for: an enrollment or a masterclass registration."""

    kind: CertificateKind
    object_id: int


def check_issuer(actor: User | None) -> None:
    # None is the system itself (the nightly auto-issue, the demo loader).
    if actor is not None:
        require_staff(actor)


def issue_certificates(
    actor: User | None,
    cohort_id: int,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> dict:
    """Certificates for the cohort's complete enrollments and attended cohort masterclasses."""
    check_issuer(actor)
    cohort = facts.load_cohort(cohort_id)
    if cohort is None:
        raise NotFound(_("There is no such cohort."))
    targets = [
        Target(CertificateKind.INTERNSHIP, row.enrollment.id)
        for row in facts.cohort_completion(cohort)
        if row.verdict.complete
    ] + [Target(CertificateKind.MASTERCLASS, r.id) for r in facts.attended_registrations(cohort_id)]
    rules = facts.cohort_rules(cohort)  # plain data: read once for the whole batch
    db.session.commit()  # end the read: each unit below takes the write lock afresh
    if workers is None:
        workers = 0 if len(targets) > ALL_CORES_FROM else 1
    writer = PdfWriter(workers, len(targets), progress)
    issued, ids = 0, []
    refused = 0
    for target in targets:
        try:
            certificate_id, new = issue_one(actor, target, today, rules)
        except ValidationFailed:  # one holder's text breaks a bound: the others go on
            db.session.rollback()
            refused += 1
            continue
        issued += new
        if certificate_id is not None:
            ids.append(certificate_id)
            writer.add(certificate_id)  # renders in a worker while the next one is issued
    files = writer.finish()
    lock_for_write(db.session(), SERIAL_LOCK)  # on SQLite a read-then-write could not wait
    record_event(
        actor,
        "certificates.batch_issued",
        db.session.get(Cohort, cohort_id),
        issued=issued,
        files=files,
    )
    db.session.commit()
    return {
        "issued": issued,
        "already_issued": len(ids) - issued,
        "refused": refused,
        "files_written": files,
    }


def issue_one(
    actor: User | None, target: Target, today: date | None, rules=None
) -> tuple[int | None, bool]:
    """Issue ``target``'s certificate unless it has a live one: (certificate id, newly issued)."""
    lock_for_write(db.session(), SERIAL_LOCK)
    existing = _live_certificate(target)
    if existing is not None:
        db.session.commit()
        return existing, False
    certificate = _build_certificate(actor, target, today, rules)
    if certificate is None:
        db.session.rollback()
        return None, False
    holder_told_of_issue(certificate)
    certificate_id = certificate.id
    db.session.commit()
    return certificate_id, True


def _live_certificate(target: Target) -> int | None:
    query = select(Certificate.id).where(
        Certificate.kind == target.kind, Certificate.revoked_at.is_(None)
    )
    if target.kind == CertificateKind.INTERNSHIP:
        query = query.where(Certificate.enrollment_id == target.object_id)
    else:
        registration = db.session.get(Registration, target.object_id)
        query = query.where(
            Certificate.masterclass_id == registration.masterclass_id,
            Certificate.doctor_id == registration.doctor_id,
        )
    return db.session.scalar(query)


def _build_certificate(actor, target: Target, today: date | None, rules=None) -> Certificate | None:
    """A new signed certificate row for ``target`` (flushed), or None when not earned."""
    if target.kind == CertificateKind.INTERNSHIP:
        enrollment = facts.load_enrollment(target.object_id)
        if rules is None or rules.cohort_id != enrollment.cohort_id:
            rules = facts.cohort_rules(facts.load_cohort(enrollment.cohort_id))
        hours = facts.masterclass_hours_for(rules.cohort_id, enrollment.doctor_id)
        verdict = judge_enrollment(facts.completion_input(rules, enrollment, hours))
        if not verdict.complete:
            return None
        holder, programme = facts.holder_of(enrollment.doctor), rules.programme
        fields = dict(doctor_id=enrollment.doctor_id, enrollment_id=enrollment.id)
        return _new_certificate(
            actor,
            lambda stamp: payload.internship_snapshot(stamp, holder, programme, verdict),
            fields | {"kind": CertificateKind.INTERNSHIP},
            today,
        )
    registration = db.session.scalars(
        select(Registration)
        .where(Registration.id == target.object_id)
        .options(joinedload(Registration.masterclass), joinedload(Registration.doctor))
    ).one()
    holder = facts.holder_of(registration.doctor)
    about = facts.masterclass_facts_of(registration.masterclass)
    fields = dict(doctor_id=registration.doctor_id, masterclass_id=registration.masterclass_id)
    return _new_certificate(
        actor,
        lambda stamp: payload.masterclass_snapshot(stamp, holder, about),
        fields | {"kind": CertificateKind.MASTERCLASS},
        today,
    )


def _new_certificate(actor, make_snapshot, fields: dict, today: date | None) -> Certificate:
    now = utcnow()
    today = today or now.date()
    kid, key = active_signing_key()
    code = payload.new_verification_code()
    stamp = payload.Stamp(_next_serial(today.year), code, kid, today)
    try:
        snapshot = make_snapshot(stamp)
    except payload.PayloadError as error:
        raise ValidationFailed(_payload_refusal(error)) from None
    certificate = Certificate(
        serial=stamp.serial,
        snapshot=snapshot,
        hours=snapshot["hours"],
        verification_code=code,
        signature=sign_snapshot(key, snapshot),
        signing_key_id=kid,
        qr_payload=offline.encode(offline.claims_of(snapshot), key),
        pdf_path=storage.relative_pdf_path(stamp.serial, code),
        issued_by_id=actor.id if actor else None,
        # one issue date everywhere: the list shows the day the PDF and the snapshot name
        issued_at=now if today == now.date() else datetime.combine(today, now.time(), UTC),
        **fields,
    )
    db.session.add(certificate)
    db.session.flush()
    record_event(actor, "certificate.issued", certificate, serial=stamp.serial)
    return certificate


def _payload_refusal(error: payload.PayloadError) -> str:
    if error.code == "text_too_long":
        return _(
            "The certificate cannot be made: a name or title on it is longer than %(num)d "
            "characters. Shorten it (on the doctor's, the cohort's or the hospital's page) "
            "and try again.",
            num=error.limit,
        )
    if error.code in ("too_many_rotations", "too_many_hosts"):
        return _(
            "The certificate cannot be made: it would list more than %(num)d rotations or "
            "hospitals.",
            num=error.limit,
        )
    return _("The certificate cannot be made: its text is too long for one page.")


def _next_serial(year: int) -> str:
    """The next serial of ``year``; the caller holds SERIAL_LOCK until it commits."""
    counter = db.session.get(SerialCounter, year, populate_existing=True)
    if counter is None:
        counter = SerialCounter(year=year, last_number=0)
        db.session.add(counter)
    counter.last_number += 1
    return payload.format_serial(year, counter.last_number)


def checked_reason(reason: str | None) -> str:
    """The reason for a revocation or re-issue, stripped; refused when empty or too long."""
    return _reason(reason)


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for revoking the certificate."))
    if len(reason) > 500:
        raise ValidationFailed(_("The reason is longer than 500 characters."))
    return reason


def _live_for_update(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id, populate_existing=True)
    if certificate is None:
        raise NotFound(_("There is no such certificate."))
    if certificate.revoked_at is not None:
        raise InvalidTransition(
            _("Certificate %(serial)s is already revoked.", serial=certificate.serial)
        )
    return certificate


def revoke_certificate(actor: User, certificate_id: int, reason: str) -> Certificate:
    """Revoke a certificate with a reason (audited); its verification page says so."""
    check_issuer(actor)
    reason = _reason(reason)
    lock_for_write(db.session(), SERIAL_LOCK)
    certificate = _live_for_update(certificate_id)
    _mark_revoked(actor, certificate, reason)
    holder_told_of_revocation(certificate)
    db.session.commit()
    return certificate


def _mark_revoked(actor, certificate: Certificate, reason: str, replacement=None) -> None:
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id if actor else None
    certificate.revocation_reason = reason
    certificate.replaced_by_id = replacement.id if replacement else None
    record_event(
        actor,
        "certificate.revoked",
        certificate,
        serial=certificate.serial,
        reason=reason,
        replaced_by=replacement.serial if replacement else None,
    )


def reissue_certificate(
    actor: User | None, certificate_id: int, reason: str, *, today: date | None = None
) -> Certificate:
    """A corrected certificate (new serial, today's data); the old one revoked, pointing to it."""
    (new_id,) = reissue_certificates(actor, [certificate_id], reason, today=today, workers=1)
    return db.session.get(Certificate, new_id)


def reissue_certificates(
    actor: User | None,
    certificate_ids: Iterable[int],
    reason: str,
    *,
    today: date | None = None,
    workers: int = 0,
) -> list[int]:
    """Re-issue many (e.g. alumni after a template change): one unit each, PDFs on every core."""
    check_issuer(actor)
    reason = _reason(reason)
    new_ids = [_reissue_unit(actor, old_id, reason, today) for old_id in certificate_ids]
    store_pdfs(new_ids, workers=workers)
    return new_ids


def reissue_one(
    actor: User | None, certificate_id: int, reason: str, *, today: date | None = None
) -> int:
    """Re-issue one live certificate in its own transaction (a job's unit); the new id.
    Raises InvalidTransition when it is no longer earned or already revoked."""
    return _reissue_unit(actor, certificate_id, checked_reason(reason), today)


def _reissue_unit(actor, certificate_id: int, reason: str, today: date | None) -> int:
    lock_for_write(db.session(), SERIAL_LOCK)
    old = _live_for_update(certificate_id)
    if old.kind == CertificateKind.INTERNSHIP:
        target = Target(old.kind, old.enrollment_id)
    else:
        registration_id = db.session.scalar(
            select(Registration.id).where(
                Registration.masterclass_id == old.masterclass_id,
                Registration.doctor_id == old.doctor_id,
            )
        )
        target = Target(old.kind, registration_id)
    new = _build_certificate(actor, target, today) if target.object_id else None
    if new is None:
        db.session.rollback()
        raise InvalidTransition(
            _("%(serial)s is no longer earned; revoke it instead.", serial=old.serial)
        )
    _mark_revoked(actor, old, reason, replacement=new)
    holder_told_of_issue(new, replaces=old)  # one message: the new one, naming the old
    new_id = new.id
    db.session.commit()
    return new_id


def remove_certificate_files(storage_dir: str, relative_paths) -> None:
    """Delete the stored PDFs of ``relative_paths`` (rows already deleted, e.g. a demo reset)."""
    for relative in relative_paths:
        path = storage.stored_file(storage_dir, relative)
        if path is not None:
            path.unlink(missing_ok=True)
