"""Dates as a certificate prints them, in English and Russian (PURE; no locale needed).

Russian writes the month in the genitive after a day number ("12 марта 2027"), so the names
are spelled out here rather than taken from the process locale.
"""

from __future__ import annotations

from datetime import date

ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
RUSSIAN_MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def english_date(day: date) -> str:
    """12 March 2027."""
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def russian_date(day: date) -> str:
    """12 марта 2027."""
    return f"{day.day} {RUSSIAN_MONTHS_GENITIVE[day.month - 1]} {day.year}"


def english_range(start: date, end: date) -> str:
    """7–18 March 2027, or 28 February – 3 March 2027 across months."""
    if start == end:
        return english_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{english_date(end)}"
    return f"{english_date(start)} – {english_date(end)}"


def russian_range(start: date, end: date) -> str:
    """7–18 марта 2027, or 28 февраля – 3 марта 2027 across months."""
    if start == end:
        return russian_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{russian_date(end)}"
    return f"{russian_date(start)} – {russian_date(end)}"
