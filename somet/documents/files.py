"""Sending files: stored documents and generated letters, always as downloads."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, send_file
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
from somet.web.extensions import db

__all__ = ["attachment", "cohort_letters", "letters_zip", "stored_attachment"]


def _download_headers(response: Response) -> Response:
    # Never rendered inline by the browser, never sniffed into HTML, never cached by proxies.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def attachment(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _download_headers(response)


def stored_attachment(document: TravelDocument) -> Response:
    """The stored file of ``document`` (the caller has checked who may see it)."""
    path = stored_path(current_app.config["SOMET_STORAGE_DIR"], document.storage_name)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.original_filename,
        conditional=False,
        etag=False,
    )
    return _download_headers(response)


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
