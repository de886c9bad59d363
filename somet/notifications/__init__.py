"""Notifications: the outbox shown in the app, delivery by mail, the hourly reminders run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The inbox and outbox pages, mail delivery, and the hourly run of every feature's
    reminder sources."""
    from flask_babel import lazy_gettext as _l

    from somet.jobs.registry import HOURLY_GRACE, ScheduledJob, register_scheduled_job
    from somet.models import Role
    from somet.notifications import reminders, tasks, views
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Outbox"), "notifications.list_outbox", Role.ADMIN, order=93)
    register_scheduled_job(
        app,
        ScheduledJob(
            "deliver-notifications",
            "E-mail delivery",
            tasks.deliver_notifications,
            "interval",
            {"seconds": 30},
            misfire_grace_time=30,
            recorded=False,
        ),
    )
    register_scheduled_job(
        app,
        ScheduledJob(
            "send-reminders",
            "Reminders to hosts, doctors and directors",
            reminders.send_reminders,
            "cron",
            {"minute": 5},
            misfire_grace_time=HOURLY_GRACE,
        ),
    )
