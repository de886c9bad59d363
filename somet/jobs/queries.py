"""What the admin page and ``flask jobs list`` show: each job's schedule, last and next run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, Float, MetaData, String, Table, func, inspect, select

from somet.jobs.operations import RUN_NOW_JOB, job_key
from somet.jobs.registry import ScheduledJob, scheduled_jobs
from somet.web.extensions import db

# APScheduler's own table, read-only here (only the runner writes it).
_APSCHEDULER_JOBS = Table(
    "apscheduler_jobs",
    MetaData(),
    Column("id", String(191), primary_key=True),
    Column("next_run_time", Float(25)),
)
RECENT_RUNS = 50


@dataclass(frozen=True)
class JobRow:
    job: ScheduledJob
    schedule: str
    last_run: object | None
    next_run: datetime | None


def describe_schedule(job: ScheduledJob) -> str:
    """``every 5 s``, ``daily 01:00 UTC``, ``hourly at :05``."""
    args = job.trigger_args
    if job.trigger == "interval":
        return f"every {args.get('seconds', 0)} s"
    if "hour" in args:
        return f"daily {args['hour']:02d}:{args.get('minute', 0):02d} UTC"
    return f"hourly at :{args.get('minute', 0):02d}"


def job_overview() -> list[JobRow]:
    """Every scheduled job with its latest run (scheduled or run now) and next run time."""
    from somet.models import JobRun

    jobs = scheduled_jobs()
    keys = {job_id: job_id for job_id in jobs}
    keys.update({job_key(RUN_NOW_JOB, job_id): job_id for job_id in jobs})
    latest_ids = select(func.max(JobRun.id)).where(JobRun.job_id.in_(keys)).group_by(JobRun.job_id)
    latest: dict[str, JobRun] = {}
    for run in db.session.scalars(select(JobRun).where(JobRun.id.in_(latest_ids))):
        job_id = keys[run.job_id]
        if job_id not in latest or run.id > latest[job_id].id:
            latest[job_id] = run
    next_runs = _next_run_times()
    return [
        JobRow(job, describe_schedule(job), latest.get(job.id), next_runs.get(job.id))
        for job in jobs.values()
    ]


def recent_runs(limit: int = RECENT_RUNS) -> list:
    from somet.models import JobRun

    return list(db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))


def _next_run_times() -> dict[str, datetime]:
    # The table appears when a runner first starts.
    if not inspect(db.session.connection()).has_table(_APSCHEDULER_JOBS.name):
        return {}
    rows = db.session.execute(
        select(_APSCHEDULER_JOBS.c.id, _APSCHEDULER_JOBS.c.next_run_time)
    ).all()
    return {
        row.id: datetime.fromtimestamp(row.next_run_time, UTC)
        for row in rows
        if row.next_run_time is not None
    }
