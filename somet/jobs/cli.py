"""``flask jobs``: the job runner (one dedicated process) and operator commands."""

from __future__ import annotations

import logging
import signal

import click
from flask import current_app
from flask.cli import AppGroup

from somet.models import utcnow
from somet.web.extensions import db

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
def run_command(lease_seconds, heartbeat_seconds, poll_seconds, if_enabled) -> None:
    """Run the background jobs; a second runner waits and takes over if this one dies."""
    from somet.jobs.runner import JobRunner

    app = current_app._get_current_object()
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
def run_now_command(job_id: str) -> None:
    """Run one scheduled job in this process at once (recorded like a scheduled run)."""
    from somet.jobs.operations import execute_scheduled
    from somet.jobs.registry import scheduled_jobs

    if job_id not in scheduled_jobs():
        raise click.ClickException(f"No job {job_id}; see `flask jobs list`.")
    run = execute_scheduled(job_id, utcnow(), runner="command line")
    if run is None:
        click.echo(f"{job_id} ran (not recorded).")
        return
    db.session.refresh(run)
    click.echo(f"{job_id}: {run.outcome.value} {run.counts or ''} {run.error or ''}".strip())
    if run.error:
        raise SystemExit(1)
