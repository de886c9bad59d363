"""Dates as a certificate writes them, in English and in Russian (pure, no locale, no Babel).

Russian needs the genitive month after a day number ("12 марта 2026 г."), which the C
library's locale tables do not reliably give, so the months are spelled out here.
"""

from __future__ import annotations

from datetime import date

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_RU_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def format_date_en(day: date, space: str = " ") -> str:
    """``12 March 2026``; pass ``space="\u00a0"`` to keep the date on one line."""
    return space.join((str(day.day), MONTHS_EN[day.month - 1], str(day.year)))


def format_date_ru(day: date, space: str = " ") -> str:
    """``12 марта 2026 г.`` (genitive month, the year abbreviated with "г.")."""
    return space.join((str(day.day), MONTHS_RU_GENITIVE[day.month - 1], str(day.year), "г."))


def format_period_en(start: date, end: date, space: str = " ") -> str:
    """``on 12 March 2026`` for one day, else ``from 1 March 2026 to 12 March 2026``."""
    if start == end:
        return f"on {format_date_en(start, space)}"
    return f"from {format_date_en(start, space)} to {format_date_en(end, space)}"


def format_period_ru(start: date, end: date, space: str = " ") -> str:
    """``12 марта 2026 г.`` for one day, else ``с 1 марта 2026 г. по 12 марта 2026 г.``."""
    if start == end:
        return format_date_ru(start, space)
    return f"с {format_date_ru(start, space)} по {format_date_ru(end, space)}"
