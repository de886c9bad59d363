"""The jobs of one app: scheduled jobs (id, trigger) and one-off job functions, by name.

Features declare theirs from ``register(app)``; the runner, ``flask jobs`` and the admin page
read them from the current app. A scheduled job is a plain function ``function(now) -> dict of
counts`` (tested without the scheduler) plus how often it runs, in UTC.

Settings chosen on purpose (README "Background jobs" says the same):
- ``coalesce=True`` for all: after downtime a job runs once, not once per missed time; each
  function catches up by itself (it looks at today's state, not at "since the last run").
- ``max_instances=1`` for all: a slow run never overlaps the next one of the same job.
- ``misfire_grace_time``: nightly jobs 23 h (late is better than a skipped day; never so late
  that it collides with the next night), hourly reminders 55 min, pollers one interval (a
  late poll is superseded by the next one anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask

from somet.web.wiring import wiring_of

ScheduledFunction = Callable[[datetime], dict]
JobFunction = Callable[..., dict]
NIGHTLY_GRACE = 23 * 3600
HOURLY_GRACE = 55 * 60


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


def register_scheduled_job(app: Flask, job: ScheduledJob) -> None:
    """Add ``job`` to the schedule of ``app``'s job runner."""
    wiring_of(app).scheduled_jobs[job.id] = job


def register_one_off_job(app: Flask, name: str, function: JobFunction) -> None:
    """Let ``submit_job(name, ...)`` queue ``function(run, **params)`` on ``app``."""
    wiring_of(app).one_off_jobs[name] = function


def scheduled_jobs(app: Flask | None = None) -> dict[str, ScheduledJob]:
    """The scheduled jobs of ``app`` (default: the current app), by id, in register order."""
    return wiring_of(app).scheduled_jobs


def one_off_jobs(app: Flask | None = None) -> dict[str, JobFunction]:
    """The one-off job functions of ``app`` (default: the current app), by name."""
    return wiring_of(app).one_off_jobs
