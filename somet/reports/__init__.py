"""The funder's report: a sponsor's doctors, hosts, hours, completion, evaluations, follow-up
and chosen quotes, as a page, a PDF and a workbook; and the director's dashboard across years."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The report's pages and its navigation entry (directors and administrators), and the
    dashboard's tallies kept by every transaction of the app's session."""
    from flask_babel import lazy_gettext as _l

    from somet.reports import tallies, views
    from somet.web.access import STAFF
    from somet.web.extensions import db
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    tallies.keep_on_flush(db.session)
    add_nav_item(app, _l("Reports"), "reports.show_dashboard", *STAFF, order=75)
