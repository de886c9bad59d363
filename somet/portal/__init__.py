"""The visiting doctor's portal: programme, calendar feed, profile; a host's visitors."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The portal pages, their navigation entries and the reminder before a rotation."""
    from flask_babel import lazy_gettext as _l

    from somet.models import Role
    from somet.notifications.reminders import register_reminder_source
    from somet.portal import tasks, views
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Calendar"), "portal.show_calendar", Role.DOCTOR, order=30)
    add_nav_item(app, _l("My profile"), "portal.edit_profile", Role.DOCTOR, order=80)
    add_nav_item(app, _l("Visiting doctors"), "portal.list_visitors", Role.COORDINATOR, order=20)
    register_reminder_source(app, "rotation_start", tasks.remind_rotation_start)
