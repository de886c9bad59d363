"""The home page of each role."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from somet.models import Cohort, CohortStatus, Department, Hospital, Role, utcnow
from somet.portal.queries import doctor_home
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
    return doctor_home(user.doctor_id, utcnow())
