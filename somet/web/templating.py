"""Template filters shared by every page, in the page's language.

The formatting itself is pure (``somet.core.localisation``); these wrappers only add the language
of the current request (Flask-Babel's locale).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, datetime, timedelta

from flask import Flask, get_template_attribute, url_for
from jinja2 import pass_context

from somet.core import localisation
from somet.core.specialties import specialty_name
from somet.web.access import may
from somet.web.fields import write_field
from somet.web.i18n import (
    PAGE_CATALOGUE,
    catalogue,
    language_choices,
    language_switch_choices,
    name_of,
    name_parts,
    page_language,
)
from somet.web.labels import enum_label
from somet.web.navigation import register_navigation
from somet.web.problem_texts import describe


def language_of(context) -> str:
    """The page's language as the ``languages`` context processor put it into the template's
    context (a filter may run hundreds of times a page; asking Flask-Babel each time is slow)."""
    return context.get("page_language") or page_language()


@pass_context
def format_date(context, value: date | str | None) -> str:
    """12 Mar 2027 / 12 марта 2027 / 2027 ж. 12 наурыз (ISO text, as JSON details keep it, too)."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return localisation.format_day(value, language_of(context))


@pass_context
def format_datetime_in(context, value: datetime | None, timezone: str | None = None) -> str:
    """A moment in ``timezone`` with the zone named: ``12 марта 2027, 09:00 (Иерусалим)``."""
    return localisation.format_moment(value, timezone, language_of(context))


@pass_context
def time_zone(context, timezone: str | None) -> str:
    """A time zone by its city in the page's language: Jerusalem, Иерусалим, Иерусалим."""
    return localisation.zone_label(timezone, language_of(context)) if timezone else ""


@pass_context
def format_duration(context, value: timedelta | float | None) -> str:
    """A duration in words: ``2 weeks``, ``2 недели``, ``2 апта``."""
    return localisation.format_duration(value, language_of(context))


@pass_context
def format_number(context, value: float | int | None) -> str:
    """A number with the page language's separators."""
    return localisation.format_number(value, language_of(context))


@pass_context
def format_date_range(context, start: date | None, end: date | None) -> str:
    """``{{ start|date_range(end) }}``: the year written once (``2027 ж. 12–23 қаңтар``)."""
    return localisation.format_day_range(start, end, language_of(context))


@pass_context
def person_name(context, person) -> str:
    """A doctor's (or anyone's) name, one rule per language (``localisation.person_name``)."""
    return name_of(person, language_of(context))


@pass_context
def latin_name(context, person) -> str:
    """The Latin (passport) name alone, in the page language's order, for a Latin column."""
    first, last, _native = name_parts(person) if person is not None else (None, None, None)
    return localisation.latin_name_in(first, last, language_of(context))


@pass_context
def person_other_name(context, person) -> str:
    """The same person's name in the other script, for the small line under it ("" if none)."""
    if person is None:
        return ""
    return localisation.other_name(*name_parts(person), language_of(context))


@pass_context
def sort_by_name(context, items, attribute: str | None = None) -> list:
    """``items`` (or their ``attribute``) sorted in the alphabet of the page's language."""
    key = (lambda item: getattr(item, attribute, None)) if attribute else str
    return localisation.sorted_by_name(items, language_of(context), key=key)


@pass_context
def localised_specialty(context, code: str | None, language: str | None = None) -> str:
    """The specialty's name; Russian names on ru/kk pages unless a language is given."""
    return specialty_name(code, language or language_of(context))


@pass_context
def weekday(context, value: date) -> str:
    """The weekday in two letters in the page's language, for calendar column heads."""
    return localisation.weekday_short(value, language_of(context))


@pass_context
def status_label(context, value) -> str:
    """The translated name of an enum value (a status, a role) in the page's language."""
    return enum_label(value, context.get(PAGE_CATALOGUE))


def worded_once(
    template: str, macro: str, key: Callable[[object], Hashable | None]
) -> Callable[[object], str]:
    """A page's wording function: ``macro`` of ``template`` (codes worded in the reader's
    language), run once per distinct ``key`` of its argument on this page and reused for the
    rest (``key`` None: worded every time). For lists whose rows mostly share a few codes
    ("Rotation 1: no completed placement.", "No flight"); it lives for one page only."""
    word = get_template_attribute(template, macro)
    texts: dict = {}

    def worded(item) -> str:
        found = key(item)
        if found is None:
            return word(item)
        if found not in texts:
            texts[found] = word(item)
        return texts[found]

    return worded


class RowUrl:
    """``url_for(endpoint, <key>=id, **values)`` for each row of a list, the route built once
    per page: url_for costs ~8 µs a call, and a list's rows differ only in the id. An id
    goes into the path as Werkzeug's int converter writes it (``str``)."""

    _MARK = 2_147_483_647  # an id no row has (the largest integer key), marks the id's place

    def __init__(self, endpoint: str, key: str, **values):
        url = url_for(endpoint, **{key: self._MARK}, **values)
        self._before, found, self._after = url.partition(str(self._MARK))
        if not found:
            raise ValueError(f"{endpoint}: {key} is not in its URL")

    def __call__(self, row_id: int) -> str:
        return f"{self._before}{int(row_id)}{self._after}"


def register_template_filters(app: Flask) -> None:
    app.add_template_filter(localisation.plural_count, "plural_count")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime_in, "datetime_in")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_date_range, "date_range")
    app.add_template_filter(person_name, "person_name")
    app.add_template_filter(person_other_name, "other_name")
    app.add_template_filter(latin_name, "latin_name")
    app.add_template_filter(sort_by_name, "sort_by_name")
    app.add_template_filter(status_label, "label")
    app.add_template_filter(weekday, "weekday")
    app.add_template_filter(localised_specialty, "specialty")
    # Links and buttons ask the view's own role check: {% if may('documents.download_letters') %}
    app.add_template_global(may, "may")
    # A list's row links, the route built once per page: {% set show = row_url('x.show', 'id') %}
    app.add_template_global(RowUrl, "row_url")
    # Form macros write a field as WTForms would, its plain inputs without WTForms' formatter.
    app.add_template_global(write_field, "write_field")
    app.add_template_filter(time_zone, "time_zone")
    app.add_template_filter(describe, "problem_text")

    @app.context_processor
    def languages():
        return {
            PAGE_CATALOGUE: catalogue(),
            "page_language": page_language(),
            "language_choices": language_choices(),
            "language_switch_choices": language_switch_choices(),
        }

    register_navigation(app)
