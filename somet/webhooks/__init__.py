"""Webhooks: other systems are told, by a signed POST, when something they care about
happens in SOMET (a certificate issued or revoked, a placement confirmed or declined, a
doctor's cohort completed).

    rules.py       pure: the events, signing and checking, back-off, refused targets
    events.py      audit event -> deliveries, in the transaction of the change
    delivery.py    the half-minute job that sends due deliveries to checked addresses
    operations.py  subscribe, change, rotate the secret, ping, send again, delete
    queries.py     the subscriptions with their counts; a subscription's deliveries
    views.py       the administrator's pages
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The admin pages, the delivery job, and the listener that turns audit events into
    deliveries."""
    from flask_babel import lazy_gettext as _l

    from somet.jobs.registry import ScheduledJob, register_scheduled_job
    from somet.models import Role
    from somet.web.navigation import add_nav_item
    from somet.web.wiring import wiring_of
    from somet.webhooks import delivery, events, views

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Webhooks"), "webhooks.list_subscriptions", Role.ADMIN, order=94)
    wiring_of(app).audit_listeners.append(events.on_audit_event)
    register_scheduled_job(
        app,
        ScheduledJob(
            "deliver-webhooks",
            "Webhook delivery",
            delivery.deliver_due,
            "interval",
            {"seconds": 30},
            misfire_grace_time=30,
            recorded=False,
        ),
    )
