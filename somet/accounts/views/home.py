"""The home page of each role."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from somet.models import Cohort, CohortStatus, Department, Hospital, Role, utcnow
from somet.portal import rules as programme
from somet.portal.queries import programme_of, registrations_of
from somet.web.extensions import db

blueprint = Blueprint("home", __name__)


@blueprint.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    template = f"accounts/home/{current_user.role.value}.html"
    return render_template(template, **_summary_for(current_user))


def _summary_for(user) -> dict:
    """A few counts for the home page (each one query; no per-row work)."""
    if user.role.is_staff:
        by_status = dict(
            db.session.execute(select(Cohort.status, func.count()).group_by(Cohort.status)).all()
        )
        return {
            "cohort_counts": by_status,
            "statuses": list(CohortStatus),
            "hospital_count": db.session.scalar(select(func.count(Hospital.id))),
        }
    if user.role == Role.COORDINATOR:
        hospital = db.session.get(Hospital, user.hospital_id)
        departments = db.session.scalar(
            select(func.count(Department.id)).where(Department.hospital_id == user.hospital_id)
        )
        return {"hospital": hospital, "department_count": departments}
    return _doctor_summary(user)


def _doctor_summary(user) -> dict:
    """Today, tomorrow, the next rotation and the whole programme (two queries)."""
    now = utcnow()
    mine = programme_of(user.doctor_id)
    placements = mine.placements
    registrations = registrations_of(user.doctor_id)
    return {
        "enrollments": mine.enrollments,
        "placements": placements,
        "registrations": registrations,
        "today": programme.day_plan(0, placements, registrations, now),
        "tomorrow": programme.day_plan(1, placements, registrations, now),
        "next_rotation": programme.next_rotation(placements, now),
        "timeline": programme.timeline(placements),
    }
