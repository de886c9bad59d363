"""The audit log: who did what, when (written by every feature, read by admins)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The audit log page and its navigation entry."""
    from flask_babel import lazy_gettext as _l

    from somet.audit import views
    from somet.models import Role
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Audit log"), "audit.list_events", Role.ADMIN, order=95)
