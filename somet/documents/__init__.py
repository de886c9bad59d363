"""Travel and host documents: requirements, uploads, review, readiness, invitation letters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The documents pages and links, who sees a document, and the nightly expiry reminders."""
    from flask_babel import lazy_gettext as _l

    from somet.documents import doctor_views, operations, review_views, tasks, views
    from somet.jobs.registry import NIGHTLY_GRACE, ScheduledJob, register_scheduled_job
    from somet.models import Role, TravelDocument
    from somet.web.access import STAFF, register_scope
    from somet.web.navigation import add_nav_item

    # One "documents" blueprint whose routes live in three modules.
    modules = (views, review_views, doctor_views)
    for blueprint in dict.fromkeys(module.blueprint for module in modules):
        app.register_blueprint(blueprint)
    add_nav_item(app, _l("Documents"), "documents.list_overview", *STAFF, order=45)
    add_nav_item(app, _l("My documents"), "documents.list_my_documents", Role.DOCTOR, order=45)
    add_nav_item(
        app,
        _l("Visitors' documents"),
        "documents.list_hospital_documents",
        Role.COORDINATOR,
        order=45,
    )
    register_scope(app, TravelDocument, operations.travel_document_scope)
    register_scheduled_job(
        app,
        ScheduledJob(
            "document-expiry-reminders",
            "Reminders before travel documents expire",
            tasks.document_expiry_reminders,
            "cron",
            {"hour": 2, "minute": 0},
            misfire_grace_time=NIGHTLY_GRACE,
        ),
    )
