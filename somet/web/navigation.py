"""The navigation bar, per role. Each feature adds its entries from its ``register(app)``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user

from somet.models import Role
from somet.web.wiring import wiring_of


@dataclass(frozen=True)
class NavItem:
    label: str  # usually a lazy_gettext string: translated when the page renders
    endpoint: str
    roles: tuple[Role, ...]
    order: int = 50


def add_nav_item(app: Flask, label, endpoint: str, *roles: Role, order: int = 50) -> None:
    """Show a link to ``endpoint`` to users of ``app`` with one of ``roles``."""
    wiring_of(app).nav_items[endpoint] = NavItem(label, endpoint, tuple(roles), order)


def nav_items_for(role: Role) -> list[NavItem]:
    """The links that a user with ``role`` sees in the current app, in order."""
    items = [item for item in wiring_of().nav_items.values() if role in item.roles]
    return sorted(items, key=lambda item: (item.order, str(item.label)))


def nav_label(item: NavItem) -> str:
    """The item's label in the page's language (a plain string is looked up as a msgid too)."""
    return gettext(item.label) if isinstance(item.label, str) else str(item.label)


# Fixed URLs every page links to (endpoint, arguments); built once per mount point.
PAGE_LINKS = {
    "home": ("home.index", {}),
    "notifications": ("notifications.list_notifications", {}),
    "change_password": ("auth.change_password", {}),
    "set_language": ("languages.set_language", {}),
    "logout": ("auth.logout", {}),
    "bootstrap_css": ("static", {"filename": "vendor/bootstrap/bootstrap.min.css"}),
    "somet_css": ("static", {"filename": "css/somet.css"}),
    "favicon": ("static", {"filename": "img/favicon.svg"}),
    "bootstrap_js": ("static", {"filename": "vendor/bootstrap/bootstrap.bundle.min.js"}),
    "somet_js": ("static", {"filename": "js/somet.js"}),
}


def register_navigation(app: Flask) -> None:
    # The bar is the same for every user of a role, language and mount point: built once
    # per worker instead of on every page (labels and URLs only change with a deployment).
    built: dict[tuple[Role, str, str], list[tuple[str, str]]] = {}
    links: dict[str, dict[str, str]] = {}

    @app.context_processor
    def navigation():
        root = request.script_root
        if root not in links:
            links[root] = {
                name: url_for(endpoint, **arguments)
                for name, (endpoint, arguments) in PAGE_LINKS.items()
                if endpoint == "static" or endpoint in app.view_functions
            }
        if not current_user.is_authenticated:
            return {"nav_items": [], "site_links": links[root]}
        key = (current_user.role, str(get_locale()), root)
        items = built.get(key)
        if items is None:
            items = built[key] = [
                (nav_label(item), url_for(item.endpoint))
                for item in nav_items_for(current_user.role)
                if item.endpoint in app.view_functions
            ]
        return {"nav_items": items, "site_links": links[root]}

