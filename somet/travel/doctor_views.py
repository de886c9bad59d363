"""The doctor's travel page in the portal: their flights in each airport's local time, the
transfers, the hotel and room, the addresses with a map link, whom to call. One A4 page
when printed. A doctor sees only the cohorts they are in (404 otherwise)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from somet.models import Role
from somet.travel import doctor_queries, rules
from somet.travel.views import blueprint
from somet.web.access import role_required


@blueprint.route("/my/travel")
@role_required(Role.DOCTOR)
def show_my_travel():
    """The travel of the doctor's latest cohort (links to the others)."""
    trips = doctor_queries.doctor_trips(current_user.doctor_id)
    if not trips:
        return render_template("travel/mine.html", travel=None, trips=[])
    return _page(trips[0].cohort_id, trips)


@blueprint.route("/my/travel/<int:cohort_id>")
@role_required(Role.DOCTOR)
def show_cohort_travel(cohort_id: int):
    return _page(cohort_id, doctor_queries.doctor_trips(current_user.doctor_id))


def _page(cohort_id: int, trips):
    travel = doctor_queries.doctor_travel(trips, cohort_id)
    if travel is None:
        abort(404)
    return render_template("travel/mine.html", travel=travel, trips=trips, rules=rules)
