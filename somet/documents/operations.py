"""Travel documents: hospital requirements, doctors' uploads, the director's review, reminders."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased, joinedload

from somet.audit.operations import record_event
from somet.core.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from somet.documents import rules
from somet.documents.labels import EXPIRING_KINDS, STATE_LABELS, kind_label
from somet.documents.storage import remove_file, store_file, stored_path
from somet.models import (
    Cohort,
    CohortHost,
    CohortStatus,
    Doctor,
    DocumentKind,
    DocumentRequirement,
    DocumentStatus,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    Role,
    TravelDocument,
    User,
    utcnow,
)
from somet.notifications.operations import enqueue_notification
from somet.web.access import require_staff
from somet.web.database import lock_for_write
from somet.web.extensions import db


def travel_document_scope(query, user: User):
    """Doctor: its own. Coordinator: the kinds its hospital requires, of its visitors."""
    if user.role == Role.DOCTOR:
        return query.where(TravelDocument.doctor_id == user.doctor_id)
    # Only for current and upcoming visits: last year's hosts no longer see the scans. The
    # pairs (doctor, kind) the hospital may see, found once from its visitors, not probed for
    # each document of every doctor there ever was.
    required_here = (
        select(Enrollment.doctor_id, DocumentRequirement.kind)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(CohortHost, CohortHost.cohort_id == Enrollment.cohort_id)
        .join(DocumentRequirement, DocumentRequirement.hospital_id == CohortHost.hospital_id)
        .where(
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
            Cohort.status.not_in(CohortStatus.FINISHED),
            CohortHost.hospital_id == user.hospital_id,
        )
    )
    return query.where(tuple_(TravelDocument.doctor_id, TravelDocument.kind).in_(required_here))


def set_requirement(
    actor: User, hospital_id: int, *, kind: DocumentKind, expires: bool, due_days: int
) -> DocumentRequirement:
    """Declare (or change) that ``hospital_id`` requires documents of ``kind``."""
    require_staff(actor)
    if due_days < 0:
        raise ValidationFailed(_("Days before arrival cannot be negative."))
    lock_for_write(db.session(), f"document-requirements:{hospital_id}")
    if db.session.get(Hospital, hospital_id) is None:
        raise NotFound(_("No such hospital."))
    requirement = db.session.scalars(
        select(DocumentRequirement).where(
            DocumentRequirement.hospital_id == hospital_id, DocumentRequirement.kind == kind
        )
    ).first()
    action = "document_requirement.changed"
    if requirement is None:
        requirement = DocumentRequirement(hospital_id=hospital_id, kind=kind)
        db.session.add(requirement)
        action = "document_requirement.added"
    requirement.expires = expires
    requirement.due_days_before_arrival = due_days
    db.session.flush()
    record_event(
        actor,
        action,
        requirement,
        hospital_id=hospital_id,
        kind=kind,
        expires=expires,
        due_days=due_days,
    )
    db.session.commit()
    return requirement


def remove_requirement(actor: User, hospital_id: int, requirement_id: int) -> None:
    """Stop requiring a kind of document at ``hospital_id``."""
    require_staff(actor)
    requirement = db.session.scalars(
        select(DocumentRequirement).where(
            DocumentRequirement.id == requirement_id,
            DocumentRequirement.hospital_id == hospital_id,
        )
    ).first()
    if requirement is None:
        raise NotFound(_("No such requirement."))
    record_event(
        actor,
        "document_requirement.removed",
        requirement,
        hospital_id=hospital_id,
        kind=requirement.kind,
    )
    db.session.delete(requirement)
    db.session.commit()


def clean_filename(filename: str | None) -> str:
    """The last path part of a client's file name, without control characters."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable()).strip()
    return name[-200:] or "document"


def read_upload(stream: BinaryIO) -> tuple[bytes, str]:
    """The bytes of an upload and their content type, or ValidationFailed (nothing stored)."""
    content = stream.read(rules.MAX_UPLOAD_BYTES + 1)
    if not content:
        raise ValidationFailed(_("The file is empty."))
    if len(content) > rules.MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("The file is larger than 10 MB."))
    content_type = rules.sniff_content_type(content[:16])
    if content_type is None:
        raise ValidationFailed(_("Only PDF, JPEG and PNG files are accepted; this file is none."))
    return content, content_type


def upload_document(
    actor: User,
    *,
    kind: DocumentKind,
    stream: BinaryIO,
    filename: str | None,
    valid_until: date | None,
    storage_dir: str,
    today: date,
    doctor_id: int | None = None,
) -> TravelDocument:
    """Store a document (PDF, JPEG or PNG, at most 10 MB, checked by content): a doctor's
    own, or, with ``doctor_id``, one a director received from that doctor (by e-mail, on
    paper). Either way it waits for review like any upload."""
    doctor_id = _owner_of_upload(actor, doctor_id)
    if kind in EXPIRING_KINDS and valid_until is None:
        raise ValidationFailed(_("Give the date until which this document is valid."))
    if valid_until is not None and valid_until < today:
        raise ValidationFailed(_("This document has already expired."))
    content, content_type = read_upload(stream)
    name = store_file(storage_dir, content)
    try:
        document = TravelDocument(
            doctor_id=doctor_id,
            kind=kind,
            storage_name=name,
            original_filename=clean_filename(filename),
            content_type=content_type,
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            valid_until=valid_until,
            status=DocumentStatus.UPLOADED,
        )
        _save_upload(actor, document)
    except Exception:
        db.session.rollback()
        remove_file(storage_dir, name)  # a file without its row would be unreachable
        raise
    return document


def _owner_of_upload(actor: User, doctor_id: int | None) -> int:
    """The doctor a document is uploaded for: doctors only for themselves, staff for anyone."""
    if actor.role == Role.DOCTOR and actor.doctor_id is not None:
        if doctor_id not in (None, actor.doctor_id):
            raise NotFound(_("There is no such doctor."))  # another doctor's: as if absent
        return actor.doctor_id
    if not actor.role.is_staff:
        raise NotAllowed(_("Only doctors and programme directors upload documents."))
    if doctor_id is None or db.session.get(Doctor, doctor_id) is None:
        raise NotFound(_("There is no such doctor."))
    return doctor_id


def _save_upload(actor: User, document: TravelDocument) -> None:
    db.session.add(document)
    db.session.flush()
    details = {"kind": document.kind, "size": document.size_bytes}
    if actor.doctor_id != document.doctor_id:  # filed by a director for the doctor
        details["for_doctor_id"] = document.doctor_id
    record_event(actor, "document.uploaded", document, **details)
    db.session.commit()


def review_document(
    actor: User, document_id: int, *, accept: bool, reason: str | None = None
) -> TravelDocument:
    """Accept a document, or reject it with a reason (the doctor is told why)."""
    require_staff(actor)
    target = DocumentStatus.ACCEPTED if accept else DocumentStatus.REJECTED
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationFailed(_("Say why the document is rejected."))
    lock_for_write(db.session(), f"travel-document:{document_id}")
    document = _document_for_review(document_id, target)
    document.status = target
    document.rejection_reason = None if accept else reason[:500]
    document.reviewed_by_id = actor.id
    document.reviewed_at = utcnow()
    record_event(
        actor,
        f"document.{target}",
        document,
        doctor_id=document.doctor_id,
        kind=document.kind,
        reason=document.rejection_reason,
    )
    if not accept:
        _notify_rejection(document)
    db.session.commit()
    return document


def _document_for_review(document_id: int, target: DocumentStatus) -> TravelDocument:
    document = db.session.scalars(
        select(TravelDocument)
        .where(TravelDocument.id == document_id)
        .options(joinedload(TravelDocument.doctor))
    ).first()
    if document is None:
        raise NotFound(_("No such document."))
    if not rules.can_transition(document.status, target):
        raise InvalidTransition(
            _(
                "A document that is %(status)s cannot become %(target)s.",
                status=STATE_LABELS[document.status],
                target=STATE_LABELS[target],
            )
        )
    return document


def _recipient(doctor: Doctor, users_by_doctor: dict[int, User]) -> tuple[str | None, User | None]:
    user = users_by_doctor.get(doctor.id)
    return (user.email if user else doctor.email), user


def _users_of(doctor_ids: set[int]) -> dict[int, User]:
    users = db.session.scalars(select(User).where(User.doctor_id.in_(doctor_ids), User.active))
    return {user.doctor_id: user for user in users}


def _notify_rejection(document: TravelDocument) -> None:
    email, user = _recipient(document.doctor, _users_of({document.doctor_id}))
    if not email:
        return
    language = user.language.value if user else document.doctor.preferred_language.value
    with force_locale(language):
        kind = kind_label(document.kind)
        enqueue_notification(
            to_email=email,
            user=user,
            language=language,
            kind="document_rejected",
            subject=_("Your document was not accepted: %(kind)s", kind=kind),
            body=_(
                "Your %(kind)s (%(file)s) was not accepted: %(reason)s\n"
                "Please upload a new one in SOMET under “My documents”.",
                kind=kind,
                file=document.original_filename,
                reason=document.rejection_reason,
            ),
        )


def send_document_expiry_reminders(today: date) -> int:
    """Remind doctors 30 and 7 days before a document needed for an upcoming trip expires.

    Idempotent: each (document, 30 or 7 days) reminder is written once, whenever it runs.
    """
    documents = db.session.scalars(_expiring_documents_query(today)).unique().all()
    if not documents:
        return 0
    users = _users_of({d.doctor_id for d in documents})
    sent = 0
    for document in documents:
        stage = rules.reminder_stage(document.valid_until, today)
        if stage is not None and _remind(document, stage, users):
            sent += 1
    db.session.commit()
    return sent


def _expiring_documents_query(today: date):
    """Documents expiring within 30 days, before the end of a trip whose host requires them."""
    return (
        select(TravelDocument)
        .options(joinedload(TravelDocument.doctor))
        .where(
            TravelDocument.status != DocumentStatus.REJECTED,
            TravelDocument.valid_until >= today,
            TravelDocument.valid_until <= today + timedelta(days=max(rules.REMINDER_DAYS)),
            exists(_trip_needing_it()),
            ~exists(_renewal_of_it()),
        )
        .order_by(TravelDocument.id)
    )


def _trip_needing_it():
    """A current or upcoming trip of the document's doctor that it does not cover."""
    departure = func.coalesce(Enrollment.departure_date, Cohort.end_date)
    return (
        select(Enrollment.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(CohortHost, CohortHost.cohort_id == Cohort.id)
        .join(
            DocumentRequirement,
            and_(
                DocumentRequirement.hospital_id == CohortHost.hospital_id,
                DocumentRequirement.kind == TravelDocument.kind,
                DocumentRequirement.expires.is_(True),
            ),
        )
        .where(
            Enrollment.doctor_id == TravelDocument.doctor_id,
            Enrollment.status.in_(EnrollmentStatus.TRAVELLING),
            Cohort.status.not_in(CohortStatus.FINISHED),
            departure > TravelDocument.valid_until,
        )
    )


def _renewal_of_it():
    """A later-expiring (or non-expiring) document of the same kind: no reminder needed."""
    newer = aliased(TravelDocument)
    return select(newer.id).where(
        newer.doctor_id == TravelDocument.doctor_id,
        newer.kind == TravelDocument.kind,
        newer.status != DocumentStatus.REJECTED,
        or_(newer.valid_until.is_(None), newer.valid_until > TravelDocument.valid_until),
    )


def _remind(document: TravelDocument, stage: int, users: dict[int, User]) -> bool:
    email, user = _recipient(document.doctor, users)
    if not email:
        return False
    language = user.language.value if user else document.doctor.preferred_language.value
    with force_locale(language):
        kind = kind_label(document.kind)
        notification = enqueue_notification(
            to_email=email,
            user=user,
            language=language,
            kind="document_expiring",
            subject=_(
                "Your %(kind)s expires on %(date)s",
                kind=kind,
                date=document.valid_until.isoformat(),
            ),
            body=_(
                "Your %(kind)s expires on %(date)s, before the end of an upcoming programme. "
                "Please upload a renewed one in SOMET under “My documents”.",
                kind=kind,
                date=document.valid_until.isoformat(),
            ),
            dedup_key=f"document-expiry:{document.id}:{stage}",
        )
    return notification is not None


def store_document_file(storage_dir: str, content: bytes) -> str:
    """Keep ``content`` as a new stored file; its name (for loaders writing their own rows)."""
    return store_file(storage_dir, content)


def document_file_path(storage_dir: str, name: str) -> Path:
    """Where the stored file of ``name`` is (for features keeping files the documents' way)."""
    return stored_path(storage_dir, name)


def remove_document_files(storage_dir: str, names) -> None:
    """Delete the stored files of ``names`` (rows already deleted, e.g. by a demo reset)."""
    for name in names:
        remove_file(storage_dir, name)
