"""PURE: validate roster rows and decide, per row, new / known / changed / invalid.

Rows come in as plain dicts of strings (from CSV or XLSX, see ``files.py``); the doctors we
already know come in as ``KnownDoctor`` snapshots. No Flask, no SQLAlchemy, no models, so
the rules are tested on plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email

from somet.core.limits import DOCTOR_TEXT_LIMITS
from somet.core.problems import Problem, ProblemsFound, problem
from somet.core.specialties import find_specialty

# (key, header in files) in file order; matching of headers ignores case, spaces and "_".
COLUMNS = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("native_name", "Native name"),
    ("specialty", "Specialty"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("home_institution", "Home institution"),
    ("country", "Country"),
    ("region", "Region"),
    ("licence_number", "Licence number"),
    ("passport_number", "Passport number"),
    ("arrival_date", "Arrival date"),
    ("departure_date", "Departure date"),
)
DOCTOR_FIELDS = tuple(key for key, _ in COLUMNS if key not in ("arrival_date", "departure_date"))
REQUIRED_COLUMNS = ("first_name", "last_name")
LINE = "line"  # a read row's spreadsheet row number (the header is row 1)
NEW, KNOWN, CHANGED, INVALID = "new", "known", "changed", "invalid"
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


class RosterFileError(ProblemsFound):
    """The file as a whole cannot be read as a roster; ``problems`` say why."""


@dataclass(frozen=True)
class KnownDoctor:
    id: int
    name: str
    fields: dict[str, str | None]  # DOCTOR_FIELDS as stored


@dataclass(frozen=True)
class RowDecision:
    line: int  # the row's line in the file (the header is line 1)
    values: dict = field(default_factory=dict)  # cleaned values (dates as date)
    status: str = NEW
    errors: tuple[Problem, ...] = ()
    doctor_id: int | None = None
    changes: tuple[str, ...] = ()


def _header_key(text: str) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


_HEADERS = {_header_key(k): k for k, _ in COLUMNS} | {_header_key(h): k for k, h in COLUMNS}


def map_header(cells: list) -> list[str | None]:
    """The column key for each header cell (None for columns we ignore)."""
    keys = [_HEADERS.get(_header_key(cell or "")) for cell in cells]
    missing = [k for k in REQUIRED_COLUMNS if k not in keys]
    if missing:
        # The headers are the file's own words (English in every language's template).
        names = tuple(dict(COLUMNS)[k] for k in missing)
        raise RosterFileError(problem("roster.missing_columns", columns=names))
    return keys


def normalise_number(value: str | None) -> str | None:
    """Licence and passport numbers compare without case and spaces."""
    if not value:
        return None
    return "".join(str(value).split()).upper() or None


def decide_rows(
    rows: list[dict], known: list[KnownDoctor], start: date, end: date
) -> list[RowDecision]:
    """One decision per row, in order; a row repeating an earlier one's numbers is invalid."""
    by_licence = _index(known, "licence_number")
    by_passport = _index(known, "passport_number")
    seen: dict[tuple[str, str], int] = {}
    decisions = []
    for index, raw in enumerate(rows):
        line = raw.get(LINE, index + 2)
        values, errors = clean_row(raw, start, end)
        errors += _duplicates(values, line, seen)
        match, match_errors = _match(values, by_licence, by_passport)
        errors += match_errors
        decisions.append(_decision(line, values, errors, match))
    return decisions


def _index(known: list[KnownDoctor], key: str) -> dict[str, KnownDoctor]:
    return {normalise_number(d.fields.get(key)): d for d in known if d.fields.get(key)}


NUMBER_FIELDS = ("licence_number", "passport_number")


def _decision(line, values, errors, match: KnownDoctor | None) -> RowDecision:
    if errors:
        return RowDecision(line, values, INVALID, tuple(errors))
    if match is None:
        return RowDecision(line, values, NEW)
    changes = tuple(
        key
        for key in DOCTOR_FIELDS
        if values.get(key) is not None and values[key] != match.fields.get(key)
    )
    return RowDecision(line, values, CHANGED if changes else KNOWN, (), match.id, changes)


def clean_row(raw: dict, start: date, end: date) -> tuple[dict, list[Problem]]:
    """The row's values cleaned (blank -> None) and its errors as problems."""
    values = {key: cell_text(raw.get(key)) for key, _ in COLUMNS}
    errors = []
    if not values["first_name"]:
        errors.append(problem("roster.missing_first_name"))
    if not values["last_name"]:
        errors.append(problem("roster.missing_last_name"))
    if values["email"]:
        try:
            email = validate_email(values["email"], check_deliverability=False)
            values["email"] = email.normalized.lower()
        except EmailNotValidError:
            errors.append(problem("roster.bad_email", value=values["email"]))
    if values["specialty"]:
        code = find_specialty(values["specialty"])
        if code is None:
            errors.append(problem("roster.unknown_specialty", value=values["specialty"]))
        values["specialty"] = code or values["specialty"]
    for key in ("licence_number", "passport_number"):
        values[key] = normalise_number(values[key])
    errors += _too_long(values)
    errors += _dates(values, start, end)
    return values, errors


def _too_long(values: dict) -> list[Problem]:
    """The same limits as the form and the database (a longer value would fail on save)."""
    return [
        problem("roster.too_long", field=key, length=len(values[key]), limit=limit)
        for key, limit in DOCTOR_TEXT_LIMITS.items()
        if values.get(key) and len(values[key]) > limit
    ]


def _dates(values: dict, start: date, end: date) -> list[Problem]:
    errors = []
    for key in ("arrival_date", "departure_date"):
        text = values[key]
        if text is None:
            continue
        parsed = _parse_date(text)
        if parsed is None:
            errors.append(problem("roster.not_a_date", field=key, value=text))
        elif not start <= parsed <= end:
            errors.append(
                problem("roster.date_outside_cohort", field=key, day=parsed, start=start, end=end)
            )
        values[key] = parsed
    arrival, departure = values["arrival_date"], values["departure_date"]
    if arrival and departure and departure < arrival:
        errors.append(problem("roster.departure_before_arrival"))
    return errors


def _duplicates(values: dict, line: int, seen: dict) -> list[Problem]:
    errors = []
    for key in NUMBER_FIELDS:
        number = values.get(key)
        if not number:
            continue
        first = seen.setdefault((key, number), line)
        if first != line:
            errors.append(problem("roster.duplicate_in_file", field=key, row=first))
    return errors


def _match(values, by_licence, by_passport) -> tuple[KnownDoctor | None, list[Problem]]:
    by_lic = by_licence.get(values.get("licence_number"))
    by_pass = by_passport.get(values.get("passport_number"))
    if by_lic and by_pass and by_lic.id != by_pass.id:
        return None, [
            problem(
                "roster.numbers_disagree", licence_holder=by_lic.name, passport_holder=by_pass.name
            )
        ]
    return by_lic or by_pass, []


def cell_text(value) -> str | None:
    """A cell as trimmed text (dates as ISO, whole floats as integers), None when blank."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn numeric ids into floats
    text = " ".join(str(value).split())
    return text or None


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
