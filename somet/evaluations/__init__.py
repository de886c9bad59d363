"""Evaluations both ways after each completed placement: forms, one-tap links, reminders,
results with the hosts' anonymity rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The evaluation pages, their navigation entries and the reminder of unanswered ones.

    Sending is a step of the cohorts' nightly lifecycle (``operations.send_due_evaluations``).
    """
    from flask_babel import lazy_gettext as _l

    from somet.evaluations import form_views, results_views, tasks, views
    from somet.models import Role
    from somet.notifications.reminders import register_reminder_source
    from somet.web.access import STAFF
    from somet.web.navigation import add_nav_item

    # One "evaluations" blueprint whose routes live in three modules.
    for blueprint in dict.fromkeys(m.blueprint for m in (views, results_views, form_views)):
        app.register_blueprint(blueprint)
    add_nav_item(app, _l("Evaluations"), "evaluations.list_results", *STAFF, order=50)
    add_nav_item(
        app, _l("Evaluations"), "evaluations.list_hospital_evaluations", Role.COORDINATOR, order=50
    )
    add_nav_item(app, _l("Evaluations"), "evaluations.list_my_evaluations", Role.DOCTOR, order=50)
    register_reminder_source(app, "evaluations_unanswered", tasks.remind_unanswered)
