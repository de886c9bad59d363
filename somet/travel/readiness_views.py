"""The travel readiness page of a cohort and the director's visa decisions (staff only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.core.errors import DomainError, NotFound
from somet.documents import queries as documents
from somet.models import Cohort, Enrollment, utcnow
from somet.travel import readiness_operations as operations
from somet.travel import readiness_queries as queries
from somet.travel.readiness import ASPECTS
from somet.travel.readiness_forms import VisaForm, visa_select
from somet.web.access import STAFF, get_visible_or_404, role_required
from somet.web.extensions import db
from somet.web.i18n import name_of
from somet.web.refusals import flash_error
from somet.web.templating import worded_once

blueprint = Blueprint("readiness", __name__)


def _enrollment_or_404(cohort: Cohort, enrollment_id: int) -> Enrollment:
    """The enrollment through its cohort (another cohort's id is a 404)."""
    enrollment = db.session.scalar(
        select(Enrollment)
        .options(joinedload(Enrollment.doctor))
        .where(Enrollment.id == enrollment_id, Enrollment.cohort_id == cohort.id)
    )
    return enrollment or abort(404)


@blueprint.route("/cohorts/<int:cohort_id>/readiness")
@role_required(*STAFF)
def show_readiness(cohort_id: int):
    try:  # with its hosts, through the checklist's statement built once
        cohort = documents.load_cohort(cohort_id)
    except NotFound:
        abort(404)
    view = queries.cohort_readiness(cohort, utcnow().date())
    return render_template(
        "travel/readiness.html",
        cohort=view.cohort,
        view=view,
        visa_select=visa_select(),
        aspects=ASPECTS,
        # Problems without parameters (no flight, no bed...) recur in most rows: worded once.
        worded=worded_once(
            "travel/readiness_texts.html",
            "readiness_text",
            key=lambda problem: None if problem.params else problem.code,
        ),
    )


@blueprint.route("/cohorts/<int:cohort_id>/readiness/<int:enrollment_id>/visa", methods=["POST"])
@role_required(*STAFF)
def record_visa(cohort_id: int, enrollment_id: int):
    cohort = get_visible_or_404(Cohort, cohort_id)
    enrollment = _enrollment_or_404(cohort, enrollment_id)
    form = VisaForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    else:
        try:
            changed = operations.record_visa_status(
                current_user._get_current_object(), enrollment, form.status.data
            )
        except DomainError as error:
            flash_error(error)
        else:
            if changed:
                flash(
                    _("Visa status of %(name)s saved.", name=name_of(enrollment.doctor)), "success"
                )
    target = url_for(".show_readiness", cohort_id=cohort.id)
    return redirect(f"{target}#enrollment-{enrollment.id}")
