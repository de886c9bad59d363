"""The job runner: APScheduler in one process, acting only while it holds the lease.

``flask jobs run`` builds a ``JobRunner`` and calls ``run_forever``: every heartbeat it takes
or renews the lease; on taking it, it requeues one-off runs a dead runner left behind and
starts a BackgroundScheduler whose jobs live in the app's database (``apscheduler_jobs``); on
losing it (a renewal failed), it stops the scheduler and waits like any other runner.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from somet.jobs.lease import acquire_lease, release_lease
from somet.jobs.operations import (
    execute_scheduled,
    fail_abandoned_scheduled_runs,
    requeue_abandoned_runs,
)
from somet.jobs.registry import ScheduledJob, scheduled_jobs
from somet.models import utcnow
from somet.web.extensions import db

log = logging.getLogger("somet.jobs")
JOB_TARGET = "somet.jobs.runner:scheduled_job_target"
QUEUE_JOB_ID = "process-queued-jobs"


def scheduled_job_target(job_id: str) -> None:
    """What the job store records as each job's function; the runner's executor replaces it."""
    raise RuntimeError(f"{job_id} runs only through JobRunner's executor")


class _ScheduledCall:
    """A scheduled job as APScheduler's ``run_job`` sees it, calling the runner with its time.

    APScheduler 3 does not pass the scheduled time to the function; the run is recorded
    under (job id, scheduled time), so the executor hands it over. ``coalesce`` is on for
    every job, so there is exactly one run time per submission.
    """

    def __init__(self, job, run_time: datetime, runner: JobRunner):
        self.id = job.id
        self._jobstore_alias = job._jobstore_alias
        self.misfire_grace_time = job.misfire_grace_time
        self.func = runner.execute
        self.args = (job.id, run_time)
        self.kwargs: dict = {}

    def __str__(self) -> str:
        return self.id


class RecordingExecutor(ThreadPoolExecutor):
    def __init__(self, runner: JobRunner, max_workers: int = 2):
        super().__init__(max_workers)
        self.runner = runner

    def _do_submit_job(self, job, run_times):
        call = _ScheduledCall(job, run_times[-1], self.runner)
        super()._do_submit_job(call, run_times[-1:])


class JobRunner:
    """One candidate runner; several may start, one acts (the lease holder)."""

    def __init__(
        self,
        app: Flask,
        *,
        lease_seconds: float = 30,
        heartbeat_seconds: float = 10,
        poll_seconds: float | None = None,
        holder: str | None = None,
        clock_shift: timedelta = timedelta(0),
    ):
        self.app = app
        self.lease_seconds = lease_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.poll_seconds = poll_seconds
        self.clock_shift = clock_shift  # a rehearsal (`jobs run --as-of`): jobs act as of then
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.scheduler: BackgroundScheduler | None = None
        self._stopping = threading.Event()
        self._announced_waiting = False

    @property
    def acting(self) -> bool:
        return self.scheduler is not None

    def run_forever(self) -> None:
        """Heartbeat until ``stop()``; give the lease up on the way out."""
        with self.app.app_context():
            try:
                while not self._stopping.is_set():
                    self.beat()
                    self._stopping.wait(self.heartbeat_seconds)
            finally:
                self._stand_down(release=True)

    def stop(self) -> None:
        self._stopping.set()

    def beat(self) -> bool:
        """Take or renew the lease; start or stop the scheduler to match. Needs an app context."""
        try:
            held = acquire_lease(self.holder, self.lease_seconds)
        except SQLAlchemyError:  # database away: act as if the lease was lost
            db.session.rollback()
            log.exception("could not renew the runner lease")
            held = False
        if held and not self.acting:
            try:
                self._take_over()
            except Exception:  # e.g. the database went away mid-start: try again next beat
                log.exception("runner %s could not start the scheduler", self.holder)
                db.session.rollback()
                self._stand_down(release=False)
                held = False
        elif not held and self.acting:
            log.warning("runner %s lost the lease; standing down", self.holder)
            self._stand_down(release=False)
        elif not held and not self._announced_waiting:
            log.info("runner %s waits: another runner holds the lease", self.holder)
        self._announced_waiting = not held
        return held

    def execute(self, job_id: str, scheduled_for: datetime) -> None:
        """Run one scheduled run (in an executor thread) if this runner still acts."""
        if not self.acting:
            return
        with self.app.app_context():
            try:
                now = utcnow() + self.clock_shift if self.clock_shift else None
                execute_scheduled(job_id, scheduled_for, self.holder, now=now)
            finally:
                db.session.remove()

    def _take_over(self) -> None:
        log.info("runner %s holds the lease; starting the scheduler", self.holder)
        requeued = requeue_abandoned_runs()
        abandoned = fail_abandoned_scheduled_runs()
        if requeued or abandoned:
            log.info("a runner died: %d one-off runs requeued, %d runs failed", requeued, abandoned)
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=db.engine)},
            executors={"default": RecordingExecutor(self)},
            timezone=UTC,
        )
        scheduler.start(paused=True)
        self.scheduler = scheduler  # from here on, standing down shuts it down
        add_scheduled_jobs(scheduler, scheduled_jobs(self.app).values(), self.poll_seconds)
        scheduler.resume()

    def _stand_down(self, *, release: bool) -> None:
        scheduler, self.scheduler = self.scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=release)
        if release:
            try:
                release_lease(self.holder)
            except SQLAlchemyError:  # it expires on its own
                db.session.rollback()


def add_scheduled_jobs(scheduler, jobs, poll_seconds: float | None = None) -> None:
    """Add every job under its own id, replacing the stored one (restarts add no duplicates).

    A stored job whose trigger is unchanged keeps its next run time, so a run missed while no
    runner was up is still seen and handled by the misfire rules instead of silently skipped.
    """
    wanted = {job.id for job in jobs}
    for stored in scheduler.get_jobs():
        if stored.id not in wanted:
            scheduler.remove_job(stored.id)
    for job in jobs:
        trigger = _trigger(job, poll_seconds)
        stored = scheduler.get_job(job.id)
        keep = {}
        if stored is not None and stored.next_run_time and str(stored.trigger) == str(trigger):
            keep["next_run_time"] = stored.next_run_time
        scheduler.add_job(
            JOB_TARGET,
            trigger=trigger,
            args=(job.id,),
            id=job.id,
            name=job.title,
            replace_existing=True,
            misfire_grace_time=job.misfire_grace_time,
            coalesce=True,
            max_instances=1,
            **keep,
        )


def _trigger(job: ScheduledJob, poll_seconds: float | None):
    if job.trigger == "interval":
        args = dict(job.trigger_args)
        if poll_seconds and job.id == QUEUE_JOB_ID:
            args = {"seconds": poll_seconds}
        return IntervalTrigger(timezone=UTC, **args)
    return CronTrigger(timezone=UTC, **job.trigger_args)
