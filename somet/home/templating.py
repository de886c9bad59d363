"""Template filters shared by every page, in the page's language.

The formatting itself is pure (``somet.localisation``); these wrappers only add the language
of the current request (Flask-Babel's locale).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask
from flask_babel import get_locale

from somet import localisation
from somet.home.navigation import register_navigation
from somet.i18n import language_choices
from somet.labels import enum_label
from somet.specialties import specialty_name


def page_language() -> str:
    """``en``, ``ru`` or ``kk``: the language this page is rendered in."""
    locale = get_locale()
    return localisation.language_or_default(locale.language if locale else None)


def format_date(value: date | None) -> str:
    """12 Mar 2027 / 12 марта 2027 / 2027 ж. 12 наурыз."""
    return localisation.format_day(value, page_language())


def format_datetime_in(value: datetime | None, timezone: str | None = None) -> str:
    """A moment in ``timezone`` with the zone named: ``12 марта 2027, 09:00 (Иерусалим)``."""
    return localisation.format_moment(value, timezone, page_language())


def format_duration(value: timedelta | float | None) -> str:
    """A duration in words: ``2 weeks``, ``2 недели``, ``2 апта``."""
    return localisation.format_duration(value, page_language())


def format_number(value: float | int | None) -> str:
    """A number with the page language's separators."""
    return localisation.format_number(value, page_language())


def person_name(person) -> str:
    """A doctor's (or anyone's) name in the page's script: Cyrillic on ru/kk pages when known."""
    if person is None:
        return ""
    latin = getattr(person, "latin_name", None) or getattr(person, "full_name", "")
    return localisation.display_name(latin, getattr(person, "native_name", None), page_language())


def sort_by_name(items, attribute: str | None = None) -> list:
    """``items`` (or their ``attribute``) sorted in the alphabet of the page's language."""
    key = (lambda item: getattr(item, attribute, None)) if attribute else str
    return localisation.sorted_by_name(items, page_language(), key=key)


def localised_specialty(code: str | None, language: str | None = None) -> str:
    """The specialty's name; Russian names on ru/kk pages unless a language is given."""
    return specialty_name(code, language or page_language())


def register_template_filters(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime_in, "datetime_in")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(person_name, "person_name")
    app.add_template_filter(sort_by_name, "sort_by_name")
    app.add_template_filter(enum_label, "label")
    app.add_template_filter(localised_specialty, "specialty")

    @app.context_processor
    def languages():
        return {"page_language": page_language(), "language_choices": language_choices()}

    register_navigation(app)
