"""Sending files: stored documents (as downloads, or inline on the review page) and letters."""

from __future__ import annotations

from datetime import date

from flask import Response, current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from somet.core.errors import NotFound, ValidationFailed
from somet.documents.letters import Letter, letters_zip, render_letters
from somet.documents.storage import stored_path
from somet.models import (
    Cohort,
    CohortHost,
    Doctor,
    Enrollment,
    EnrollmentStatus,
    TravelDocument,
)
from somet.web.downloads import download_headers, send_stored_file
from somet.web.extensions import db
from somet.web.security import allow_same_origin_embedding

__all__ = ["attachment", "cohort_letters", "letters_zip", "stored_attachment", "stored_inline"]

# What a browser may show inline: the types an upload's own bytes proved (rules.SIGNATURES).
# Never HTML or SVG, which would run as our origin.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def attachment(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return download_headers(response)


def stored_attachment(document: TravelDocument) -> Response:
    """The stored file of ``document`` (the caller has checked who may see it)."""
    return _stored_file(document, as_attachment=True)


def stored_inline(document: TravelDocument) -> Response:
    """The stored file to show on a page of ours: a PDF in a frame or an image; anything else
    (none is stored, but never trust a column) is sent as a download."""
    if document.content_type not in INLINE_TYPES:
        return stored_attachment(document)
    allow_same_origin_embedding()
    return _stored_file(document, as_attachment=False)


def _stored_file(document: TravelDocument, *, as_attachment: bool) -> Response:
    path = stored_path(current_app.config["SOMET_STORAGE_DIR"], document.storage_name)
    return send_stored_file(
        path, document.content_type, document.original_filename, as_attachment=as_attachment
    )


def cohort_letters(cohort_id: int, today: date, enrollment_id: int | None = None) -> list[Letter]:
    """Invitation letters of the cohort's doctors (or of one enrollment), on the first host's
    letterhead; raises NotFound or ValidationFailed with the reason."""
    cohort = db.session.scalars(
        select(Cohort)
        .where(Cohort.id == cohort_id)
        .options(
            joinedload(Cohort.director),
            selectinload(Cohort.hosts).joinedload(CohortHost.hospital),
        )
    ).first()
    if cohort is None:
        raise NotFound(_("No such cohort."))
    hosts = [host.hospital for host in sorted(cohort.hosts, key=lambda h: h.id)]
    if not hosts:
        raise ValidationFailed(_("Choose the cohort's host hospital before writing letters."))
    query = (
        select(Enrollment)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .options(joinedload(Enrollment.doctor))
        .where(Enrollment.cohort_id == cohort_id, Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .order_by(Doctor.last_name, Doctor.first_name, Enrollment.id)
    )
    if enrollment_id is not None:
        query = query.where(Enrollment.id == enrollment_id)
    enrollments = db.session.scalars(query).all()
    if not enrollments:
        return []
    return render_letters(cohort, hosts[0], hosts, enrollments, today)
