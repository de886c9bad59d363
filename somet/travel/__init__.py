"""Travel and stay: a cohort's itinerary (flights, transfers, hotels and rooms) kept by the
director or imported from a workbook, each doctor's travel page and calendar entries, and
whether each doctor is ready to travel (documents, flights, a bed, the visa, the passport)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The itinerary pages, the doctor's travel page and its navigation entry, and the travel
    readiness page (directors and administrators)."""
    from flask_babel import lazy_gettext as _l

    from somet.models import Role
    from somet.travel import doctor_views, readiness_views, views
    from somet.web.navigation import add_nav_item

    # One "travel" blueprint whose routes live in two modules.
    for blueprint in dict.fromkeys(m.blueprint for m in (views, doctor_views)):
        app.register_blueprint(blueprint)
    app.register_blueprint(readiness_views.blueprint)
    add_nav_item(app, _l("Travel"), "travel.show_my_travel", Role.DOCTOR, order=35)
