"""The navigation bar, per role. Each feature adds its entries from its ``register(app)``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Flask, current_app, g, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

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


# The counts of a role's work queues, by the endpoint whose menu entry shows them as a badge.
NavCounter = Callable[[object], dict[str, int]]


def add_nav_counter(app: Flask, counter: NavCounter, *roles: Role) -> None:
    """Badge the menu of users with ``roles``: ``counter(user)`` gives {endpoint: count}.

    It runs once per page that draws the menu, so it should be one or a few statements.
    """
    for role in roles:
        wiring_of(app).nav_counters[role] = counter


def use_nav_counts(counts: dict[str, int]) -> None:
    """A page that has already counted the queues (the home page) hands them to the menu."""
    g.somet_nav_counts = counts


def _nav_counts() -> dict[str, int]:
    counts = g.get("somet_nav_counts")
    if counts is None:
        counter = wiring_of().nav_counters.get(current_user.role)
        try:
            counts = counter(current_user) if counter else {}
        except SQLAlchemyError:  # an error page after a failed transaction: no badges
            current_app.logger.warning("menu badges skipped", exc_info=True)
            counts = {}
        g.somet_nav_counts = counts
    return counts


class NavLinks:
    """The menu's (label, url, badge count) entries; the counts are read when first drawn."""

    def __init__(self, links: list[tuple[str, str, str]]):
        self.links = links  # (label, url, endpoint)

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        counts = _nav_counts() if self.links else {}
        for label, href, endpoint in self.links:
            yield label, href, counts.get(endpoint, 0)

    def __len__(self) -> int:
        return len(self.links)


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
    built: dict[tuple[Role, str, str], list[tuple[str, str, str]]] = {}
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
            return {"nav_items": NavLinks([]), "site_links": links[root]}
        key = (current_user.role, str(get_locale()), root)
        items = built.get(key)
        if items is None:
            items = built[key] = [
                (nav_label(item), url_for(item.endpoint), item.endpoint)
                for item in nav_items_for(current_user.role)
                if item.endpoint in app.view_functions
            ]
        return {"nav_items": NavLinks(items), "site_links": links[root]}

