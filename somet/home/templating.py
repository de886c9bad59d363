"""Template filters shared by every page."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from somet.home.navigation import register_navigation
from somet.specialties import specialty_name


def format_date(value: date | None) -> str:
    """12 Mar 2026."""
    return value.strftime("%-d %b %Y") if value else ""


def format_datetime_in(value: datetime | None, timezone: str | None = None) -> str:
    """A moment in ``timezone`` with the zone named, e.g. ``12 Mar 2026 09:00 (Asia/Jerusalem)``."""
    if value is None:
        return ""
    if timezone:
        value = value.astimezone(ZoneInfo(timezone))
    zone = f" ({timezone})" if timezone else f" {value.tzname() or ''}"
    return value.strftime("%-d %b %Y %H:%M") + zone


def register_template_filters(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime_in, "datetime_in")
    app.add_template_filter(specialty_name, "specialty")
    register_navigation(app)
