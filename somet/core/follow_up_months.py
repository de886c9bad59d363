"""PURE: a cohort's follow-up months ("3,6,12"), checked where the director types them.

The cohorts' form checks the setting and the follow-up feature reads it, so it lives here,
beside the other rules both sides share.
"""

from __future__ import annotations

MIN_MONTHS, MAX_MONTHS = 1, 60
DEFAULT = "3,6,12"


class BadMonths(ValueError):
    """``code`` says what is wrong: "empty", "not_whole" (with ``part``) or "out_of_range"."""

    def __init__(self, code: str, part: str = ""):
        super().__init__(code)
        self.code, self.part = code, part


def parse_follow_up_months(text: str | None) -> tuple[int, ...]:
    """The months in ``text`` (comma-separated whole months 1–60), sorted, each once."""
    parts = [part.strip() for part in (text or "").split(",")]
    if not any(parts):
        raise BadMonths("empty")
    months = set()
    for part in parts:
        if not (part.isascii() and part.isdigit()):
            raise BadMonths("not_whole", part)
        value = int(part)
        if not MIN_MONTHS <= value <= MAX_MONTHS:
            raise BadMonths("out_of_range", part)
        months.add(value)
    return tuple(sorted(months))


def follow_up_months_or_default(text: str | None) -> tuple[int, ...]:
    """The months of a stored setting; the default if it was stored before it was checked."""
    try:
        return parse_follow_up_months(text)
    except BadMonths:
        return parse_follow_up_months(DEFAULT)


def format_follow_up_months(months: tuple[int, ...]) -> str:
    return ",".join(str(m) for m in months)
