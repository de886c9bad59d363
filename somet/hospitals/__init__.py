"""Host hospitals and their departments."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The hospital pages and their navigation entries."""
    from flask_babel import lazy_gettext as _l

    from somet.hospitals import views
    from somet.models import Role
    from somet.web.access import STAFF
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Hospitals"), "hospitals.list_hospitals", *STAFF, order=30)
    add_nav_item(app, _l("My hospital"), "hospitals.show_my_hospital", Role.COORDINATOR, order=30)
