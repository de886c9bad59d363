"""The director's itinerary of a cohort: flights, transfers, hotels and rooms, the emergency
contact, and the workbook import with its template."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from somet.core.errors import DomainError
from somet.core.problems import problem
from somet.models import Cohort
from somet.travel import operations, queries, rules
from somet.travel.forms import (
    EmergencyContactForm,
    ItineraryImportForm,
    LegForm,
    RoomsForm,
    StayForm,
    TransferForm,
)
from somet.travel.itinerary_files import SHEETS, template_workbook
from somet.web.access import STAFF, get_visible_or_404, role_required
from somet.web.extensions import db
from somet.web.i18n import name_of
from somet.web.problem_texts import describe
from somet.web.refusals import flash_error, form_error

blueprint = Blueprint("travel", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor():
    return current_user._get_current_object()


def _cohort(cohort_id: int) -> Cohort:
    return get_visible_or_404(Cohort, cohort_id)


def _itinerary(cohort: Cohort):
    return redirect(url_for("travel.show_itinerary", cohort_id=cohort.id))


@blueprint.route("/cohorts/<int:cohort_id>/travel")
@role_required(*STAFF)
def show_itinerary(cohort_id: int):
    cohort = _cohort(cohort_id)
    legs = queries.cohort_legs(cohort.id)
    transfers = queries.cohort_transfers(cohort.id)
    enrollments = queries.travelling_enrollments(cohort.id)
    own_legs = {leg.enrollment_id for leg in legs if leg.enrollment_id}
    own_transfers = {t.enrollment_id for t in transfers if t.enrollment_id}
    differing = []
    for enrollment in enrollments:
        found = rules.differences(
            enrollment.arrival_date, enrollment.departure_date,
            cohort.start_date, cohort.end_date,
            own_legs=enrollment.id in own_legs, own_transfers=enrollment.id in own_transfers,
        )  # fmt: skip
        if found:
            differing.append((enrollment, found))
    contact_form = EmergencyContactForm(contact=cohort.emergency_contact)
    return render_template(
        "travel/itinerary.html",
        cohort=cohort,
        group_legs=[leg for leg in legs if leg.enrollment_id is None],
        own_legs=[leg for leg in legs if leg.enrollment_id is not None],
        group_transfers=[t for t in transfers if t.enrollment_id is None],
        own_transfers=[t for t in transfers if t.enrollment_id is not None],
        stays=queries.cohort_stays(cohort.id),
        differing=differing,
        contact_form=contact_form,
        rules=rules,
    )


def _apply(form, error: DomainError) -> None:
    """Problems of a travel rule under their fields; any other refusal under the first."""
    if isinstance(error, operations.TravelInvalid):
        for field, found in error.found:
            getattr(form, field).errors.append(describe(found))
        db.session.rollback()
        return
    form_error(next(iter(f for f in form if f.type != "CSRFTokenField")), error)


def _leg_page(cohort: Cohort, form: LegForm, title: str):
    return render_template("travel/form.html", cohort=cohort, form=form, title=title)


@blueprint.route("/cohorts/<int:cohort_id>/travel/legs/new", methods=["GET", "POST"])
@role_required(*STAFF)
def add_leg(cohort_id: int):
    return _edit_leg(_cohort(cohort_id), None)


@blueprint.route("/cohorts/<int:cohort_id>/travel/legs/<int:leg_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_leg(cohort_id: int, leg_id: int):
    cohort = _cohort(cohort_id)
    return _edit_leg(cohort, queries.leg_of(cohort.id, leg_id) or abort(404))


def _edit_leg(cohort: Cohort, leg):
    form = LegForm()
    form.set_travellers(queries.travelling_enrollments(cohort.id), name_of)
    if leg is not None and not form.is_submitted():
        form.fill(leg)
    if form.validate_on_submit():
        try:
            operations.save_leg(
                _actor(), cohort.id, form.values(),
                leg_id=leg.id if leg else None, enrollment_id=form.enrollment_id(),
            )  # fmt: skip
        except DomainError as error:
            _apply(form, error)
        else:
            flash(_("The flight is saved; the doctors it concerns are told."), "success")
            return _itinerary(cohort)
    title = _("Edit the flight") if leg else _("Add a flight")
    return _leg_page(cohort, form, title), 400 if form.is_submitted() else 200


@blueprint.route("/cohorts/<int:cohort_id>/travel/legs/<int:leg_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_leg(cohort_id: int, leg_id: int):
    cohort = _cohort(cohort_id)
    return _delete(cohort, operations.delete_leg, leg_id, _("The flight is deleted."))


def _delete(cohort: Cohort, operation, object_id: int, done: str):
    if not RoomsForm().validate_on_submit():
        abort(400)
    try:
        operation(_actor(), cohort.id, object_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(done, "success")
    return _itinerary(cohort)


@blueprint.route("/cohorts/<int:cohort_id>/travel/transfers/new", methods=["GET", "POST"])
@role_required(*STAFF)
def add_transfer(cohort_id: int):
    return _edit_transfer(_cohort(cohort_id), None)


@blueprint.route(
    "/cohorts/<int:cohort_id>/travel/transfers/<int:transfer_id>/edit", methods=["GET", "POST"]
)
@role_required(*STAFF)
def edit_transfer(cohort_id: int, transfer_id: int):
    cohort = _cohort(cohort_id)
    return _edit_transfer(cohort, queries.transfer_of(cohort.id, transfer_id) or abort(404))


def _edit_transfer(cohort: Cohort, transfer):
    form = TransferForm()
    form.set_travellers(queries.travelling_enrollments(cohort.id), name_of)
    if transfer is not None and not form.is_submitted():
        form.fill(transfer)
    if form.validate_on_submit():
        try:
            operations.save_transfer(
                _actor(), cohort.id, form.values(),
                transfer_id=transfer.id if transfer else None,
                enrollment_id=form.enrollment_id(),
            )  # fmt: skip
        except DomainError as error:
            _apply(form, error)
        else:
            flash(_("The transfer is saved; the doctors it concerns are told."), "success")
            return _itinerary(cohort)
    title = _("Edit the transfer") if transfer else _("Add a transfer")
    page = render_template("travel/form.html", cohort=cohort, form=form, title=title)
    return page, 400 if form.is_submitted() else 200


@blueprint.route(
    "/cohorts/<int:cohort_id>/travel/transfers/<int:transfer_id>/delete", methods=["POST"]
)
@role_required(*STAFF)
def delete_transfer(cohort_id: int, transfer_id: int):
    cohort = _cohort(cohort_id)
    done = _("The transfer is deleted.")
    return _delete(cohort, operations.delete_transfer, transfer_id, done)


@blueprint.route("/cohorts/<int:cohort_id>/travel/stays/new", methods=["GET", "POST"])
@role_required(*STAFF)
def add_stay(cohort_id: int):
    return _edit_stay(_cohort(cohort_id), None)


@blueprint.route(
    "/cohorts/<int:cohort_id>/travel/stays/<int:stay_id>/edit", methods=["GET", "POST"]
)
@role_required(*STAFF)
def edit_stay(cohort_id: int, stay_id: int):
    cohort = _cohort(cohort_id)
    return _edit_stay(cohort, queries.stay_of(cohort.id, stay_id) or abort(404))


def _edit_stay(cohort: Cohort, stay):
    form = StayForm(obj=stay)
    if form.validate_on_submit():
        try:
            saved = operations.save_stay(
                _actor(), cohort.id, form.values(), stay_id=stay.id if stay else None
            )
        except DomainError as error:
            _apply(form, error)
        else:
            flash(_("The hotel stay is saved."), "success")
            if stay is None:
                return redirect(url_for(".edit_rooms", cohort_id=cohort.id, stay_id=saved.id))
            return _itinerary(cohort)
    title = _("Edit the hotel stay") if stay else _("Add a hotel stay")
    page = render_template("travel/form.html", cohort=cohort, form=form, title=title)
    return page, 400 if form.is_submitted() else 200


@blueprint.route(
    "/cohorts/<int:cohort_id>/travel/stays/<int:stay_id>/rooms", methods=["GET", "POST"]
)
@role_required(*STAFF)
def edit_rooms(cohort_id: int, stay_id: int):
    """One room-number box per doctor: the same number makes roommates, empty means none."""
    cohort = _cohort(cohort_id)
    stay = queries.stay_of(cohort.id, stay_id) or abort(404)
    enrollments = queries.travelling_enrollments(cohort.id)
    form = RoomsForm()
    shown = {
        b.enrollment_id: {"room": b.room or "", "check_in": _iso(b.check_in),
                          "check_out": _iso(b.check_out)}
        for b in stay.rooms
    }  # fmt: skip
    errors: dict[int, str] = {}
    if form.validate_on_submit():
        shown = {
            e.id: {key: request.form.get(f"{key}-{e.id}", "").strip() for key in ROOM_FIELDS}
            for e in enrollments
        }
        wanted, errors = _room_inputs(shown)
        try:
            if errors:
                raise operations.TravelInvalid([])
            changed = operations.set_rooms(_actor(), cohort.id, stay.id, wanted)
        except operations.TravelInvalid as error:
            errors.update({int(key): describe(found) for key, found in error.found})
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("Rooms saved (%(count)s changed).", count=changed), "success")
            return _itinerary(cohort)
    return render_template(
        "travel/rooms.html", cohort=cohort, stay=stay, form=form,
        enrollments=enrollments, shown=shown, errors=errors,
    ), 400 if errors else 200  # fmt: skip


ROOM_FIELDS = ("room", "check_in", "check_out")


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _room_inputs(shown: dict[int, dict[str, str]]):
    """The rooms page's boxes as bookings, and the boxes whose date cannot be read."""
    wanted, errors = {}, {}
    for enrollment_id, boxes in shown.items():
        dates = []
        for key in ("check_in", "check_out"):
            try:
                dates.append(date.fromisoformat(boxes[key]) if boxes[key] else None)
            except ValueError:
                errors[enrollment_id] = describe(problem("travel.bad_date", value=boxes[key]))
                dates.append(None)
        wanted[enrollment_id] = operations.RoomInput(boxes["room"] or None, *dates)
    return wanted, errors


@blueprint.route("/cohorts/<int:cohort_id>/travel/stays/<int:stay_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_stay(cohort_id: int, stay_id: int):
    cohort = _cohort(cohort_id)
    done = _("The hotel stay is deleted.")
    return _delete(cohort, operations.delete_stay, stay_id, done)


@blueprint.route("/cohorts/<int:cohort_id>/travel/emergency-contact", methods=["POST"])
@role_required(*STAFF)
def set_emergency_contact(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = EmergencyContactForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.set_emergency_contact(_actor(), cohort.id, form.contact.data)
    except operations.TravelInvalid as error:
        flash_error(DomainError(describe(error.found[0][1])))
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The emergency contact is saved."), "success")
    return _itinerary(cohort)


@blueprint.route("/cohorts/<int:cohort_id>/travel/import", methods=["GET", "POST"])
@role_required(*STAFF)
def import_itinerary(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = ItineraryImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            counts = operations.import_itinerary(
                _actor(), cohort.id, upload.filename or "", upload.read()
            )
        except operations.ImportRefused as refused:
            problems = refused.problems
        except DomainError as error:
            form_error(form.file, error)
        else:
            flash(
                _(
                    "Itinerary imported: %(legs)s flights, %(transfers)s transfers, "
                    "%(stays)s hotel stays, %(rooms)s rooms.",
                    **counts,
                ),
                "success",
            )
            return _itinerary(cohort)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "travel/import.html", cohort=cohort, form=form, problems=problems, sheets=SHEETS
    ), status


@blueprint.route("/travel/itinerary-template.xlsx")
@role_required(*STAFF)
def download_template():
    response = Response(template_workbook(), mimetype=XLSX)
    response.headers["Content-Disposition"] = 'attachment; filename="itinerary-template.xlsx"'
    return response
