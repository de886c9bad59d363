"""The program director's cohort workspace: cohorts, rosters, curriculum, readiness."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The workspace pages, their navigation entries and the nightly lifecycle."""
    from flask_babel import lazy_gettext as _l

    from somet.cohorts import tasks
    from somet.cohorts.views import cohorts, curriculum, portal, roster
    from somet.jobs.registry import NIGHTLY_GRACE, ScheduledJob, register_scheduled_job
    from somet.web.access import STAFF
    from somet.web.navigation import add_nav_item

    # One "cohorts" blueprint whose routes live in four modules.
    modules = (cohorts, roster, curriculum, portal)
    for blueprint in dict.fromkeys(module.blueprint for module in modules):
        app.register_blueprint(blueprint)
    add_nav_item(app, _l("Cohorts"), "cohorts.list_cohorts", *STAFF, order=10)
    add_nav_item(app, _l("Doctors"), "cohorts.list_doctors", *STAFF, order=20)
    register_scheduled_job(
        app,
        ScheduledJob(
            "nightly-lifecycle",
            "Cohorts start and finish; finished placements close",
            tasks.nightly_lifecycle,
            "cron",
            {"hour": 1, "minute": 0},
            misfire_grace_time=NIGHTLY_GRACE,
        ),
    )
