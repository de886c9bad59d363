"""Notifications: the outbox shown in the app, delivery by mail, the hourly reminders run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The inbox pages, mail delivery and the hourly run of every feature's reminder sources."""
    from somet.jobs.registry import HOURLY_GRACE, ScheduledJob, register_scheduled_job
    from somet.notifications import reminders, tasks, views

    app.register_blueprint(views.blueprint)
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
