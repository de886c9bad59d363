"""Scheduled jobs: their ids, triggers and the recorded execution of one scheduled run.

A scheduled job is a plain function ``function(now) -> dict of counts`` (tested without the
scheduler) plus how often it runs. ``execute_scheduled`` runs it once for one scheduled time:
it first inserts the unique (job id, scheduled time) ``JobRun`` row, so a run that another
runner (or a restart) already claimed is skipped instead of repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from somet.audit.operations import record_event
from somet.core.errors import NotAllowed, NotFound
from somet.jobs.queue import one_off_job, record_outcome, submit_job
from somet.models import JobOutcome, JobRun, Role, User, utcnow
from somet.web.extensions import db

ScheduledFunction = Callable[[datetime], dict]
RUN_NOW_JOB = "run-scheduled-job"


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    title: str
    function: ScheduledFunction
    trigger: str  # "interval" or "cron", with ``trigger_args``
    trigger_args: dict = field(default_factory=dict)
    misfire_grace_time: int = 60
    # Pollers that run every few seconds and claim their own work are not recorded: a row
    # per poll would bury the runs that matter. Their work (one-off runs, e-mails) is.
    recorded: bool = True


SCHEDULED_JOBS: dict[str, ScheduledJob] = {}


def register_scheduled_job(job: ScheduledJob) -> ScheduledJob:
    """Add ``job`` to the runner's schedule (at import of the module that defines it)."""
    SCHEDULED_JOBS[job.id] = job
    return job


def execute_scheduled(job_id: str, scheduled_for: datetime, runner: str = "") -> JobRun | None:
    """Run ``job_id`` for ``scheduled_for`` once; None when not recorded or already claimed."""
    job = SCHEDULED_JOBS[job_id]
    if not job.recorded:
        job.function(utcnow())
        db.session.commit()
        return None
    run = _claim_scheduled_run(job_id, scheduled_for, runner)
    if run is None:
        return None
    return record_outcome(run.id, lambda: job.function(utcnow()))


def fail_abandoned_scheduled_runs() -> int:
    """Scheduled runs left running by a runner that died are marked failed (not rerun: the
    next scheduled run catches up, every job being idempotent)."""
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.outcome == JobOutcome.RUNNING, JobRun.params["name"].as_string().is_(None))
        .values(
            outcome=JobOutcome.FAILED,
            finished_at=utcnow(),
            error="abandoned: the job runner stopped during this run",
        )
    )
    db.session.commit()
    return result.rowcount


def _claim_scheduled_run(job_id: str, scheduled_for: datetime, runner: str) -> JobRun | None:
    run = JobRun(
        job_id=job_id,
        scheduled_for=scheduled_for,
        params={"runner": runner},
        outcome=JobOutcome.RUNNING,
        started_at=utcnow(),
    )
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:  # this (job, time) already ran or is running elsewhere
        db.session.rollback()
        return None
    return run


@one_off_job(RUN_NOW_JOB)
def _run_scheduled_now(run: JobRun, *, job_id: str) -> dict:
    return SCHEDULED_JOBS[job_id].function(utcnow()) or {}


def request_run_now(job_id: str, actor: User) -> JobRun:
    """Queue ``job_id`` to run at once on the job runner (web workers never run jobs)."""
    if actor.role != Role.ADMIN:
        raise NotAllowed(_("Only an administrator can run a job now."))
    if job_id not in SCHEDULED_JOBS:
        raise NotFound(_("There is no job called %(job)s.", job=job_id))
    run = submit_job(RUN_NOW_JOB, key=job_id, params={"job_id": job_id}, actor=actor)
    record_event(actor, "job.run_now", run, job_id=job_id)
    db.session.commit()
    return run
