"""The director's planning pages: plan a cohort, its timeline and capacity, edits, sending."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The planning pages, the background plan job and ``flask schedule``."""
    from somet.jobs.registry import register_one_off_job
    from somet.planning import cli, operations, views

    app.register_blueprint(views.blueprint)
    # Pages offer "Plan" and "Send requests" only where the operations would accept them.
    app.add_template_global(operations.may_plan, "may_plan_cohort")
    register_one_off_job(app, operations.PLAN_JOB, operations.run_plan_job)
    app.cli.add_command(cli.schedule_cli)
