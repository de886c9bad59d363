"""Masterclass pages: the list, scheduling, registration, attendance and QR check-in."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from somet.core import localisation
from somet.core.errors import DomainError
from somet.masterclasses import check_in as attendance
from somet.masterclasses import operations as service
from somet.masterclasses import queries as listing
from somet.masterclasses import remote
from somet.masterclasses.forms import (
    AttendanceForm,
    MasterclassForm,
    RemoteCodeForm,
    local_to_utc,
)
from somet.models import (
    Masterclass,
    RegistrationStatus,
    Role,
    utcnow,
)
from somet.web.access import STAFF, role_required
from somet.web.extensions import db
from somet.web.refusals import flash_error, form_error
from somet.web.templating import page_language

blueprint = Blueprint("masterclasses", __name__, url_prefix="/masterclasses")
EVERYONE = (Role.ADMIN, Role.DIRECTOR, Role.COORDINATOR, Role.DOCTOR)


def _actor():
    return current_user._get_current_object()


def _row_or_404(masterclass_id: int) -> listing.MasterclassRow:
    row = listing.masterclass_row(current_user, masterclass_id)
    if row is None:
        abort(404)
    return row


@blueprint.route("")
@role_required(*EVERYONE)
def list_masterclasses():
    past = request.args.get("past") == "1"
    from_id = request.args.get("from", type=int)
    page = listing.masterclass_page(
        current_user, upcoming_after=None if past else utcnow(), from_id=from_id
    )
    return render_template("masterclasses/list.html", page=page, past=past, from_id=from_id)


@blueprint.route("/<int:masterclass_id>")
@role_required(*EVERYONE)
def show_masterclass(masterclass_id: int):
    row = _row_or_404(masterclass_id)
    now = utcnow()
    context = {"row": row, "masterclass": row.masterclass, "now": now}
    running = remote.is_running(row.masterclass, now)
    if current_user.role == Role.DOCTOR:
        context["position"] = listing.waitlist_position(row, current_user.doctor_id)
        context["remote_form"] = RemoteCodeForm() if running else None
    elif attendance.may_take_attendance(current_user, row.masterclass):
        context["registrations"] = listing.registrations_for(masterclass_id)
        context["attendance_form"] = AttendanceForm()
        if running and row.masterclass.video_url:  # shown only while the class is on
            secret = current_app.config["SECRET_KEY"]
            context["remote_code"] = remote.remote_code(secret, masterclass_id)
    return render_template("masterclasses/show.html", **context)


@blueprint.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_masterclass():
    form = MasterclassForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            masterclass = service.create_masterclass(_actor(), _fields_from(form))
        except DomainError as error:
            form_error(form.ends_local, error)
        else:
            flash(_("The masterclass is scheduled."), "success")
            return redirect(url_for(".show_masterclass", masterclass_id=masterclass.id))
    return render_template("masterclasses/form.html", form=form, masterclass=None)


@blueprint.route("/<int:masterclass_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_masterclass(masterclass_id: int):
    masterclass = db.session.get(Masterclass, masterclass_id) or abort(404)
    form = MasterclassForm(obj=masterclass)
    _fill_choices(form, masterclass.cohort_id)
    if not form.is_submitted():
        _fill_form(form, masterclass)
    if form.validate_on_submit():
        try:
            service.update_masterclass(_actor(), masterclass_id, _fields_from(form))
        except DomainError as error:
            form_error(form.capacity, error)
        else:
            flash(_("The masterclass is saved."), "success")
            return redirect(url_for(".show_masterclass", masterclass_id=masterclass_id))
    return render_template("masterclasses/form.html", form=form, masterclass=masterclass)


def _fill_choices(form: MasterclassForm, cohort_id: int | None = None) -> None:
    """The host hospitals, and the cohorts a class may be opened to (``cohort_id``: the
    class's own, kept even when archived)."""
    form.hospital_id.choices = [SelectChoice(0, _("None (abroad)"))] + [
        SelectChoice(h.id, h.name) for h in listing.host_choices()
    ]
    cohorts = listing.cohorts_to_open_to(cohort_id)
    form.cohort_id.choices = [SelectChoice(0, _("All doctors"))] + [
        SelectChoice(c.id, c.name) for c in cohorts
    ]


def _fill_form(form: MasterclassForm, masterclass: Masterclass) -> None:
    zone = ZoneInfo(masterclass.timezone)
    form.starts_local.data = masterclass.starts_at.astimezone(zone).replace(tzinfo=None)
    form.ends_local.data = masterclass.ends_at.astimezone(zone).replace(tzinfo=None)
    form.hospital_id.data = masterclass.hospital_id or 0
    form.cohort_id.data = masterclass.cohort_id or 0


def _fields_from(form: MasterclassForm) -> service.MasterclassFields:
    zone = form.timezone.data
    return service.MasterclassFields(
        title=form.title.data.strip(),
        description=(form.description.data or "").strip() or None,
        lead_specialist=form.lead_specialist.data.strip(),
        lead_title=(form.lead_title.data or "").strip() or None,
        venue=form.venue.data.strip(),
        city=form.city.data.strip(),
        country=form.country.data.strip(),
        timezone=zone,
        starts_at=local_to_utc(form.starts_local.data, zone),
        ends_at=local_to_utc(form.ends_local.data, zone),
        capacity=form.capacity.data,
        credit_hours=form.credit_hours.data or 0.0,
        hospital_id=form.hospital_id.data or None,
        cohort_id=form.cohort_id.data or None,
        video_url=(form.video_url.data or "").strip() or None,
    )


@blueprint.route("/<int:masterclass_id>/registration", methods=["POST"])
@role_required(Role.DOCTOR)
def create_registration(masterclass_id: int):
    try:
        registration = service.register(_actor(), masterclass_id)
    except DomainError as error:
        flash_error(error)
    else:
        if registration.status == RegistrationStatus.WAITLISTED:
            flash(_("The class is full: you are on the waitlist."), "warning")
        else:
            flash(_("You are registered."), "success")
        _warn_of_placements_that_day(masterclass_id)
    return redirect(url_for(".show_masterclass", masterclass_id=masterclass_id))


def _warn_of_placements_that_day(masterclass_id: int) -> None:
    language = page_language()
    for day, where in service.placement_clashes(current_user.doctor_id, masterclass_id):
        flash(
            _(
                "On %(day)s you are placed at %(where)s: tell your programme director, who can "
                "move that day of the rotation.",
                day=localisation.format_day(day, language),
                where=where,
            ),
            "warning",
        )


@blueprint.route("/<int:masterclass_id>/registration/cancel", methods=["POST"])
@role_required(Role.DOCTOR)
def cancel_registration(masterclass_id: int):
    try:
        service.cancel_registration(_actor(), masterclass_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for(".show_masterclass", masterclass_id=masterclass_id))


@blueprint.route("/<int:masterclass_id>/attendance", methods=["POST"])
@role_required(*STAFF, Role.COORDINATOR)
def record_attendance(masterclass_id: int):
    _row_or_404(masterclass_id)
    form = AttendanceForm()
    form.attended.choices = [
        SelectChoice(r.doctor_id, "") for r in listing.registrations_for(masterclass_id)
    ]
    if not form.validate_on_submit():
        abort(400)
    try:
        count = attendance.mark_attendance(_actor(), masterclass_id, form.attended.data or [])
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Attendance saved: %(n)s attended.", n=count), "success")
    return redirect(url_for(".show_masterclass", masterclass_id=masterclass_id))


@blueprint.route("/<int:masterclass_id>/check-in-code")
@role_required(*STAFF, Role.COORDINATOR)
def show_check_in_code(masterclass_id: int):
    masterclass = _row_or_404(masterclass_id).masterclass
    if not attendance.may_take_attendance(current_user, masterclass):
        abort(404)
    token = attendance.check_in_token(current_app.config["SECRET_KEY"], masterclass)
    link = current_app.config["SOMET_PUBLIC_URL"] + url_for(
        ".check_in", masterclass_id=masterclass_id, token=token
    )
    # A data: URI image: no markup of ours to escape, and the CSP allows data: images.
    qr_uri = segno.make(link, error="m").svg_data_uri(scale=8)
    return render_template(
        "masterclasses/check_in_code.html", masterclass=masterclass, qr_uri=qr_uri
    )


@blueprint.route("/<int:masterclass_id>/remote-attendance", methods=["POST"])
@role_required(Role.DOCTOR)
def record_remote_attendance(masterclass_id: int):
    _row_or_404(masterclass_id)
    form = RemoteCodeForm()
    if not form.validate_on_submit():
        abort(400)
    secret = current_app.config["SECRET_KEY"]
    try:
        remote.attend_remotely(_actor(), masterclass_id, form.code.data, secret)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Your remote attendance is recorded. Welcome!"), "success")
    return redirect(url_for(".show_masterclass", masterclass_id=masterclass_id))


@blueprint.route("/<int:masterclass_id>/check-in/<token>", methods=["GET", "POST"])
def check_in(masterclass_id: int, token: str):
    if not current_user.is_authenticated:  # a guest without a login scanned the code
        guest_page = url_for("guests.check_in_guest", masterclass_id=masterclass_id, token=token)
        return redirect(guest_page)
    return _check_in_doctor(masterclass_id, token)


@role_required(Role.DOCTOR)
def _check_in_doctor(masterclass_id: int, token: str):
    row = _row_or_404(masterclass_id)
    if request.method == "GET":  # scanning only shows the button: no change on GET
        form = AttendanceForm()
        return render_template(
            "masterclasses/check_in.html", masterclass=row.masterclass, form=form
        )
    if not AttendanceForm().validate_on_submit():
        abort(400)
    try:
        attendance.check_in(_actor(), masterclass_id, token, current_app.config["SECRET_KEY"])
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("You are checked in. Welcome!"), "success")
    return redirect(url_for(".show_masterclass", masterclass_id=masterclass_id))
