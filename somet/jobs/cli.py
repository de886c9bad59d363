"""``flask jobs``: the job runner (one dedicated process) and operator commands."""

from __future__ import annotations

import logging
import signal
from datetime import datetime, timedelta
from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup

from somet.core.rehearsal import RehearsalRefused, rehearsal_moment
from somet.models import utcnow
from somet.web.extensions import db
from somet.web.problem_texts import describe

jobs_cli = AppGroup("jobs", help="Background jobs: the runner and its schedule.")


@jobs_cli.command("run")
@click.option("--lease-seconds", default=30.0, show_default=True, help="How long a lease lasts.")
@click.option("--heartbeat-seconds", default=10.0, show_default=True, help="Renewal period.")
@click.option("--poll-seconds", type=float, help="Check for one-off jobs this often (default 5).")
@click.option(
    "--if-enabled",
    is_flag=True,
    help="Exit at once unless SOMET_RUN_JOBS_IN_PROCESS is on (how `make run` starts it).",
)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Act as if today were that day.")
def run_command(lease_seconds, heartbeat_seconds, poll_seconds, if_enabled, as_of) -> None:
    """Run the background jobs; a second runner waits and takes over if this one dies."""
    from somet.jobs.runner import JobRunner

    app = current_app._get_current_object()
    moment = _rehearsal_moment(as_of)
    # The jobs see the clock moved by whole days: the given day at the real time of day.
    shift = timedelta(days=(moment.date() - utcnow().date()).days) if moment else None
    if if_enabled and not app.config["SOMET_RUN_JOBS_IN_PROCESS"]:
        click.echo("SOMET_RUN_JOBS_IN_PROCESS is off: no job runner started here.")
        return
    if heartbeat_seconds >= lease_seconds:
        raise click.BadParameter("must be shorter than --lease-seconds", param_hint="heartbeat")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line per poll
    runner = JobRunner(
        app,
        lease_seconds=lease_seconds,
        heartbeat_seconds=heartbeat_seconds,
        poll_seconds=poll_seconds,
        clock_shift=shift or timedelta(0),
    )
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: runner.stop())
    click.echo(f"Job runner {runner.holder} started; it acts while it holds the lease.")
    runner.run_forever()
    click.echo(f"Job runner {runner.holder} stopped.")


@jobs_cli.command("list")
def list_command() -> None:
    """Show each scheduled job with its last recorded run."""
    from somet.jobs.queries import job_overview

    for row in job_overview():
        last = row.last_run
        outcome = f"{last.outcome.value} at {last.started_at:%Y-%m-%d %H:%M}" if last else "never"
        click.echo(f"{row.job.id:<28} {row.schedule:<22} last: {outcome}")


@jobs_cli.command("run-now")
@click.argument("job_id")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Run as of that day (rehearsal).")
def run_now_command(job_id: str, as_of: str | None) -> None:
    """Run one scheduled job in this process at once (recorded like a scheduled run)."""
    from somet.jobs.operations import execute_scheduled
    from somet.jobs.registry import scheduled_jobs

    now = _rehearsal_moment(as_of)
    if job_id not in scheduled_jobs():
        raise click.ClickException(f"No job {job_id}; see `flask jobs list`.")
    run = execute_scheduled(job_id, utcnow(), runner="command line", now=now)
    if run is None:
        click.echo(f"{job_id} ran (not recorded).")
        return
    db.session.refresh(run)
    counts = {k: v for k, v in (run.counts or {}).items() if k != "notes"}
    day = f" as of {now:%Y-%m-%d}" if now else ""
    click.echo(f"{job_id}{day}: {run.outcome.value} {counts or ''} {run.error or ''}".strip())
    for note in (run.counts or {}).get("notes", []):
        click.echo(f"  {describe(note)}")
    if run.error:
        raise SystemExit(1)


def _rehearsal_moment(as_of: str | None) -> datetime | None:
    """The moment of ``--as-of`` (None: the real clock); one line and exit code 2 if refused."""
    if as_of is None:
        return None
    try:
        return rehearsal_moment(as_of, current_app.config["SOMET_ENV"])
    except RehearsalRefused as refused:
        _refuse(str(refused))


def _refuse(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)
