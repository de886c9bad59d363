"""The director's review: the queue of uploads awaiting review, one document with its file
shown on the page, accept or reject; and the stored file itself, for whoever may see it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from somet.core.errors import DomainError
from somet.documents import files, forms, queries
from somet.documents import operations as service
from somet.documents.views import blueprint
from somet.models import Role, TravelDocument
from somet.web.access import STAFF, get_visible_or_404, role_required
from somet.web.extensions import db
from somet.web.refusals import flash_error

QUEUE_PER_PAGE = 50

__all__ = ["blueprint"]


@blueprint.route("/review")
@role_required(*STAFF)
def list_review_queue():
    cohorts = queries.cohorts_to_filter_by()
    cohort_id = request.args.get("cohort", type=int)
    if cohort_id not in {cohort.id for cohort in cohorts}:
        cohort_id = None  # an unknown or finished cohort: the whole queue
    page = db.paginate(
        queries.review_queue_query(cohort_id), per_page=QUEUE_PER_PAGE, error_out=False
    )
    return render_template(
        "documents/review_queue.html",
        page=page,
        cohorts=cohorts,
        cohort_id=cohort_id,
        cohorts_of=queries.current_cohorts_of({d.doctor_id for d in page.items}),
    )


@blueprint.route("/<int:document_id>")
@role_required(*STAFF)
def show_document(document_id: int):
    document = get_visible_or_404(
        TravelDocument,
        document_id,
        joinedload(TravelDocument.doctor),
        joinedload(TravelDocument.reviewed_by),
    )
    return render_template(
        "documents/document.html",
        document=document,
        reject_form=forms.RejectForm(),
        accept_form=forms.AcceptForm(),
        waiting=queries.documents_awaiting_review_count(),
        next_id=queries.next_awaiting_review(document),
    )


@blueprint.route("/<int:document_id>/accept", methods=["POST"])
@role_required(*STAFF)
def accept_document(document_id: int):
    if not forms.AcceptForm().validate_on_submit():
        abort(400)
    return _review(document_id, accept=True, reason=None)


@blueprint.route("/<int:document_id>/reject", methods=["POST"])
@role_required(*STAFF)
def reject_document(document_id: int):
    form = forms.RejectForm()
    if not form.validate_on_submit():
        flash(_("Say why the document is rejected."), "danger")
        return redirect(url_for(".show_document", document_id=document_id))
    return _review(document_id, accept=False, reason=form.reason.data)


def _review(document_id: int, *, accept: bool, reason: str | None):
    try:
        service.review_document(
            current_user._get_current_object(), document_id, accept=accept, reason=reason
        )
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Document accepted.") if accept else _("Document rejected."), "success")
    return redirect(url_for(".show_document", document_id=document_id))


@blueprint.route("/<int:document_id>/file")
@role_required(*Role)
def download_document(document_id: int):
    document = get_visible_or_404(TravelDocument, document_id)
    return files.stored_attachment(document)


@blueprint.route("/<int:document_id>/file/inline")
@role_required(*Role)
def show_document_file(document_id: int):
    """The file shown on a page (the review page frames it); the same people as the download."""
    document = get_visible_or_404(TravelDocument, document_id)
    return files.stored_inline(document)
