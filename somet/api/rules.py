"""PURE: what a token may do, how a bearer header reads, and which field a roster row's
problem is about. No Flask, no SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

READ_COHORTS = "read:cohorts"
READ_DOCTORS = "read:doctors"
READ_PLACEMENTS = "read:placements"
READ_MASTERCLASSES = "read:masterclasses"
READ_CERTIFICATES = "read:certificates"
WRITE_ROSTERS = "write:rosters"
WRITE_ATTENDANCE = "write:attendance"
SCOPES = (
    READ_COHORTS,
    READ_DOCTORS,
    READ_PLACEMENTS,
    READ_MASTERCLASSES,
    READ_CERTIFICATES,
    WRITE_ROSTERS,
    WRITE_ATTENDANCE,
)
TOKEN_PREFIX = "somet_"  # noqa: S105  (no secret: tells a SOMET token apart in a config file)
SHOWN_PREFIX_LENGTH = 12  # how much of a token its list shows, to tell tokens apart
MAX_ID = 2**31 - 1  # the largest id a database integer column holds

# A roster row's problem without a ``field`` parameter: the field it is about.
_ROW_PROBLEM_FIELDS = {
    "roster.missing_first_name": "first_name",
    "roster.missing_last_name": "last_name",
    "roster.bad_email": "email",
    "roster.unknown_specialty": "specialty",
    "roster.departure_before_arrival": "departure_date",
    "roster.numbers_disagree": "licence_number",
}


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not header:
        return None
    kind, _, token = header.strip().partition(" ")
    token = token.strip()
    if kind.lower() != "bearer" or not token or " " in token:
        return None
    return token


def known_scopes(scopes: Iterable[str]) -> list[str]:
    """``scopes`` that exist, once each, in their documented order."""
    wanted = set(scopes)
    return [scope for scope in SCOPES if scope in wanted]


def grants(granted: Iterable[str], needed: str | None) -> bool:
    """Whether a token with ``granted`` scopes may call an operation needing ``needed``."""
    return needed is None or needed in set(granted)


def row_problem_field(code: str, params: Mapping[str, Any]) -> str | None:
    """The roster column a row's problem is about (None: the row as a whole)."""
    return params.get("field") or _ROW_PROBLEM_FIELDS.get(code)
