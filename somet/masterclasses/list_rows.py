"""The masterclass list's texts, worked out once per distinct value rather than once per row.

The list is one of the busiest pages (every doctor, every day) and repeats the same few texts
("5 places left", "6 credit hours", a status): translating and formatting them per row in
Jinja was a third of the page's time. The template keeps the markup; these are its words.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_translations

from somet.labels import enum_label
from somet.portal.dates import moment
from somet.services.masterclass_listing import MasterclassRow


@dataclass(frozen=True)
class ListedMasterclass:
    row: MasterclassRow
    when: str  # the start, in the class's own time zone
    places: str  # "5 places left", or "" when full
    waitlist: str  # "3 on the waitlist", or ""
    status: str  # the doctor's registration status, or ""
    hours: str  # "6 credit hours"


def listed(rows: list[MasterclassRow], language: str) -> list[ListedMasterclass]:
    catalogue = get_translations()  # the page's language, looked up once
    _ = catalogue.ugettext  # the msgids below are extracted like any _() call
    texts: dict[tuple[str, object], str] = {}

    def text(message: str, key: str, value) -> str:
        if (message, value) not in texts:
            texts[message, value] = message % {key: value}
        return texts[message, value]

    places_left, on_waitlist = _("%(n)s places left"), _("%(n)s on the waitlist")
    credit_hours = _("%(h)s credit hours")
    return [
        ListedMasterclass(
            row=row,
            when=moment(row.masterclass.starts_at, row.masterclass.timezone, language),
            places=text(places_left, "n", row.places_left) if row.places_left else "",
            waitlist=text(on_waitlist, "n", row.waitlisted) if row.waitlisted else "",
            status=enum_label(row.my_status, language) if row.my_status else "",
            hours=text(credit_hours, "h", f"{row.masterclass.credit_hours:g}"),
        )
        for row in rows
    ]
