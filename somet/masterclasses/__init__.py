"""Masterclasses: scheduling, registration with a waitlist, attendance and check-in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The masterclass pages, their navigation entry and the day-before reminder."""
    from flask_babel import lazy_gettext as _l

    from somet.masterclasses import guest_views, tasks, views
    from somet.notifications.reminders import register_reminder_source
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    app.register_blueprint(guest_views.blueprint)
    add_nav_item(
        app, _l("Masterclasses"), "masterclasses.list_masterclasses", *views.EVERYONE, order=40
    )
    register_reminder_source(app, "masterclass_tomorrow", tasks.remind_masterclass_tomorrow)
