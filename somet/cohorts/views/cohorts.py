"""Cohorts: list, create, edit, lifecycle, clone, overview; the doctors list."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from somet.cohorts import operations as service
from somet.cohorts import overview, portal_invitations, queries
from somet.cohorts.forms import (
    CloneForm,
    CohortForm,
    InviteToPortalForm,
    PortalInvitationForm,
    StatusForm,
)
from somet.cohorts.roster import doctor_page
from somet.cohorts.rules.lifecycle import next_steps
from somet.cohorts.views import PER_PAGE, actor, blueprint, cohort_or_404
from somet.core.errors import DomainError
from somet.core.specialties import SPECIALTIES
from somet.models import Cohort, CohortStatus, Doctor, Enrollment, PlacementStatus
from somet.planning import operations as planning
from somet.web.access import STAFF, get_visible_or_404, role_required
from somet.web.extensions import db
from somet.web.labels import enum_label
from somet.web.refusals import flash_error, form_error

__all__ = ["blueprint"]


@blueprint.route("/cohorts")
@role_required(*STAFF)
def list_cohorts():
    filters = {k: request.args.get(k, "").strip() for k in ("q", "region", "status")}
    query = service.cohort_list_query(filters["q"], filters["region"], filters["status"])
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    counts = service.enrolled_counts([c.id for c in page.items])
    return render_template(
        "cohorts/list.html", page=page, counts=counts, filters=filters, statuses=CohortStatus
    )


@blueprint.route("/cohorts/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create_cohort():
    form = CohortForm()
    form.hosts.choices = [SelectChoice(str(i), name) for i, name in service.hospital_choices()]
    if form.validate_on_submit():
        try:
            cohort = service.create_cohort(actor(), form.host_ids(), **form.values())
        except DomainError as error:
            form_error(form.name, error)
        else:
            flash(_("Cohort created."), "success")
            return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, title=_("New cohort"))


@blueprint.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_cohort(cohort_id: int):
    cohort = cohort_or_404(cohort_id, selectinload(Cohort.hosts))
    form = CohortForm(obj=cohort)
    form.hosts.choices = [SelectChoice(str(i), name) for i, name in service.hospital_choices()]
    if not form.is_submitted():
        form.hosts.data = [str(host.hospital_id) for host in cohort.hosts]
        form.attendance_percent.data = round(cohort.attendance_threshold * 100)
    if form.validate_on_submit():
        try:
            service.update_cohort(actor(), cohort, form.host_ids(), **form.values())
        except DomainError as error:
            form_error(form.start_date, error)
        else:
            flash(_("Cohort saved."), "success")
            return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, title=cohort.name)


@blueprint.route("/cohorts/<int:cohort_id>")
@role_required(*STAFF)
def show_cohort(cohort_id: int):
    loaded = queries.load_overview(cohort_id)
    if loaded is None:
        abort(404)
    cohort, placement_counts, certificates_in_zip = loaded
    entries, rotations = overview.roster(cohort.id), overview.rotations(cohort.id)
    roster = sorted(entries, key=lambda e: (e.doctor.last_name, e.doctor.first_name))
    status_form = StatusForm()
    # Forward first: the control proposes the next step, going back is a deliberate choice.
    status_form.target.choices = [
        SelectChoice(s, enum_label(CohortStatus(s))) for s in next_steps(cohort.status.value)
    ]
    plannable = planning.may_plan(cohort)  # what the planning operations themselves check
    # each row's participation badge, worded once per status on the roster, not in every row
    participation = {
        status: _("Participation: %(status)s", status=enum_label(status))
        for status in {enrollment.status for enrollment in roster}
    }
    return render_template(
        "cohorts/overview.html",
        cohort=cohort,
        roster=roster,
        participation=participation,
        placement_counts=placement_counts,
        placement_statuses=list(PlacementStatus),
        plannable=plannable,
        rotations=rotations,
        problems=service.cohort_readiness(cohort, loaded=(rotations, entries)) if plannable else [],
        certificates_in_zip=certificates_in_zip,
        status_form=status_form,
        # the roster's portal-login column and bulk invitation bar (views/portal.py)
        portal=portal_invitations.portal_logins_of(roster),
        invite_form=InviteToPortalForm(),
        portal_form=PortalInvitationForm(),
    )


@blueprint.route("/cohorts/<int:cohort_id>/status", methods=["POST"])
@role_required(*STAFF)
def change_cohort_status(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            service.change_status(
                actor(), cohort, form.target.data, form.reason.data or "", date.today()
            )
        except DomainError as error:
            flash_error(error)
        else:
            status = enum_label(CohortStatus(form.target.data))
            flash(_("The cohort is now %(status)s.", status=status), "success")
    else:
        flash(_("Choose a valid status."), "danger")
    return redirect(url_for("cohorts.show_cohort", cohort_id=cohort_id))


@blueprint.route("/cohorts/<int:cohort_id>/clone", methods=["GET", "POST"])
@role_required(*STAFF)
def clone_cohort(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    form = CloneForm()
    if not form.is_submitted():
        form.name.data = _("%(name)s (copy)", name=cohort.name)
        form.start_date.data = service.default_clone_start(cohort)
    if form.validate_on_submit():
        try:
            clone = service.clone_cohort(
                actor(), cohort, form.name.data.strip(), form.start_date.data
            )
        except DomainError as error:
            form_error(form.name, error)
        else:
            flash(_("Cohort cloned: check its dates, hosts and curriculum."), "success")
            return redirect(url_for("cohorts.show_cohort", cohort_id=clone.id))
    title = _("Clone %(name)s", name=cohort.name)
    return render_template("cohorts/form.html", form=form, title=title)


@blueprint.route("/doctors")
@role_required(*STAFF)
def list_doctors():
    filters = {k: request.args.get(k, "").strip() for k in ("q", "region", "specialty")}
    page = doctor_page(filters, request.args.get("page", 1, type=int), PER_PAGE)
    return render_template(
        "cohorts/doctors.html", page=page, filters=filters, specialties=SPECIALTIES
    )


@blueprint.route("/doctors/<int:doctor_id>")
@role_required(*STAFF)
def show_doctor(doctor_id: int):
    doctor = get_visible_or_404(Doctor, doctor_id)
    enrollments = db.session.scalars(
        select(Enrollment)
        .options(joinedload(Enrollment.cohort))
        .where(Enrollment.doctor_id == doctor.id)
        .order_by(Enrollment.id.desc())
    ).all()
    return render_template("cohorts/doctor.html", doctor=doctor, enrollments=enrollments)
