"""The host's side: a coordinator's requests and the supervisor's one-tap link."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The requests pages, their navigation entry and the reminder of unanswered requests."""
    from flask_babel import lazy_gettext as _l

    from somet.models import Role
    from somet.notifications.reminders import register_reminder_source
    from somet.requests import tasks, views
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Requests"), "requests.list_requests", Role.COORDINATOR, order=20)
    register_reminder_source(app, "requests_pending", tasks.remind_pending_requests)
