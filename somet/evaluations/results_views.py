"""Results: per hospital and department (directors; a host's coordinators for their own,
under the anonymity rule), and per doctor (directors only)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from somet.evaluations import host_results, rules
from somet.evaluations import queries as results
from somet.evaluations.views import blueprint
from somet.models import Department, Doctor, Hospital, Role, utcnow
from somet.web.access import STAFF, get_visible_or_404, role_required
from somet.web.extensions import db

# Seventeen years of a hospital's comments would make a page nobody reads; the newest are
# shown, the page says so and links to every comment.
COMMENTS_SHOWN = 50


def _is_host() -> bool:
    return current_user.role == Role.COORDINATOR


def _summary(read, object_id: int) -> tuple[dict, bool]:
    """The results ``read(object_id, comment_limit)`` (a department's or a hospital's): the
    newest comments only unless ?comments=all, and whether some may have been left out."""
    every = request.args.get("comments") == "all"
    summary = read(object_id, None if every else COMMENTS_SHOWN)
    shown = sum(len(s.comments) for s in summary.values())
    return summary, not every and shown >= COMMENTS_SHOWN


def _hospital_or_404(hospital_id: int) -> Hospital:
    """The hospital through the user's scope; a coordinator's own one is already in the
    session (it comes with the signed-in user), so it costs no statement."""
    if _is_host() and hospital_id == current_user.hospital_id:
        return db.session.get(Hospital, hospital_id)
    return get_visible_or_404(Hospital, hospital_id)


@blueprint.route("/evaluations")
@role_required(*STAFF)
def list_results():
    return render_template("evaluations/results_index.html", hospitals=results.hospitals_overview())


@blueprint.route("/evaluations/hospitals/<int:hospital_id>")
@role_required(Role.COORDINATOR, *STAFF)
def show_hospital_results(hospital_id: int):
    hospital = _hospital_or_404(hospital_id)
    summary, comments_cut = _summary(host_results.summary_of_hospital, hospital.id)
    return render_template(
        "evaluations/results.html",
        title=hospital.name,
        hospital=hospital,
        department=None,
        summary=summary,
        departments=results.department_rows(hospital.id),
        host=_is_host(),
        min_respondents=rules.MIN_RESPONDENTS_FOR_HOST,
        comments_cut=comments_cut,
        comments_shown=COMMENTS_SHOWN,
    )


@blueprint.route("/evaluations/departments/<int:department_id>")
@role_required(Role.COORDINATOR, *STAFF)
def show_department_results(department_id: int):
    department = get_visible_or_404(Department, department_id)
    hospital = _hospital_or_404(department.hospital_id)
    summary, comments_cut = _summary(host_results.summary_of_department, department.id)
    return render_template(
        "evaluations/results.html",
        title=department.name,
        hospital=hospital,
        department=department,
        summary=summary,
        departments=None,
        host=_is_host(),
        min_respondents=rules.MIN_RESPONDENTS_FOR_HOST,
        comments_cut=comments_cut,
        comments_shown=COMMENTS_SHOWN,
    )


@blueprint.route("/evaluations/doctors/<int:doctor_id>")
@role_required(*STAFF)
def show_doctor_results(doctor_id: int):
    doctor = get_visible_or_404(Doctor, doctor_id)
    return render_template(
        "evaluations/doctor.html",
        doctor=doctor,
        summary=results.summary_for_placements(
            results.DOCTOR_PLACEMENTS, params={"doctor_id": doctor.id}
        ),
        records=results.answers_for_doctor(doctor.id),
        now=utcnow(),
    )
