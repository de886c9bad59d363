"""The doctor's own documents: the checklist of each trip, uploaded row by row."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from somet.documents import forms
from somet.documents import trips as checklists
from somet.documents.labels import EXPIRING_KINDS, requirement_anchor
from somet.documents.views import blueprint, documents_of, store_upload, today
from somet.models import Role
from somet.web.access import role_required

__all__ = ["blueprint"]


@blueprint.route("/mine", methods=["GET", "POST"])
@role_required(Role.DOCTOR)
def list_my_documents():
    form = forms.ChecklistUploadForm()
    if form.validate_on_submit() and store_upload(form) is not None:
        flash(_("Document uploaded. The programme director will review it."), "success")
        return redirect(url_for(".list_my_documents", _anchor=form.row.data or None))
    documents = documents_of(current_user.doctor_id)
    trips = checklists.doctor_checklists(current_user.doctor_id, today(), documents)
    anchors = row_anchors(trips)
    failed_row = (form.row.data or "") if form.errors else None
    if failed_row and failed_row not in anchors.values():
        failed_row = ""  # a row that is no longer there: show the refusal on the other form
    if not form.is_submitted():
        form.kind.data = checklists.first_needed_kind(trips) or form.kind.data
    return render_template(
        "documents/mine.html",
        form=form,
        documents=documents,
        trips=trips,
        anchors=anchors,
        failed_row=failed_row,
        expiring_kinds={kind.value for kind in EXPIRING_KINDS},
    ), 400 if form.errors else 200


def row_anchors(trips) -> dict[tuple[int, str], str]:
    """Each (cohort, kind) row's id: ``requirement-<id>`` the first time a requirement shows,
    then suffixed with the cohort so that ids stay unique on the page."""
    anchors: dict[tuple[int, str], str] = {}
    seen: set[str] = set()
    for trip in trips:
        for cell in trip.cells:
            anchor = requirement_anchor(cell.requirement_id)
            if anchor in seen:
                anchor = f"{anchor}-{trip.cohort.id}"
            seen.add(anchor)
            anchors[(trip.cohort.id, cell.kind)] = anchor
    return anchors
