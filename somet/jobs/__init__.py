"""Background jobs: the registry of each app's jobs, the single runner that runs them, pages.

``registry`` holds what features declare (scheduled jobs, one-off job functions);
``operations`` queues one-off work and records every run once (the API of other features);
``runner`` is the APScheduler process guarded by the lease in ``lease``; ``cli`` is
``flask jobs``; ``views`` is the admin page and the progress endpoint for one-off runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The jobs page, its navigation entry, the queue poller, "run now" and ``flask jobs``."""
    from flask_babel import lazy_gettext as _l

    from somet.jobs import cli, operations, tasks, views
    from somet.jobs.registry import ScheduledJob, register_one_off_job, register_scheduled_job
    from somet.models import Role
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Jobs"), "jobs.list_jobs", Role.ADMIN, order=92)
    register_scheduled_job(
        app,
        ScheduledJob(
            "process-queued-jobs",
            "One-off jobs (plans, certificate batches)",
            tasks.process_queued_jobs,
            "interval",
            {"seconds": 5},
            misfire_grace_time=5,
            recorded=False,
        ),
    )
    register_one_off_job(app, operations.RUN_NOW_JOB, operations.run_scheduled_now)
    app.cli.add_command(cli.jobs_cli)
