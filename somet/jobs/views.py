"""The jobs admin page, "run now", and the progress of one-off runs for pages to poll."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from somet.core.errors import DomainError
from somet.jobs.lease import current_holder
from somet.jobs.operations import request_run_now
from somet.jobs.queries import job_overview, recent_runs
from somet.models import JobRun, Role
from somet.web.access import role_required
from somet.web.extensions import db
from somet.web.refusals import flash_error

blueprint = Blueprint("jobs", __name__)


@blueprint.route("/admin/jobs")
@role_required(Role.ADMIN)
def list_jobs():
    return render_template(
        "jobs/list.html", rows=job_overview(), runs=recent_runs(), lease=current_holder()
    )


@blueprint.route("/admin/jobs/<job_id>/run", methods=["POST"])
@role_required(Role.ADMIN)
def run_job_now(job_id: str):
    try:
        request_run_now(job_id, current_user._get_current_object())
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("%(job)s will run within a few seconds.", job=job_id), "success")
    return redirect(url_for("jobs.list_jobs"))


@blueprint.route("/jobs/runs/<int:run_id>.json")
@login_required
def show_run_progress(run_id: int):
    run = db.session.get(JobRun, run_id)
    if run is None or not _may_see(run):
        abort(404)
    return jsonify(run_progress(run))


def _may_see(run: JobRun) -> bool:
    actor_id = (run.params or {}).get("actor_id")
    return current_user.role.is_staff or (actor_id is not None and actor_id == current_user.id)


def run_progress(run: JobRun) -> dict:
    """The run as the polling page sees it."""
    total = run.progress_total or 0
    return {
        "id": run.id,
        "job": run.job_id,
        "outcome": run.outcome.value,
        "finished": run.finished_at is not None,
        "done": run.progress_done,
        "total": total,
        "percent": round(100 * run.progress_done / total) if total else None,
        "counts": run.counts or {},
        "error": run.error,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }
