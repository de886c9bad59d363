"""Follow-up surveys: the doctor's one-tap answer page, and the director's lists."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user

from somet.core.errors import DomainError
from somet.followup import operations as followup
from somet.followup import queries
from somet.followup.forms import AnswerForm, RemindAllForm, RemindForm
from somet.models import Cohort, Doctor
from somet.web.access import STAFF, get_visible_or_404, role_required
from somet.web.i18n import SESSION_KEY
from somet.web.paging import cursor
from somet.web.refusals import flash_error

blueprint = Blueprint("followup", __name__)
PER_PAGE = 50
# The overview's totals: the cohorts that ended last (whose surveys are still coming in);
# every cohort's on request, and each cohort's on its own page.
LATEST_COHORTS = 12
STATES = ("open", "answered", "all")


def _actor():
    return current_user._get_current_object()


@blueprint.route("/follow-up")
@role_required(*STAFF)
def list_surveys():
    state = request.args.get("state", "open")
    state = state if state in STATES else "open"
    every_cohort = request.args.get("cohorts") == "all"
    if every_cohort:
        outcomes, older_cohorts = queries.cohort_outcomes(), False
    else:
        outcomes, older_cohorts = queries.latest_cohort_outcomes(LATEST_COHORTS)
    page = queries.surveys_page(
        state,
        per_page=PER_PAGE,
        before=cursor(request.args.get("before")),
        after=cursor(request.args.get("after")),
    )
    return render_template(
        "followup/overview.html",
        outcomes=outcomes,
        older_cohorts=older_cohorts,
        latest_cohorts=LATEST_COHORTS,
        cohorts="all" if every_cohort else None,
        page=page,
        state=state,
        remind_all_form=RemindAllForm(formdata=None),
    )


@blueprint.route("/cohorts/<int:cohort_id>/follow-up")
@role_required(*STAFF)
def show_cohort_surveys(cohort_id: int):
    cohort = get_visible_or_404(Cohort, cohort_id)
    return render_template(
        "followup/cohort.html",
        cohort=cohort,
        outcomes=queries.cohort_outcomes(cohort.id),
        surveys=queries.cohort_survey_rows(cohort.id),
        remind_all_form=RemindAllForm(formdata=None, cohort_id=cohort.id),
    )


@blueprint.route("/follow-up/doctors/<int:doctor_id>")
@role_required(*STAFF)
def show_doctor_answers(doctor_id: int):
    doctor = get_visible_or_404(Doctor, doctor_id)
    answers = queries.answers_for_doctor(doctor.id)
    return render_template("followup/doctor.html", doctor=doctor, answers=answers)


@blueprint.route("/follow-up/enrollments/<int:enrollment_id>/remind", methods=["POST"])
@role_required(*STAFF)
def remind_doctor(enrollment_id: int):
    form = RemindForm()
    if not form.validate_on_submit():
        flash(_("Choose which survey to remind of."), "danger")
        return redirect(_back())
    try:
        followup.remind_doctor(_actor(), enrollment_id, form.months.data)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Reminder sent."), "success")
    return redirect(_back())


@blueprint.route("/follow-up/remind", methods=["POST"])
@role_required(*STAFF)
def remind_non_responders():
    form = RemindAllForm()
    if not form.validate_on_submit():
        flash(_("The reminders could not be sent; please try again."), "danger")
        return redirect(_back())
    try:
        sent, skipped = followup.remind_non_responders(_actor(), form.cohort_id.data)
    except DomainError as error:
        flash_error(error)
    else:
        flash(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", sent), "success")
        if skipped:
            flash(
                ngettext(
                    "%(num)d doctor was not reminded: already reminded today, or no address.",
                    "%(num)d doctors were not reminded: already reminded today, or no address.",
                    skipped,
                ),
                "info",
            )
    return redirect(_back())


def _back() -> str:
    """Back where the button was (a relative path only), else the follow-up overview."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for(".list_surveys")


@blueprint.route(followup.ANSWER_PATH + "<token>", methods=["GET", "POST"])
def answer_survey(token: str):
    try:
        survey = followup.survey_for_link(token)
    except DomainError as error:
        return render_template("followup/link_spent.html", reason=str(error)), error.status_code
    _speak_the_survey_language(survey.language)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            followup.answer_survey(token, form.answers())
        except DomainError as error:
            return render_template("followup/link_spent.html", reason=str(error)), error.status_code
        flash(_("Thank you: your answers are recorded."), "success")
        return redirect(url_for(".answer_survey", token=token))
    status = 400 if form.is_submitted() else 200
    return render_template("followup/answer.html", form=form, survey=survey), status


def _speak_the_survey_language(language: str) -> None:
    """A visitor from the e-mail reads the page in the survey's language (until they switch)."""
    if current_user.is_authenticated or session.get(SESSION_KEY):
        return
    session[SESSION_KEY] = language
    refresh()
