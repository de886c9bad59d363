"""The alumni registry: every doctor who took part in a cohort, searchable and filterable,
each doctor's whole history, and the filtered registry as XLSX (directors, administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The registry's pages and its navigation entry for staff."""
    from flask_babel import lazy_gettext as _l

    from somet.alumni import views
    from somet.web.access import STAFF
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Alumni"), "alumni.list_alumni", *STAFF, order=25)
