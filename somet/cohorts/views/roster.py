"""Roster pages: add, edit, withdraw; import with preview; template; export."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from somet.cohorts import operations as cohorts
from somet.cohorts import roster as service
from somet.cohorts.forms import ConfirmImportForm, EnrollmentForm, ImportForm, WithdrawForm
from somet.cohorts.roster_files import EXAMPLE_ROW, FORMATS, write_csv, write_xlsx
from somet.cohorts.views import actor, blueprint, cohort_or_404
from somet.core.errors import DomainError
from somet.models import Cohort, Enrollment
from somet.web.access import STAFF, role_required
from somet.web.extensions import db
from somet.web.i18n import name_of
from somet.web.refusals import flash_error, form_error

MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _imports_folder() -> Path:
    return Path(current_app.instance_path) / "roster-imports"


def enrollment_or_404(cohort: Cohort, enrollment_id: int, *options) -> Enrollment:
    """The enrollment through its cohort (another cohort's id is a 404), its doctor loaded
    (and what ``options`` load)."""
    enrollment = (
        db.session.scalars(
            select(Enrollment)
            .options(joinedload(Enrollment.doctor), *options)
            .where(Enrollment.id == enrollment_id, Enrollment.cohort_id == cohort.id)
        )
        .unique()
        .first()
    )
    return enrollment or abort(404)


def _overview(cohort: Cohort):
    return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))


@blueprint.route("/cohorts/<int:cohort_id>/roster/add", methods=["GET", "POST"])
@role_required(*STAFF)
def add_enrollment(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    form = EnrollmentForm()
    if form.validate_on_submit():
        try:
            service.enroll_doctor(
                actor(),
                cohort,
                form.doctor_values(),
                form.arrival_date.data,
                form.departure_date.data,
            )
        except DomainError as error:
            form_error(form.first_name, error)
        else:
            flash(_("Doctor added to the roster."), "success")
            return _overview(cohort)
    title = _("Add a doctor to %(cohort)s", cohort=cohort.name)
    return render_template("cohorts/roster_form.html", form=form, cohort=cohort, title=title)


@blueprint.route(
    "/cohorts/<int:cohort_id>/roster/<int:enrollment_id>/edit", methods=["GET", "POST"]
)
@role_required(*STAFF)
def edit_enrollment(cohort_id: int, enrollment_id: int):
    cohort = cohort_or_404(cohort_id)
    enrollment = enrollment_or_404(cohort, enrollment_id)
    form = EnrollmentForm(obj=enrollment.doctor)
    if not form.is_submitted():
        form.arrival_date.data = enrollment.arrival_date or cohort.start_date
        form.departure_date.data = enrollment.departure_date or cohort.end_date
    if form.validate_on_submit():
        try:
            service.update_enrollment(
                actor(),
                enrollment,
                form.doctor_values(),
                form.arrival_date.data or cohort.start_date,
                form.departure_date.data or cohort.end_date,
            )
        except DomainError as error:
            form_error(form.first_name, error)
        else:
            flash(_("Roster entry saved."), "success")
            return _overview(cohort)
    title = name_of(enrollment.doctor)
    return render_template("cohorts/roster_form.html", form=form, cohort=cohort, title=title)


@blueprint.route(
    "/cohorts/<int:cohort_id>/roster/<int:enrollment_id>/withdraw", methods=["GET", "POST"]
)
@role_required(*STAFF)
def withdraw_enrollment(cohort_id: int, enrollment_id: int):
    cohort = cohort_or_404(cohort_id)
    enrollment = enrollment_or_404(cohort, enrollment_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            cancelled = service.withdraw_enrollment(actor(), enrollment, form.reason.data)
        except DomainError as error:
            form_error(form.reason, error)
        else:
            flash(_("%(name)s is withdrawn.", name=name_of(enrollment.doctor)), "success")
            if cancelled:
                flash(
                    ngettext(
                        "%(num)d placement is cancelled; the hosts that were asked are told.",
                        "%(num)d placements are cancelled; the hosts that were asked are told.",
                        cancelled,
                    ),
                    "info",
                )
            return _overview(cohort)
    title = _("Withdraw %(name)s", name=name_of(enrollment.doctor))
    note = _(
        "Their placements not yet done are cancelled: the places are freed, and the hosts "
        "that were asked to receive them are told."
    )
    return render_template(
        "cohorts/roster_form.html", form=form, cohort=cohort, title=title, note=note
    )


@blueprint.route("/cohorts/<int:cohort_id>/roster/<int:enrollment_id>/confirm", methods=["POST"])
@role_required(*STAFF)
def confirm_participation(cohort_id: int, enrollment_id: int):
    """The director marks participation confirmed for a doctor who answered by phone."""
    cohort = cohort_or_404(cohort_id)
    enrollment = enrollment_or_404(cohort, enrollment_id)
    try:
        cohorts.confirm_participation(actor(), enrollment.id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(
            _("%(name)s's participation is confirmed.", name=name_of(enrollment.doctor)),
            "success",
        )
    return _overview(cohort)


@blueprint.route("/cohorts/<int:cohort_id>/roster/import", methods=["GET", "POST"])
@role_required(*STAFF)
def import_roster(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            token, _decisions = service.preview_import(
                actor(), cohort, upload.filename or "", upload.read(), _imports_folder()
            )
        except DomainError as error:
            form_error(form.file, error)
        else:
            return redirect(
                url_for("cohorts.preview_roster_import", cohort_id=cohort.id, token=token)
            )
    return render_template("cohorts/import.html", form=form, cohort=cohort)


@blueprint.route("/cohorts/<int:cohort_id>/roster/import/<token>")
@role_required(*STAFF)
def preview_roster_import(cohort_id: int, token: str):
    cohort = cohort_or_404(cohort_id)
    try:
        filename, decisions = service.load_preview(actor(), cohort, token, _imports_folder())
    except DomainError as error:  # expired, forged or another user's: upload again
        flash_error(error)
        return redirect(url_for("cohorts.import_roster", cohort_id=cohort.id))
    counts = {}
    for decision in decisions:
        counts[decision.status] = counts.get(decision.status, 0) + 1
    return render_template(
        "cohorts/import_preview.html",
        cohort=cohort,
        filename=filename,
        decisions=decisions,
        counts=counts,
        form=ConfirmImportForm(token=token),
    )


@blueprint.route("/cohorts/<int:cohort_id>/roster/import/confirm", methods=["POST"])
@role_required(*STAFF)
def confirm_roster_import(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    token = form.token.data
    try:
        counts, added = service.confirm_import(actor(), cohort, token, _imports_folder())
    except DomainError as error:
        flash_error(error)
        return redirect(url_for("cohorts.preview_roster_import", cohort_id=cohort_id, token=token))
    flash(
        _(
            "Roster imported: %(new)d new, %(known)d known, %(changed)d updated.",
            new=counts.get("new", 0),
            known=counts.get("known", 0),
            changed=counts.get("changed", 0),
        ),
        "success",
    )
    if added:  # the result page offers to invite the new doctors to the portal
        return redirect(
            url_for("cohorts.show_roster_import_result", cohort_id=cohort_id, enrollment=added)
        )
    return redirect(url_for("cohorts.show_cohort", cohort_id=cohort_id))


def _file_response(content: bytes, kind: str, name: str) -> Response:
    return Response(
        content,
        content_type=MIME[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )


@blueprint.route("/cohorts/roster-template.<kind>")
@role_required(*STAFF)
def download_roster_template(kind: str):
    if kind not in FORMATS:
        abort(404)
    content = write_csv([EXAMPLE_ROW]) if kind == "csv" else write_xlsx([EXAMPLE_ROW])
    return _file_response(content, kind, "roster-template")


@blueprint.route("/cohorts/<int:cohort_id>/roster.<kind>")
@role_required(*STAFF)
def export_roster(cohort_id: int, kind: str):
    if kind not in FORMATS:
        abort(404)
    cohort = cohort_or_404(cohort_id)
    rows = service.roster_rows(cohort)
    content = write_csv(rows) if kind == "csv" else write_xlsx(rows)
    return _file_response(content, kind, f"roster-{cohort.id}")
