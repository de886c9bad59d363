"""Follow-up surveys of alumni 3, 6 and 12 months after a cohort (the cohort's months)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The follow-up pages, their menu entry, the daily sending job and the reminders."""
    from flask_babel import lazy_gettext as _l

    from somet.followup import tasks, views
    from somet.jobs.registry import NIGHTLY_GRACE, ScheduledJob, register_scheduled_job
    from somet.notifications.reminders import register_reminder_source
    from somet.web.access import STAFF
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Follow-up"), "followup.list_surveys", *STAFF, order=50)
    register_scheduled_job(
        app,
        ScheduledJob(
            "follow-up-surveys",
            "Follow-up surveys of alumni, when due",
            tasks.follow_up_surveys,
            "cron",
            {"hour": 2, "minute": 30},
            misfire_grace_time=NIGHTLY_GRACE,
        ),
    )
    register_reminder_source(app, "follow_up_unanswered", tasks.remind_unanswered_surveys)
