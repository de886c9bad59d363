"""The host coordinator's attendance: weeks to record, and the doctor × day grid."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import bindparam, select

from somet.attendance import operations as attendance
from somet.attendance.forms import (
    ALL_PRESENT,
    cell_name,
    grid_form,
    parse_all_present,
    parse_marks,
    status_radios,
)
from somet.attendance.queries import recordable_weeks
from somet.core.errors import DomainError
from somet.core.workdays import week_start
from somet.models import Department, Hospital, Role, utcnow
from somet.web.access import role_required
from somet.web.extensions import db
from somet.web.refusals import flash_error

blueprint = Blueprint("attendance", __name__, url_prefix="/attendance")


@blueprint.route("")
@role_required(Role.COORDINATOR)
def list_weeks():
    hospital = db.session.get(Hospital, current_user.hospital_id)
    today = attendance.local_today(hospital.timezone, utcnow())
    until = _day_or_none(request.args.get("until"))
    listing = recordable_weeks(hospital, today, until)
    return render_template(
        "attendance/weeks.html", hospital=hospital, weeks=listing.weeks, listing=listing
    )


def _day_or_none(value: str | None) -> date | None:
    """The page's ``until`` day; a value that is no date is a 404 (it names no page)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(404, _("There is no such week."))


@blueprint.route("/departments/<int:department_id>/weeks/<week>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def record_attendance_grid(department_id: int, week: str):
    department = _department_or_404(department_id)
    start = _week_or_404(week, department)
    if start.isoformat() != week:
        return redirect(
            url_for(".record_attendance_grid", department_id=department_id, week=start.isoformat())
        )
    grid = attendance.attendance_grid(department, start)
    today = attendance.local_today(department.hospital.timezone, utcnow())
    form = grid_form(grid)
    if form.validate_on_submit():
        _save_marks(department.id, start)
        return redirect(request.path)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "attendance/grid.html",
        grid=grid,
        form=form,
        cell_name=cell_name,
        status_radios=status_radios,
        all_present=ALL_PRESENT,
        today=today,
        department=department,
        previous_week=start - timedelta(days=7),
        next_week=start + timedelta(days=7),
    ), status


def _department_or_404(department_id: int) -> Department:
    """A department of the coordinator's hospital (another's is a 404); its hospital is the
    one that came with the signed-in user."""
    at = {"department_id": department_id, "hospital_id": current_user.hospital_id}
    department = db.session.scalar(_hospital_department(), at)
    if department is None:
        abort(404)
    return department


@cache
def _hospital_department():
    """Built once (parameters ``department_id``, ``hospital_id``): the grid's every visit and
    save loads its department."""
    return select(Department).where(
        Department.id == bindparam("department_id"),
        Department.hospital_id == bindparam("hospital_id"),
    )


def _save_marks(department_id: int, week: date) -> None:
    actor = current_user._get_current_object()
    try:
        marks = parse_marks(request.form)
        everyone = parse_all_present(request.form)
        if everyone is None:
            changed = attendance.record_attendance(actor, department_id, week, marks)
        else:
            day, placement_id = everyone
            changed = attendance.record_all_present(
                actor, department_id, week, marks, day=day, placement_id=placement_id
            )
    except DomainError as error:  # nothing was saved; the grid shows what is recorded
        flash_error(error)
    else:
        saved = ngettext(
            "Attendance saved (%(num)d change).", "Attendance saved (%(num)d changes).", changed
        )
        flash(saved, "success")


def _week_or_404(week: str, department: Department) -> date:
    try:
        day = date.fromisoformat(week)
    except ValueError:
        abort(404)
    return week_start(day, department.hospital.weekday_numbers)
