"""Attendance: the host coordinator's doctor × day grid for its placements."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The attendance grid and its navigation entry."""
    from flask_babel import lazy_gettext as _l

    from somet.attendance import views
    from somet.models import Role
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Attendance"), "attendance.list_weeks", Role.COORDINATOR, order=45)
