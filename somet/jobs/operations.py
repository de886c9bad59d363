"""Background work, the jobs feature's API for every other feature: queue, progress, runs.

One-off work (a cohort's plan, a certificate batch): a feature registers its function with
``jobs.registry.register_one_off_job`` from ``register(app)``; a service queues a run with
``submit_job``; the job runner (``flask jobs run``, or in-process in development) calls
``run_queued_jobs``; pages poll the ``JobRun`` row for progress. Tests call
``run_queued_jobs()`` directly.

A job function receives its ``JobRun`` and the params given to ``submit_job`` and returns a
dict of counts. It commits its own units of work (so a crash loses at most the unit in hand)
and calls ``report_progress`` between them.

Scheduled runs: ``execute_scheduled`` runs a scheduled job once for one scheduled time: it
first inserts the unique (job id, scheduled time) ``JobRun`` row, so a run that another
runner (or a restart) already claimed is skipped instead of repeated.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from somet.audit.operations import record_event
from somet.core.errors import NotAllowed, NotFound
from somet.jobs.registry import one_off_jobs, scheduled_jobs
from somet.models import JobOutcome, JobRun, Role, User, utcnow
from somet.web.database import lock_for_write
from somet.web.extensions import db

RUN_NOW_JOB = "run-scheduled-job"
ACTIVE_OUTCOMES = (JobOutcome.QUEUED, JobOutcome.RUNNING)
# One-off runs carry their job's name in params; scheduled runs (somet.jobs) do not. As a
# string: a bare JSON index of a missing key is the JSON text 'null' on SQLite, not NULL.
ONE_OFF = JobRun.params["name"].as_string().is_not(None)


class UnknownJob(LookupError):
    """No function is registered under a queued run's name."""


def job_key(name: str, key: str) -> str:
    return f"{name}:{key}"


def submit_job(name: str, *, key: str, params: dict[str, Any], actor: User | None) -> JobRun:
    """Queue job ``name`` for ``key`` (e.g. a cohort id) unless one is already queued or running.

    Part of the caller's transaction; returns the new or the already active run, so starting
    the same work twice queues it once.
    """
    if name not in one_off_jobs():
        raise UnknownJob(name)
    active = active_run(name, key)
    if active is not None:
        return active
    run = JobRun(
        job_id=job_key(name, key),
        scheduled_for=utcnow(),
        params={"name": name, "actor_id": actor.id if actor else None, **params},
        outcome=JobOutcome.QUEUED,
    )
    db.session.add(run)
    db.session.flush()
    return run


def active_run(name: str, key: str) -> JobRun | None:
    """The queued or running run of ``name`` for ``key``, if any."""
    return db.session.scalars(
        select(JobRun).where(
            JobRun.job_id == job_key(name, key), JobRun.outcome.in_(ACTIVE_OUTCOMES)
        )
    ).first()


_LATEST_RUN = (
    select(JobRun).where(JobRun.job_id == bindparam("job_id")).order_by(JobRun.id.desc()).limit(1)
)


def latest_run(name: str, key: str) -> JobRun | None:
    """The most recent run of ``name`` for ``key`` (for progress and outcome on a page)."""
    return db.session.scalars(_LATEST_RUN, {"job_id": job_key(name, key)}).first()


def report_progress(run: JobRun, done: int, total: int) -> None:
    """Record progress on ``run`` and commit (call between committed units of work)."""
    run.progress_done = done
    run.progress_total = total
    db.session.commit()


def run_queued_jobs(limit: int | None = None) -> int:
    """Run queued one-off jobs, oldest first; returns how many ran."""
    ran = 0
    while limit is None or ran < limit:
        run_id = db.session.scalar(
            select(JobRun.id)
            .where(JobRun.outcome == JobOutcome.QUEUED, ONE_OFF)
            .order_by(JobRun.id)
            .limit(1)
        )
        db.session.commit()
        if run_id is None:
            return ran
        if _claim(run_id):
            _execute(run_id)
            ran += 1
    return ran


def requeue_abandoned_runs() -> int:
    """Put runs left RUNNING by a runner that died back in the queue (they resume)."""
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.outcome == JobOutcome.RUNNING, ONE_OFF)
        .values(outcome=JobOutcome.QUEUED)
    )
    db.session.commit()
    return result.rowcount


def claim_run(run_id: int, *, abandoned: bool = False) -> bool:
    """Claim queued run ``run_id`` to execute it in this process (a CLI running its own job);
    with ``abandoned``, also a run left RUNNING by a process that died. False: someone has it."""
    states = [JobOutcome.QUEUED] + ([JobOutcome.RUNNING] if abandoned else [])
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.outcome.in_(states))
        .values(outcome=JobOutcome.RUNNING, started_at=utcnow())
    )
    db.session.commit()
    return result.rowcount == 1


def _claim(run_id: int) -> bool:
    # A conditional update: of two runners racing for the same run, one sees rowcount 1.
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.outcome == JobOutcome.QUEUED)
        .values(outcome=JobOutcome.RUNNING, started_at=utcnow())
    )
    db.session.commit()
    return result.rowcount == 1


def _execute(run_id: int) -> None:
    run = db.session.get(JobRun, run_id)
    params = dict(run.params)
    name = params.pop("name")
    params.pop("actor_id", None)

    def work() -> dict | None:
        function = one_off_jobs().get(name)
        if function is None:
            raise UnknownJob(name)
        return function(run, **params)

    record_outcome(run_id, work)


def record_outcome(run_id: int, work: Callable[[], dict | None]) -> JobRun:
    """Do ``work`` and record its counts, or its error, on the run ``run_id``; commits.

    Shared by one-off and scheduled runs: a failure is written on the run and the runner goes
    on with the next one.
    """
    try:
        counts = work() or {}
    except Exception as error:
        db.session.rollback()
        _begin_outcome_write()
        run = db.session.get(JobRun, run_id)
        run.outcome = JobOutcome.FAILED
        run.error = "".join(traceback.format_exception_only(error)).strip()[:2000]
    else:
        db.session.commit()  # what the work left pending is its own
        _begin_outcome_write()
        run = db.session.get(JobRun, run_id)
        run.outcome = JobOutcome.SUCCEEDED
        run.counts = counts
    run.finished_at = utcnow()
    db.session.commit()
    return run


def _begin_outcome_write() -> None:
    # Take the write lock before reading the run: on SQLite a read transaction that later
    # writes is refused at once ("database is locked") while the runner's heartbeat thread
    # renews the lease, and the run would stay RUNNING forever.
    lock_for_write(db.session, "job-outcome")


def execute_scheduled(
    job_id: str, scheduled_for: datetime, runner: str = "", now: datetime | None = None
) -> JobRun | None:
    """Run ``job_id`` for ``scheduled_for`` once; None when not recorded or already claimed.

    ``now`` is the moment the job acts as of (default: the real time); a rehearsal passes a
    later day, and the run records it (``params["as_of"]``).
    """
    job = scheduled_jobs()[job_id]
    if not job.recorded:
        job.function(now or utcnow())
        db.session.commit()
        return None
    run = _claim_scheduled_run(job_id, scheduled_for, runner, as_of=now)
    if run is None:
        return None
    return record_outcome(run.id, lambda: job.function(now or utcnow()))


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


def _claim_scheduled_run(
    job_id: str, scheduled_for: datetime, runner: str, as_of: datetime | None = None
) -> JobRun | None:
    params = {"runner": runner, **({"as_of": as_of.isoformat()} if as_of else {})}
    run = JobRun(
        job_id=job_id,
        scheduled_for=scheduled_for,
        params=params,
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


def run_scheduled_now(run: JobRun, *, job_id: str) -> dict:
    """The one-off job ``RUN_NOW_JOB``: a scheduled job run at once, on the job runner."""
    return scheduled_jobs()[job_id].function(utcnow()) or {}


def request_run_now(job_id: str, actor: User) -> JobRun:
    """Queue ``job_id`` to run at once on the job runner (web workers never run jobs)."""
    if actor.role != Role.ADMIN:
        raise NotAllowed(_("Only an administrator can run a job now."))
    if job_id not in scheduled_jobs():
        raise NotFound(_("There is no job called %(job)s.", job=job_id))
    run = submit_job(RUN_NOW_JOB, key=job_id, params={"job_id": job_id}, actor=actor)
    record_event(actor, "job.run_now", run, job_id=job_id)
    db.session.commit()
    return run
