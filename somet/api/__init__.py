"""The JSON API (``/api/v1``) for other systems, its OpenAPI document, and the
administrator's integration tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The API blueprint (token auth, so exempt from CSRF), the token pages, their menu entry."""
    from flask_babel import lazy_gettext as _l

    from somet.api import documentation, endpoints, views, writes  # noqa: F401  (their routes)
    from somet.api.blueprint import blueprint
    from somet.models import Role
    from somet.web.extensions import csrf
    from somet.web.navigation import add_nav_item

    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
    app.register_blueprint(views.blueprint)
    add_nav_item(app, _l("Integrations"), "integrations.list_tokens", Role.ADMIN, order=92)
