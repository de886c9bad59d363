"""The doctor's own pages (placement, profile, calendar feed) and a host's visiting doctors."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from somet.cohorts import operations as cohorts
from somet.core.errors import DomainError
from somet.models import Doctor, Hospital, Language, Role, utcnow
from somet.portal import calendar as calendar_feed
from somet.portal import operations as portal
from somet.portal import rules as programme
from somet.portal import visits
from somet.portal.forms import ProfileForm
from somet.portal.placement import doctor_placement
from somet.web.access import role_required
from somet.web.extensions import db
from somet.web.refusals import flash_error

blueprint = Blueprint("portal", __name__)
CALENDAR_MIMETYPE = "text/calendar"


def _actor():
    return current_user._get_current_object()


def _own_doctor() -> Doctor:
    """The signed-in doctor's own record: loaded with the user (``accounts.sessions``), and
    theirs by definition, so no statement and no scope to check."""
    return current_user.doctor


@blueprint.route("/my/placements/<int:placement_id>")
@role_required(Role.DOCTOR)
def show_placement(placement_id: int):
    placement = doctor_placement(current_user.doctor_id, placement_id) or abort(404)
    return render_template(
        "portal/placement.html",
        placement=placement,
        fixed=programme.is_fixed(placement),
        local_now=programme.local_now(utcnow(), placement.timezone),
    )


@blueprint.route("/my/enrollments/<int:enrollment_id>/confirm", methods=["POST"])
@role_required(Role.DOCTOR)
def confirm_participation(enrollment_id: int):
    """The doctor confirms taking part in a programme (their own enrollment only: 404 else)."""
    try:
        cohorts.confirm_participation(_actor(), enrollment_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Thank you: your participation is confirmed."), "success")
    return redirect(url_for("home.index"))


@blueprint.route("/my/profile", methods=["GET", "POST"])
@role_required(Role.DOCTOR)
def edit_profile():
    doctor = _own_doctor()
    form = ProfileForm(obj=doctor)
    if not form.is_submitted():
        form.preferred_language.data = doctor.preferred_language.value
    if form.validate_on_submit():
        fields = portal.ProfileFields(
            email=form.email.data,
            phone=form.phone.data,
            preferred_language=Language(form.preferred_language.data),
        )
        try:
            portal.update_profile(_actor(), fields)
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("portal.edit_profile"))
    return render_template("portal/profile.html", form=form, doctor=doctor)


@blueprint.route("/my/calendar")
@role_required(Role.DOCTOR)
def show_calendar():
    doctor = _own_doctor()
    links = None
    if doctor.calendar_token:
        links = calendar_feed.subscribe_links(
            _public_url("portal.show_feed", token=doctor.calendar_token)
        )
    return render_template("portal/calendar.html", doctor=doctor, links=links)


def _uid_domain() -> str:
    """The public host's name, which makes the feed's event UIDs globally unique."""
    return urlsplit(current_app.config["SOMET_PUBLIC_URL"]).hostname or "localhost"


def _public_url(endpoint: str, **values) -> str:
    """An absolute address on the public host (calendar apps fetch it from outside)."""
    return current_app.config["SOMET_PUBLIC_URL"] + url_for(endpoint, **values)


@blueprint.route("/my/calendar/token", methods=["POST"])
@role_required(Role.DOCTOR)
def regenerate_calendar_token():
    portal.regenerate_calendar_token(_actor())
    flash(_("You have a new calendar address. The old one no longer works."), "success")
    return redirect(url_for("portal.show_calendar"))


@blueprint.route("/my/calendar/token/revoke", methods=["POST"])
@role_required(Role.DOCTOR)
def revoke_calendar_token():
    portal.revoke_calendar_token(_actor())
    flash(_("Your calendar feed is switched off."), "success")
    return redirect(url_for("portal.show_calendar"))


@blueprint.route("/my/calendar.ics")
@role_required(Role.DOCTOR)
def download_calendar():
    doctor = _own_doctor()
    feed = calendar_feed.calendar_for(doctor, _uid_domain())
    response = Response(feed, mimetype=CALENDAR_MIMETYPE)
    response.headers["Content-Disposition"] = 'attachment; filename="somet-programme.ics"'
    return response


@blueprint.route("/calendar/<token>.ics")
def show_feed(token: str):
    doctor = calendar_feed.doctor_for_token(token)
    if doctor is None:
        abort(404)
    feed = calendar_feed.calendar_for(doctor, _uid_domain())
    response = Response(feed, mimetype=CALENDAR_MIMETYPE)
    response.headers["Cache-Control"] = "private, max-age=900"
    return response


@blueprint.route("/hospital/visitors")
@role_required(Role.COORDINATOR)
def list_visitors():
    # The coordinator's own hospital: no scope to check, and the session already holds it
    # (it comes with the signed-in user), so reading it runs no statement.
    hospital = db.session.get(Hospital, current_user.hospital_id)
    today = utcnow().astimezone(ZoneInfo(hospital.timezone)).date()
    years = visits.visit_years(hospital.id, today)
    year = request.args.get("year", type=int)
    if year is not None and year not in years:
        abort(404, _("No cohort came to your hospital in that year."))
    return render_template(
        "portal/visitors.html",
        hospital=hospital,
        page=visits.visitors_at(hospital.id, today, year, request.args.get("page", 1, type=int)),
        years=years,
        year=year,
    )
