"""Host hospitals and departments. Staff edit everything; a coordinator only its own
hospital's departments' capacity and closed days."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from somet.core.errors import DomainError
from somet.hospitals import operations as service
from somet.hospitals import queries
from somet.hospitals.forms import (
    CapacityForm,
    ClosureForm,
    DepartmentForm,
    HolidayForm,
    HospitalForm,
)
from somet.models import Department, Hospital, Role, utcnow
from somet.web.access import STAFF, get_visible_or_404, role_required, visible_to
from somet.web.extensions import db
from somet.web.refusals import flash_error, form_error

blueprint = Blueprint("hospitals", __name__, url_prefix="/hospitals")
KEEPERS = (*STAFF, Role.COORDINATOR)


def _actor():
    return current_user._get_current_object()


def _hospital(hospital_id: int, *options) -> Hospital:
    """The hospital in the user's scope (else 404), with what ``options`` load beside it."""
    return get_visible_or_404(Hospital, hospital_id, *options)


def _listed_since() -> date | None:
    """The first day a hospital's holidays and a department's closed days are listed from:
    this year's first (years of past ones add nothing to plan with), every year's on
    ``?earlier=1``; the page says which and links to the other."""
    return None if request.args.get("earlier") else date(utcnow().year, 1, 1)


def _show_hospital(hospital: Hospital, staff: bool):
    since = _listed_since()
    return render_template(
        "hospitals/show.html",
        hospital=hospital,
        holidays=queries.holidays_from(hospital.id, since),
        since=since,
        holiday_form=HolidayForm() if staff else None,
        staff=staff,
    )


def _department(hospital_id: int, department_id: int, *options) -> Department:
    """The department, through its hospital and the user's scope (else 404), with what
    ``options`` load beside it."""
    query = visible_to(_actor(), Department).where(
        Department.id == department_id, Department.hospital_id == hospital_id
    )
    department = db.session.scalars(query.options(*options)).first()
    return department or abort(404)


@blueprint.route("")
@role_required(*STAFF)
def list_hospitals():
    hospitals = db.session.scalars(select(Hospital).order_by(Hospital.name)).all()
    counts = dict(
        db.session.execute(
            select(Department.hospital_id, func.count(Department.id)).group_by(
                Department.hospital_id
            )
        ).all()
    )
    return render_template("hospitals/list.html", hospitals=hospitals, counts=counts)


@blueprint.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create_hospital():
    form = HospitalForm(working_weekdays=["6", "0", "1", "2", "3"])
    if form.validate_on_submit():
        try:
            hospital = service.create_hospital(_actor(), **form.values())
        except DomainError as error:
            form_error(form.name, error)
        else:
            flash(_("Hospital added."), "success")
            return redirect(url_for("hospitals.show_hospital", hospital_id=hospital.id))
    return render_template("hospitals/form.html", form=form, title=_("New host hospital"))


@blueprint.route("/<int:hospital_id>")
@role_required(*STAFF)
def show_hospital(hospital_id: int):
    return _show_hospital(_hospital(hospital_id, selectinload(Hospital.departments)), True)


@blueprint.route("/mine")
@role_required(Role.COORDINATOR)
def show_my_hospital():
    hospital = _hospital(current_user.hospital_id, selectinload(Hospital.departments))
    return _show_hospital(hospital, False)


@blueprint.route("/<int:hospital_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_hospital(hospital_id: int):
    hospital = _hospital(hospital_id)
    form = HospitalForm(obj=hospital)
    if not form.is_submitted():
        form.working_weekdays.data = [str(n) for n in hospital.weekday_numbers]
    if form.validate_on_submit():
        try:
            service.update_hospital(_actor(), hospital, **form.values())
        except DomainError as error:
            form_error(form.name, error)
        else:
            flash(_("Hospital saved."), "success")
            return redirect(url_for("hospitals.show_hospital", hospital_id=hospital.id))
    return render_template("hospitals/form.html", form=form, title=hospital.name)


@blueprint.route("/<int:hospital_id>/holidays", methods=["POST"])
@role_required(*STAFF)
def add_holiday(hospital_id: int):
    hospital = _hospital(hospital_id)
    form = HolidayForm()
    if form.validate_on_submit():
        _flash_outcome(
            lambda: service.add_holiday(_actor(), hospital, form.day.data, form.name.data or ""),
            _("Holiday added."),
        )
    else:
        flash(_("Give the holiday's date."), "danger")
    return redirect(url_for("hospitals.show_hospital", hospital_id=hospital.id))


@blueprint.route("/<int:hospital_id>/holidays/<int:holiday_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_holiday(hospital_id: int, holiday_id: int):
    hospital = _hospital(hospital_id)
    # CSRFProtect has already checked the token of this POST.
    _flash_outcome(
        lambda: service.remove_holiday(_actor(), hospital, holiday_id), _("Holiday removed.")
    )
    return redirect(url_for("hospitals.show_hospital", hospital_id=hospital.id))


def _flash_outcome(operation, success: str) -> bool:
    try:
        operation()
    except DomainError as error:
        flash_error(error)
        return False
    flash(success, "success")
    return True


@blueprint.route("/<int:hospital_id>/departments/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create_department(hospital_id: int):
    hospital = _hospital(hospital_id)
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            service.create_department(_actor(), hospital, **form.values())
        except DomainError as error:
            form_error(form.name, error)
        else:
            flash(_("Department added."), "success")
            return redirect(url_for("hospitals.show_hospital", hospital_id=hospital.id))
    title = _("New department at %(hospital)s", hospital=hospital.name)
    return render_template("hospitals/form.html", form=form, title=title)


@blueprint.route(
    "/<int:hospital_id>/departments/<int:department_id>/edit", methods=["GET", "POST"]
)
@role_required(*STAFF)
def edit_department(hospital_id: int, department_id: int):
    department = _department(hospital_id, department_id)
    form = DepartmentForm(obj=department)
    if form.validate_on_submit():
        try:
            service.update_department(_actor(), department, **form.values())
        except DomainError as error:
            form_error(form.name, error)
        else:
            flash(_("Department saved."), "success")
            return redirect(_department_url(department))
    return render_template("hospitals/form.html", form=form, title=department.name)


def _department_url(department: Department) -> str:
    return url_for(
        "hospitals.show_department",
        hospital_id=department.hospital_id,
        department_id=department.id,
    )


@blueprint.route("/<int:hospital_id>/departments/<int:department_id>")
@role_required(*KEEPERS)
def show_department(hospital_id: int, department_id: int):
    department = _department(hospital_id, department_id, selectinload(Department.hospital))
    since = _listed_since()
    return render_template(
        "hospitals/department.html",
        department=department,
        closures=queries.closures_from(department.id, since),
        since=since,
        capacity_form=CapacityForm(obj=department),
        closure_form=ClosureForm(),
        staff=current_user.role.is_staff,
    )


@blueprint.route("/<int:hospital_id>/departments/<int:department_id>/capacity", methods=["POST"])
@role_required(*KEEPERS)
def edit_department_capacity(hospital_id: int, department_id: int):
    department = _department(hospital_id, department_id)
    form = CapacityForm()
    if form.validate_on_submit():
        _flash_outcome(
            lambda: service.set_department_capacity(_actor(), department, form.capacity.data),
            _("Capacity saved."),
        )
    else:
        flash(_("Capacity must be a whole number from 0 to 100."), "danger")
    return redirect(_department_url(department))


@blueprint.route("/<int:hospital_id>/departments/<int:department_id>/closures", methods=["POST"])
@role_required(*KEEPERS)
def add_closure(hospital_id: int, department_id: int):
    department = _department(hospital_id, department_id)
    form = ClosureForm()
    if form.validate_on_submit():
        _flash_outcome(
            lambda: service.add_closure(
                _actor(), department, form.day.data, form.reason.data or ""
            ),
            _("Closed day added."),
        )
    else:
        flash(_("Give the closed day's date."), "danger")
    return redirect(_department_url(department))


@blueprint.route(
    "/<int:hospital_id>/departments/<int:department_id>/closures/<int:closure_id>/delete",
    methods=["POST"],
)
@role_required(*KEEPERS)
def delete_closure(hospital_id: int, department_id: int, closure_id: int):
    department = _department(hospital_id, department_id)
    _flash_outcome(
        lambda: service.remove_closure(_actor(), department, closure_id), _("Closed day removed.")
    )
    return redirect(_department_url(department))


@blueprint.route("/<int:hospital_id>/departments/<int:department_id>/active", methods=["POST"])
@role_required(*STAFF)
def set_department_active(hospital_id: int, department_id: int):
    department = _department(hospital_id, department_id)
    active = request.form.get("active") == "1"
    _flash_outcome(
        lambda: service.set_department_active(_actor(), department, active, date.today()),
        _("Department reactivated.") if active else _("Department deactivated."),
    )
    return redirect(_department_url(department))
