"""Roster files: read CSV/XLSX uploads into plain rows, write rosters as CSV/XLSX.

No Flask and no database: bytes in, rows out (and back). openpyxl reads XLSX in read-only
mode so a large sheet streams; both readers stop at ``MAX_ROWS``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from somet.cohorts.rules.roster import COLUMNS, LINE, RosterFileError, cell_text, map_header
from somet.core.problems import problem

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 2000
MAX_LINES = 5 * MAX_ROWS
MAX_COLUMNS = 50  # more than enough for the template's columns plus a few of the user's
FORMATS = ("csv", "xlsx")
DELIMITERS = (",", ";", "\t")
# A cell starting with one of these is a formula to a spreadsheet program (OWASP: CSV
# injection): exports write it as text, imports read it back unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
# The template's one filled-in row shows each column's format; a file that still has it
# unchanged does not import it as a doctor.
EXAMPLE_ROW = {
    "first_name": "Aigerim",
    "last_name": "Example",
    "native_name": "Айгерим Пример",
    "specialty": "general-surgery",
    "email": "aigerim.example@example.kz",
    "phone": "+7 701 000 0000",
    "home_institution": "Regional hospital No. 1",
    "country": "Kazakhstan",
    "region": "Abay region",
    "licence_number": "EXAMPLE-0001",
    "passport_number": "N00000000",
    "arrival_date": "2027-03-07",
    "departure_date": "2027-03-18",
}


def file_format(filename: str, content: bytes) -> str:
    """``csv`` or ``xlsx`` from the name, checked against the content (XLSX is a zip)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise RosterFileError(problem("roster.file_type"))
    if len(content) > MAX_BYTES:
        raise RosterFileError(problem("roster.file_too_large", megabytes=MAX_BYTES // 2**20))
    if (suffix == "xlsx") != content.startswith(b"PK\x03\x04"):
        raise RosterFileError(problem("roster.file_content", format=suffix.upper()))
    return suffix


def read_roster(filename: str, content: bytes) -> list[dict]:
    """The data rows as dicts keyed by column key, each with the spreadsheet row number it
    came from under ``LINE`` (the header is row 1; blank rows are skipped but counted)."""
    kind = file_format(filename, content)
    table = _csv_table(content) if kind == "csv" else _xlsx_table(content)
    try:
        header = next(table)
    except StopIteration:
        raise RosterFileError(problem("roster.file_empty")) from None
    keys = map_header(list(header))
    rows = []
    for line, cells in enumerate(table, start=2):
        # Blank lines count too: a sheet of a million empty rows must not keep us busy.
        if len(rows) >= MAX_ROWS or line > MAX_LINES:
            raise RosterFileError(problem("roster.too_many_rows", count=MAX_ROWS))
        if not any(cell not in (None, "") for cell in cells):
            continue
        row = {k: _imported(cell_text(c)) for k, c in zip(keys, cells, strict=False) if k}
        if row == EXAMPLE_ROW:
            continue
        rows.append({**row, LINE: line})
    return rows


def _csv_table(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError(problem("roster.not_utf8")) from None
    # The delimiter is the one the header row uses; the rest is standard CSV quoting
    # (guessing the whole dialect from a sample misreads doubled quotes further down).
    header = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda d: (header.count(d), d == ","))
    return _csv_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _csv_rows(reader):
    # The reader is lazy: a malformed line is only met while reading on.
    try:
        yield from reader
    except csv.Error as error:
        line = reader.line_num
        raise RosterFileError(problem("roster.bad_csv_line", line=line, error=str(error))) from None


def _xlsx_table(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise RosterFileError(problem("roster.bad_xlsx")) from None
    return workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)


def write_csv(rows: list[dict]) -> bytes:
    """A UTF-8 CSV (with BOM, so spreadsheet programs read Cyrillic right) of ``rows``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _, header in COLUMNS])
    for row in rows:
        writer.writerow([_csv_cell(row.get(key)) for key, _ in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[dict]) -> bytes:
    """An XLSX workbook of ``rows`` with the import header."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Roster")
    sheet.append([header for _, header in COLUMNS])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, row.get(key)) for key, _ in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, date):
        return value.isoformat()  # ISO text reads back the same from both formats
    return "" if value is None else value


def _csv_cell(value):
    text = _cell(value)
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return TEXT_MARK + text  # spreadsheet programs show it as text, not a formula
    return text


def _xlsx_cell(sheet, value):
    text = _cell(value)
    if not (isinstance(text, str) and text.startswith(FORMULA_STARTS)):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # a string cell, never a formula
    cell.quotePrefix = True
    return cell


def _imported(text: str | None) -> str | None:
    """A cell that an export marked as text reads back as it was before the export."""
    if text and text.startswith(TEXT_MARK) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
