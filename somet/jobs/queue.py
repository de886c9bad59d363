"""One-off background work (a cohort's plan, a certificate batch), shared by every feature.

A feature registers a function with ``@one_off_job("name")``; a service queues a run with
``submit_job``; the job runner (``flask jobs run``, or in-process in development) calls
``run_queued_jobs``; pages poll the ``JobRun`` row for progress. Tests call
``run_queued_jobs()`` directly.

A job function receives its ``JobRun`` and the params given to ``submit_job`` and returns a
dict of counts. It commits its own units of work (so a crash loses at most the unit in hand)
and calls ``report_progress`` between them.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, select, update

from somet.models import JobOutcome, JobRun, User, utcnow
from somet.web.extensions import db

JobFunction = Callable[..., dict]
ONE_OFF_JOBS: dict[str, JobFunction] = {}
ACTIVE_OUTCOMES = (JobOutcome.QUEUED, JobOutcome.RUNNING)
# One-off runs carry their job's name in params; scheduled runs (somet.jobs) do not. As a
# string: a bare JSON index of a missing key is the JSON text 'null' on SQLite, not NULL.
ONE_OFF = JobRun.params["name"].as_string().is_not(None)


class UnknownJob(LookupError):
    """No function is registered under a queued run's name."""


def one_off_job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``function`` as the one-off job ``name`` (at import of its module)."""

    def register(function: JobFunction) -> JobFunction:
        ONE_OFF_JOBS[name] = function
        return function

    return register


def job_key(name: str, key: str) -> str:
    return f"{name}:{key}"


def submit_job(name: str, *, key: str, params: dict[str, Any], actor: User | None) -> JobRun:
    """Queue job ``name`` for ``key`` (e.g. a cohort id) unless one is already queued or running.

    Part of the caller's transaction; returns the new or the already active run, so starting
    the same work twice queues it once.
    """
    if name not in ONE_OFF_JOBS:
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
        function = ONE_OFF_JOBS.get(name)
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
        run = db.session.get(JobRun, run_id)
        run.outcome = JobOutcome.FAILED
        run.error = "".join(traceback.format_exception_only(error)).strip()[:2000]
    else:
        run = db.session.get(JobRun, run_id)
        run.outcome = JobOutcome.SUCCEEDED
        run.counts = counts
    run.finished_at = utcnow()
    db.session.commit()
    return run
