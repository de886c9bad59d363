"""Planning a cohort: plan, timeline, capacity, manual edits, sending requests."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from somet.core.errors import DomainError
from somet.core.localisation import format_day_range
from somet.documents import queries as document_checklist
from somet.jobs import operations as background
from somet.models import Cohort, PlacementStatus
from somet.planning import edits as placement_edits
from somet.planning import operations as planning
from somet.planning import queries as timeline
from somet.planning.forms import MovePlacementForm
from somet.planning.rules import partial_plans
from somet.requests import operations as requests
from somet.web.access import STAFF, get_visible_or_404, may, role_required
from somet.web.i18n import page_language
from somet.web.labels import enum_label
from somet.web.refusals import abort_if_missing, flash_error, form_error

blueprint = Blueprint("planning", __name__)


def _actor():
    return current_user._get_current_object()


def _cohort_or_404(cohort_id: int) -> Cohort:
    return get_visible_or_404(Cohort, cohort_id)


@blueprint.route("/cohorts/<int:cohort_id>/plan", methods=["POST"])
@role_required(*STAFF)
def plan_cohort(cohort_id: int):
    _cohort_or_404(cohort_id)
    try:
        started = planning.start_plan(_actor(), cohort_id)
    except DomainError as error:
        flash_error(error)
    else:
        if started.run_id is not None:
            flash(_("The plan is being computed in the background; progress is shown below."))
        else:
            flash(*_plan_message(started.summary))
    return redirect(url_for(".show_timeline", cohort_id=cohort_id))


def _plan_message(summary: dict) -> tuple[str, str]:
    status = summary["status"]
    missing = sum(1 for u in summary["unplaced"] if u["required"])
    if missing:
        text = _(
            "Planned: %(n)s placements proposed, but %(m)s required rotations could not be "
            "placed (listed below).",
            n=summary["placed"],
            m=missing,
        )
        return text, "warning"
    if status in planning.SOLVED:
        text = ngettext(
            "Planned: %(num)d placement proposed.",
            "Planned: %(num)d placements proposed.",
            summary["placed"],
        )
        return text, "success" if not summary["unplaced"] else "warning"
    if status == "INFEASIBLE":
        return _("No valid plan exists; the reasons are listed below."), "danger"
    return _("No plan was found within the time limit; try again."), "warning"


@blueprint.route("/cohorts/<int:cohort_id>/plan/progress")
@role_required(*STAFF)
def show_plan_progress(cohort_id: int):
    _cohort_or_404(cohort_id)
    run = background.latest_run(planning.PLAN_JOB, str(cohort_id))
    if run is None:
        return jsonify(outcome="none", done=0, total=0)
    return jsonify(
        outcome=run.outcome.value,
        done=run.progress_done,
        total=run.progress_total,
        error=run.error or "",
    )


@blueprint.route("/cohorts/<int:cohort_id>/timeline")
@role_required(*STAFF)
def show_timeline(cohort_id: int):
    cohort = _cohort_or_404(cohort_id)
    view = timeline.cohort_timeline(cohort)
    proposed = view.counts.get(PlacementStatus.PROPOSED)
    statuses = {status: enum_label(status) for status in PlacementStatus}
    return render_template(
        "planning/timeline.html",
        cohort=cohort,
        view=view,
        titles=_segment_titles(view, statuses),
        statuses=statuses,
        plan_status=partial_plans.shown_status,
        counts=view.counts,
        last_plan=planning.latest_plan(cohort_id),
        not_ready=document_checklist.doctors_not_ready(cohort) if proposed else [],
        run=background.latest_run(planning.PLAN_JOB, str(cohort_id)),
        cohort_url=_cohort_url(cohort_id),
    )


def _segment_titles(view, names: dict[PlacementStatus, str]) -> dict[int, str]:
    """Each placement's tooltip, worded once: a placement split by weekends repeats it."""
    language = page_language()
    titles = {}
    for row in view.rows:
        for segment in row.segments:
            p = segment.placement
            if segment.first:
                titles[p.id] = (
                    f"{p.department_name} ({p.hospital_name}) · {p.rotation} · "
                    f"{format_day_range(p.start_date, p.end_date, language)}"
                    f" · {names[p.status]}"
                )
    return titles


def _cohort_url(cohort_id: int) -> str | None:
    """The cohort overview, when the cohorts blueprint is there to show it."""
    if "cohorts.show_cohort" not in current_app.view_functions:
        return None
    return url_for("cohorts.show_cohort", cohort_id=cohort_id)


@blueprint.route("/cohorts/<int:cohort_id>/placements/edit")
@role_required(*STAFF)
def choose_placement(cohort_id: int):
    """A timeline segment's button (a GET form naming the placement): its edit page."""
    _cohort_or_404(cohort_id)
    placement_id = request.args.get("placement", type=int)
    if placement_id is None:  # no segment named: back to the timeline to choose one
        return redirect(url_for(".show_timeline", cohort_id=cohort_id))
    return redirect(url_for(".edit_placement", cohort_id=cohort_id, placement_id=placement_id))


@blueprint.route("/cohorts/<int:cohort_id>/capacity")
@role_required(*STAFF)
def show_capacity(cohort_id: int):
    cohort = get_visible_or_404(Cohort, cohort_id, timeline.HOSTS_LOADED)
    view = timeline.cohort_capacity(cohort_id, cohort=cohort)
    return render_template(
        "planning/capacity.html", view=view, cohort=view.cohort, cohort_url=_cohort_url(cohort_id)
    )


@blueprint.route(
    "/cohorts/<int:cohort_id>/placements/<int:placement_id>/edit", methods=["GET", "POST"]
)
@role_required(*STAFF)
def edit_placement(cohort_id: int, placement_id: int):
    cohort = _cohort_or_404(cohort_id)
    try:
        placement, choices = placement_edits.edit_choices(cohort_id, placement_id)
    except DomainError as error:
        abort_if_missing(error)
        raise
    form = MovePlacementForm(
        data={"department_id": placement.department_id, "start": placement.start_date}
    )
    form.department_id.choices = [SelectChoice(str(value), label) for value, label in choices]
    if form.validate_on_submit():
        try:
            placement_edits.move_placement(
                _actor(),
                cohort_id,
                placement_id,
                department_id=form.department_id.data,
                start=form.start.data,
            )
        except DomainError as error:
            form_error(form.start, error)
        else:
            flash(_("The placement is moved."), "success")
            return redirect(url_for(".show_timeline", cohort_id=cohort_id))
    return render_template(
        "planning/edit_placement.html", form=form, cohort=cohort, placement=placement
    )


@blueprint.route("/cohorts/<int:cohort_id>/send", methods=["POST"])
@role_required(*STAFF)
def send_requests(cohort_id: int):
    _cohort_or_404(cohort_id)
    try:
        sent = requests.send_requests(_actor(), cohort_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(ngettext(
                "%(num)d request sent to the host hospitals.",
                "%(num)d requests sent to the host hospitals.",
                sent,
            ), "success")
        not_ready = document_checklist.doctors_not_ready(_cohort_or_404(cohort_id))
        if not_ready:
            flash(_not_ready_warning(cohort_id, len(not_ready)), "warning")
    return redirect(url_for(".show_timeline", cohort_id=cohort_id))


def _not_ready_warning(cohort_id: int, count: int) -> str | Markup:
    """One line with the count and a link to the doctors and what they lack."""
    text = ngettext(
        "%(num)d doctor is not ready to travel yet.",
        "%(num)d doctors are not ready to travel yet.",
        count,
    )
    if not may("documents.show_checklist"):
        return text
    details = url_for("documents.show_checklist", cohort_id=cohort_id, ready="no")
    return Markup('{} <a class="alert-link" href="{}">{}</a>').format(
        text, details, _("Who and what is missing")
    )
