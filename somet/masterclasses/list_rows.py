"""The masterclass list's rows: each class drawn once per content and language, the counts
and the doctor's own status added per view.

The list is one of the busiest pages (every doctor, every day). What a row shows of the class
itself (title, time in the class's zone, lead, venue, audience, credit hours) is the same for
every doctor, so it is drawn from ``templates/masterclasses/_list_row.html`` once and kept,
keyed by the row's own values: an edited class has a new key, so nothing needs invalidating.
What changes with every registration (places left, the waitlist, the doctor's status) is
worked out per view, once per distinct value rather than once per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from flask import current_app, get_template_attribute
from flask_babel import get_translations
from markupsafe import Markup

from somet.core.localisation import format_number, plural_count
from somet.masterclasses.queries import MasterclassRow, MasterclassView
from somet.portal.dates import moment
from somet.web.labels import enum_label

ROW_TEMPLATE = "masterclasses/_list_row.html"


@dataclass(frozen=True)
class ListedMasterclass:
    row: MasterclassRow
    head: Markup  # the link, title, time and lead, up to the badges
    tail: Markup  # audience, hospital and credit hours, and the row's closing tags
    places: str  # "5 places left", or "" when full
    waitlist: str  # "3 on the waitlist", or ""
    status: str  # the doctor's registration status, or ""


def listed(rows: list[MasterclassRow], language: str, show_url: str) -> list[ListedMasterclass]:
    """``show_url`` is the detail page's URL without the id (each row appends its own)."""
    catalogue = get_translations()  # the page's language, looked up once
    _, ngettext = catalogue.ugettext, catalogue.ungettext  # extracted like any _() call

    @cache  # the few distinct counts of a list, each worded once
    def places_left(n: int) -> str:
        return ngettext("%(num)s place left", "%(num)s places left", n) % {"num": n} if n else ""

    @cache
    def on_waitlist(n: int) -> str:
        return _("%(num)s on the waitlist") % {"num": n} if n else ""

    # Templates edited while the app runs (development) are drawn afresh, not from the cache.
    draw = _drawn if not current_app.jinja_env.auto_reload else _drawn.__wrapped__
    return [
        ListedMasterclass(
            row,
            *draw(row.masterclass, language, show_url),
            places=places_left(row.places_left),
            waitlist=on_waitlist(row.waitlisted),
            status=enum_label(row.my_status, language) if row.my_status else "",
        )
        for row in rows
    ]


@lru_cache(maxsize=2048)  # MAX_ROWS classes a list, in each language, with room for edits
def _drawn(masterclass: MasterclassView, language: str, show_url: str) -> tuple[Markup, Markup]:
    # ``language`` is the request's own page language, which the macros' _() use.
    ngettext = get_translations().ungettext
    hours = ngettext(
        "%(hours)s credit hour", "%(hours)s credit hours", plural_count(masterclass.credit_hours)
    ) % {"hours": format_number(masterclass.credit_hours, language)}
    when = moment(masterclass.starts_at, masterclass.timezone, language)
    head = get_template_attribute(ROW_TEMPLATE, "head")(masterclass, when, show_url)
    tail = get_template_attribute(ROW_TEMPLATE, "tail")(masterclass, hours)
    return Markup(head), Markup(tail)  # noqa: S704  (rendered, escaped templates)
