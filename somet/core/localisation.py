"""PURE: dates, times, durations, numbers and people's names for English, Russian and Kazakh.

No Flask, no SQLAlchemy, no models: plain values in, text out, with the language passed in
explicitly. ``somet.web.templating`` wraps these as template filters that use the page's
language. Babel supplies the CLDR data (month names in the right grammatical case, plural
forms of durations, decimal separators, time-zone city names).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_datetime,
    format_timedelta,
    get_day_names,
    get_timezone_location,
)
from babel.numbers import format_decimal

LANGUAGES = ("en", "ru", "kk")  # the one list: requests, switcher and formatting use it
DEFAULT_LANGUAGE = "en"

# "12 Mar 2027" (as before the translations, so English pages did not change); Russian needs
# the month in the genitive after a day number, which CLDR's format-context "MMMM" gives:
# "12 марта 2027"; Kazakh writes the year first, "2027 ж. 12 наурыз" (CLDR's long format).
DATE_PATTERNS = {"en": "d MMM y", "ru": "d MMMM y", "kk": "y 'ж'. d MMMM"}
# The same without the year, for the first day of a range within one year; a range names its
# year once, where the language puts it: "12 Jan – 3 Feb 2027", "2027 ж. 12 қаңтар – 3 ақпан".
DAY_MONTH_PATTERNS = {"en": "d MMM", "ru": "d MMMM", "kk": "d MMMM"}
YEAR_FIRST = frozenset({"kk"})
RANGE_DASH = "\u2013"  # en dash
TIME_PATTERN = "HH:mm"

RUSSIAN_ALPHABET = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
KAZAKH_ALPHABET = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
LATIN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Russian is a subsequence of Kazakh in the same order, so one Cyrillic order serves both and
# puts a Kazakh name met on a Russian page next to its base letter (Ә after А).
CYRILLIC_ORDER = KAZAKH_ALPHABET

T = TypeVar("T")


def language_or_default(language: str | None) -> str:
    """One of LANGUAGES: ``language`` itself (``ru_RU`` counts as ``ru``), else English."""
    short = (language or "").replace("-", "_").split("_")[0].lower()
    return short if short in LANGUAGES else DEFAULT_LANGUAGE


def format_day(value: date | None, language: str) -> str:
    """A calendar date: ``12 Mar 2027``, ``12 марта 2027``, ``2027 ж. 12 наурыз``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _format_calendar_day(value, language_or_default(language))


@lru_cache(maxsize=8192)
def _format_calendar_day(value: date, language: str) -> str:
    # A timeline shows the same few dozen days hundreds of times; Babel's formatting is slow.
    return format_date(value, DATE_PATTERNS[language], locale=language)


def format_day_range(start: date | None, end: date | None, language: str) -> str:
    """Two days as one range, the year (and a shared month) written once.

    ``12–23 Jan 2027``, ``12 Jan – 3 Feb 2027``, ``28 Dec 2026 – 8 Jan 2027``;
    ``12–23 января 2027``; ``2027 ж. 12–23 қаңтар``, ``2027 ж. 12 қаңтар – 3 ақпан``.
    One day is that day; a missing end (or start) leaves the range open on that side.
    """
    if isinstance(start, datetime):
        start = start.date()
    if isinstance(end, datetime):
        end = end.date()
    if start is None or end is None:
        text = f"{format_day(start, language)} {RANGE_DASH} {format_day(end, language)}"
        return text.strip() if start or end else ""
    language = language_or_default(language)
    if start == end:
        return _format_calendar_day(start, language)
    if start.year != end.year:
        return f"{_format_calendar_day(start, language)} {RANGE_DASH} " + _format_calendar_day(
            end, language
        )
    return _format_range_within_year(start, end, language)


@lru_cache(maxsize=4096)
def _format_range_within_year(start: date, end: date, language: str) -> str:
    if start.month == end.month:  # only the day differs: "12–23 января"
        days = f"{start.day}{RANGE_DASH}" + format_date(
            end, DAY_MONTH_PATTERNS[language], locale=language
        )
    else:
        days = " ".join(
            (
                format_date(start, DAY_MONTH_PATTERNS[language], locale=language),
                RANGE_DASH,
                format_date(end, DAY_MONTH_PATTERNS[language], locale=language),
            )
        )
    if language in YEAR_FIRST:
        return f"{start.year} ж. {days}"
    return f"{days} {start.year}"


def weekday_short(value: date, language: str) -> str:
    """The weekday in two letters, as calendars head their columns: Su, вс, жс."""
    return _short_day_names(language_or_default(language))[value.weekday()]


@lru_cache(maxsize=8)
def _short_day_names(language: str) -> dict[int, str]:
    return dict(get_day_names("short", locale=language))


@lru_cache(maxsize=256)
def zone_label(timezone: str, language: str) -> str:
    """The zone named by its city in the reader's language: Jerusalem, Иерусалим (UTC as is)."""
    language = language_or_default(language)
    if timezone.upper() in ("UTC", "ETC/UTC"):
        return "UTC"
    return get_timezone_location(ZoneInfo(timezone), locale=language, return_city=True)


@lru_cache(maxsize=8192)  # pure; Babel costs ~0.1 ms a call and lists repeat the same moments
def format_moment(value: datetime | None, timezone: str | None, language: str) -> str:
    """A moment shown in ``timezone`` with the zone named: ``12 марта 2027, 09:00 (Иерусалим)``.

    Naive datetimes are taken as UTC (that is how the database returns them on SQLite).
    """
    if value is None:
        return ""
    language = language_or_default(language)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    if timezone:
        value = value.astimezone(ZoneInfo(timezone))
        zone = zone_label(timezone, language)
    else:
        zone = value.tzname() or ""
    day = format_day(value.date(), language)
    time = format_datetime(value, TIME_PATTERN, tzinfo=value.tzinfo, locale=language)
    separator = " " if language == "en" else ", "
    return f"{day}{separator}{time} ({zone})" if zone else f"{day}{separator}{time}"


def format_duration(value: timedelta | float | None, language: str, *, threshold=0.85) -> str:
    """A duration in words, rounded to its largest unit: ``2 weeks``, ``3 часа``, ``5 күн``.

    Numbers are seconds. ``threshold`` is Babel's: how far into the next unit to round up.
    """
    if value is None:
        return ""
    language = language_or_default(language)
    return format_timedelta(value, threshold=threshold, locale=language)


@lru_cache(maxsize=1024)  # pure; lists repeat the same few numbers (credit hours)
def format_number(value: float | int | None, language: str) -> str:
    """A number with the language's separators: ``1,234.5``, ``1 234,5``."""
    if value is None:
        return ""
    return format_decimal(value, locale=language_or_default(language))


def plural_count(value: float | int) -> int:
    """The whole number that picks a plural form for ``value`` (gettext plural rules take
    integers): a fractional amount, such as 1.5 credit hours, takes the form of many."""
    return int(value) if float(value).is_integer() else 2


# One order for a person's Latin (passport) name per language, used by every page:
# - en: given name first, "Zhanar Abdrakhmanova", as English text and the passport's own
#   "given names" line read;
# - ru, kk: family name first, "Abdrakhmanova Zhanar", as Russian and Kazakh official lists
#   (rosters, orders, certificates of registration) write people, so a director's list matches
#   the sponsor's paperwork.
# The native-script name is one free-text field, kept as the roster wrote it (its parts, a
# patronymic, a compound name, cannot be told apart safely), and preferred on ru/kk pages.
FAMILY_NAME_FIRST = frozenset({"ru", "kk"})


class PersonName(NamedTuple):
    """A name read as plain columns (a list query's row), shown by the person_name filter."""

    first_name: str
    last_name: str
    native_name: str | None = None


def name_parts_of(person) -> PersonName:
    """A doctor's name as parts, for a problem's ``doctor`` parameter: the edge words it in the
    reader's order (somet.web.problem_texts), also when read back from JSON as a list."""
    return PersonName(person.first_name or "", person.last_name or "", person.native_name or "")


def latin_name_in(first: str | None, last: str | None, language: str) -> str:
    """The Latin name in the order of ``language``: ``Zhanar Abdrakhmanova`` (en),
    ``Abdrakhmanova Zhanar`` (ru, kk)."""
    parts = ((first or "").strip(), (last or "").strip())
    if language_or_default(language) in FAMILY_NAME_FIRST:
        parts = parts[::-1]
    return " ".join(part for part in parts if part)


def person_name(first: str | None, last: str | None, native: str | None, language: str) -> str:
    """How a page in ``language`` names a person: the native-script name on ru/kk pages when
    known, else the Latin name in the language's order."""
    return display_name(latin_name_in(first, last, language), native, language)


def other_name(first: str | None, last: str | None, native: str | None, language: str) -> str:
    """The person's name in the other script, shown under the main one ("" if none)."""
    latin = latin_name_in(first, last, language)
    shown = display_name(latin, native, language)
    other = latin if shown != latin else (native or "").strip()
    return "" if other == shown else other


def display_name(latin: str | None, native: str | None, language: str) -> str:
    """A person's name in the script of the page: native Cyrillic for ru/kk when known."""
    latin = (latin or "").strip()
    native = (native or "").strip()
    if language_or_default(language) in ("ru", "kk") and native:
        return native
    return latin or native


def collation_key(text: str | None, language: str) -> tuple:
    """A sort key that orders names by the language's alphabet (Ә after А, Ё after Е...).

    Letters of the page's script come first, in its alphabet's order, then the other script's
    letters, then anything else by code point; case and Latin accents only break ties.
    """
    language = language_or_default(language)
    text = (text or "").strip()
    primary = tuple(_letter_rank(char, language) for char in text.upper() if not char.isspace())
    return (primary, text.casefold(), text)


def sorted_by_name(
    items: Iterable[T], language: str, key: Callable[[T], str | None] = str
) -> list[T]:
    """``items`` sorted by ``key(item)`` in the alphabet of ``language``."""
    return sorted(items, key=lambda item: collation_key(key(item), language))


def _letter_rank(char: str, language: str) -> tuple[int, int]:
    scripts = (LATIN_ALPHABET, CYRILLIC_ORDER)
    if language != "en":
        scripts = scripts[::-1]  # the page's own script first
    for group, alphabet in enumerate(scripts):
        letter = char if char in alphabet else _without_accent(char)
        if letter in alphabet:
            return (group, alphabet.index(letter))
    return (len(scripts), ord(char))


def _without_accent(char: str) -> str:
    """``É`` → ``E`` (Latin only: ``Й`` and ``Ё`` are letters of their own in Cyrillic)."""
    if char in KAZAKH_ALPHABET:
        return char
    return unicodedata.normalize("NFKD", char)[0]
