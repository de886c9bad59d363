"""Documents pages: requirements, the cohort checklist, uploads, review, files and letters."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, func, select

from somet.core.errors import DomainError
from somet.documents import files, forms
from somet.documents import operations as service
from somet.documents import queries as checklists
from somet.documents.export import checklist_workbook
from somet.documents.labels import KIND_LABELS, STATE_BADGES, STATE_LABELS
from somet.models import (
    Cohort,
    CohortStatus,
    Doctor,
    DocumentRequirement,
    Hospital,
    Role,
    TravelDocument,
    utcnow,
)
from somet.web.access import STAFF, role_required
from somet.web.extensions import db
from somet.web.i18n import name_of
from somet.web.refusals import abort_if_missing, flash_error, form_error

blueprint = Blueprint("documents", __name__, url_prefix="/documents")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blueprint.context_processor
def _labels():
    # Translated once per page: a lazy text is translated anew each time a row shows it, and
    # a list of a hundred documents showed two per row.
    return {
        "kind_labels": {kind: str(label) for kind, label in KIND_LABELS.items()},
        "state_labels": {state: str(label) for state, label in STATE_LABELS.items()},
        "state_badges": STATE_BADGES,
    }


def today():
    return utcnow().date()


def _actor():
    return current_user._get_current_object()


@blueprint.route("/")
@role_required(*STAFF)
def list_overview():
    cohorts = db.session.scalars(
        select(Cohort)
        .where(Cohort.status.not_in(CohortStatus.FINISHED))
        .order_by(Cohort.start_date)
    ).all()
    hospitals = db.session.execute(
        select(Hospital, func.count(DocumentRequirement.id))
        .outerjoin(DocumentRequirement, DocumentRequirement.hospital_id == Hospital.id)
        .group_by(Hospital.id)
        .order_by(Hospital.name)
    ).all()
    return render_template(
        "documents/overview.html",
        cohorts=cohorts,
        hospitals=hospitals,
        waiting=checklists.documents_awaiting_review_count(),
    )


@blueprint.route("/hospitals/<int:hospital_id>/requirements", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_requirements(hospital_id: int):
    hospital = db.session.get(Hospital, hospital_id) or abort(404)
    form = forms.RequirementForm()
    if form.validate_on_submit():
        try:
            service.set_requirement(
                _actor(),
                hospital_id,
                kind=forms.kind_of(form),
                expires=form.expires.data,
                due_days=form.due_days.data,
            )
        except DomainError as error:
            form_error(form.kind, error)
        else:
            flash(_("Requirement saved."), "success")
            return redirect(url_for(".edit_requirements", hospital_id=hospital_id))
    requirements = db.session.scalars(
        select(DocumentRequirement)
        .where(DocumentRequirement.hospital_id == hospital_id)
        .order_by(DocumentRequirement.kind)
    ).all()
    return render_template(
        "documents/requirements.html", hospital=hospital, form=form, requirements=requirements
    )


@blueprint.route(
    "/hospitals/<int:hospital_id>/requirements/<int:requirement_id>/delete", methods=["POST"]
)
@role_required(*STAFF)
def delete_requirement(hospital_id: int, requirement_id: int):
    if not forms.AcceptForm().validate_on_submit():
        abort(400)
    service.remove_requirement(_actor(), hospital_id, requirement_id)  # refusals: error page
    flash(_("Requirement removed."), "success")
    return redirect(url_for(".edit_requirements", hospital_id=hospital_id))


def _filtered_checklist(cohort_id: int):
    try:
        checklist = checklists.cohort_checklist(cohort_id, today())
    except DomainError as error:
        abort_if_missing(error)
        raise
    form = forms.ChecklistFilterForm(request.args)
    form.validate()
    rows = checklists.filter_rows(
        checklist.rows,
        state=None if form.state.errors else form.state.data,
        kind=None if form.kind.errors else form.kind.data,
        ready=None if form.ready.errors else form.ready.data,
        text=form.q.data,
    )
    return checklist, rows, form


@blueprint.route("/cohorts/<int:cohort_id>")
@role_required(*STAFF)
def show_checklist(cohort_id: int):
    checklist, rows, form = _filtered_checklist(cohort_id)
    return render_template(
        "documents/checklist.html",
        checklist=checklist,
        rows=rows,
        form=form,
        cohort=checklist.cohort,
    )


@blueprint.route("/cohorts/<int:cohort_id>/checklist.xlsx")
@role_required(*STAFF)
def export_checklist(cohort_id: int):
    checklist, rows, _form = _filtered_checklist(cohort_id)
    return files.attachment(
        checklist_workbook(checklist, rows), XLSX, f"documents-cohort-{cohort_id}.xlsx"
    )


@blueprint.route("/cohorts/<int:cohort_id>/letters/<int:enrollment_id>.pdf")
@role_required(Role.DIRECTOR)
def download_letter(cohort_id: int, enrollment_id: int):
    letters = _letters_or_redirect(cohort_id, enrollment_id)
    if not isinstance(letters, list):
        return letters
    if not letters:
        abort(404)
    return files.attachment(letters[0].pdf, "application/pdf", letters[0].filename)


def _letters_or_redirect(cohort_id: int, enrollment_id: int | None = None):
    try:
        return files.cohort_letters(cohort_id, today(), enrollment_id=enrollment_id)
    except DomainError as error:
        flash_error(error, "warning")  # nothing to make yet: a notice, not an error
        return redirect(url_for(".show_checklist", cohort_id=cohort_id))


@blueprint.route("/cohorts/<int:cohort_id>/letters.zip")
@role_required(Role.DIRECTOR)
def download_letters(cohort_id: int):
    letters = _letters_or_redirect(cohort_id)
    if not isinstance(letters, list):
        return letters
    if not letters:
        flash(_("This cohort has no doctors to invite yet."), "warning")
        return redirect(url_for(".show_checklist", cohort_id=cohort_id))
    return files.attachment(
        files.letters_zip(letters), "application/zip", f"invitations-cohort-{cohort_id}.zip"
    )


@blueprint.route("/doctors/<int:doctor_id>/upload", methods=["GET", "POST"])
@role_required(*STAFF)
def upload_for_doctor(doctor_id: int):
    """A director files a document received from the doctor; it then waits for review."""
    doctor = db.session.get(Doctor, doctor_id) or abort(404)
    cohort = db.session.get(Cohort, request.args.get("cohort", type=int) or 0)
    form = forms.UploadForm()
    documents = None
    if not form.is_submitted():  # propose what is asked for, never what is already accepted
        asked = request.args.get("kind")
        # the checklist reads the uploads the page lists: a statement less
        documents = documents_of(doctor.id)
        trips = checklists.doctor_checklists(doctor.id, today(), documents)
        needed = checklists.first_needed_kind(trips)
        form.kind.data = asked if asked in forms.KIND_VALUES else needed or form.kind.data
    document = store_upload(form, doctor.id) if form.validate_on_submit() else None
    if document is not None:
        filed = _("Document filed for %(name)s: review it below.", name=name_of(doctor))
        flash(filed, "success")
        return redirect(url_for(".show_document", document_id=document.id))
    status = 400 if form.errors else 200
    return render_template(
        "documents/upload_for.html",
        form=form,
        doctor=doctor,
        documents=documents if documents is not None else documents_of(doctor.id),
        cohort=cohort,
    ), status


def store_upload(form: forms.UploadForm, doctor_id: int | None = None) -> TravelDocument | None:
    """The stored upload, or None with the refusal on the form's file field."""
    try:
        return service.upload_document(
            _actor(),
            kind=forms.kind_of(form),
            stream=form.file.data.stream,
            filename=form.file.data.filename,
            valid_until=form.valid_until.data,
            storage_dir=current_app.config["SOMET_STORAGE_DIR"],
            today=today(),
            doctor_id=doctor_id,
        )
    except DomainError as error:
        form_error(form.file, error)
        return None


# Built once (parameter ``doctor_id``): the doctor's documents page runs it on every visit.
_UPLOADS_OF_DOCTOR = (
    select(TravelDocument)
    .where(TravelDocument.doctor_id == bindparam("doctor_id"))
    .order_by(TravelDocument.uploaded_at.desc(), TravelDocument.id.desc())
)


def documents_of(doctor_id: int) -> list[TravelDocument]:
    """A doctor's uploads, newest first."""
    return db.session.scalars(_UPLOADS_OF_DOCTOR, {"doctor_id": doctor_id}).all()


@blueprint.route("/hospital")
@role_required(Role.COORDINATOR)
def list_hospital_documents():
    documents = checklists.visitors_documents(_actor())
    return render_template("documents/hospital.html", documents=documents)
