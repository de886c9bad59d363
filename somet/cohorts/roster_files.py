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

from somet.cohorts.rules.roster import COLUMNS, RosterFileError, cell_text, map_header
from somet.core.problems import problem

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 2000
MAX_LINES = 5 * MAX_ROWS
MAX_COLUMNS = 50  # more than enough for the template's columns plus a few of the user's
FORMATS = ("csv", "xlsx")


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
    """The data rows as dicts keyed by column key; empty rows are skipped."""
    kind = file_format(filename, content)
    table = _csv_table(content) if kind == "csv" else _xlsx_table(content)
    try:
        header = next(table)
    except StopIteration:
        raise RosterFileError(problem("roster.file_empty")) from None
    keys = map_header(list(header))
    rows = []
    for line, cells in enumerate(table):
        # Blank lines count too: a sheet of a million empty rows must not keep us busy.
        if len(rows) >= MAX_ROWS or line > MAX_LINES:
            raise RosterFileError(problem("roster.too_many_rows", count=MAX_ROWS))
        if not any(cell not in (None, "") for cell in cells):
            continue
        rows.append({k: cell_text(c) for k, c in zip(keys, cells, strict=False) if k})
    return rows


def _csv_table(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError(problem("roster.not_utf8")) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _csv_rows(csv.reader(io.StringIO(text, newline=""), dialect))


def _csv_rows(reader):
    # The reader is lazy: a malformed line is only met while reading on.
    try:
        yield from reader
    except csv.Error as error:
        line = reader.line_num
        raise RosterFileError(
            problem("roster.bad_csv_line", line=line, error=str(error))
        ) from None


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
        writer.writerow([_cell(row.get(key)) for key, _ in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[dict]) -> bytes:
    """An XLSX workbook of ``rows`` with the import header."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Roster")
    sheet.append([header for _, header in COLUMNS])
    for row in rows:
        sheet.append([_cell(row.get(key)) for key, _ in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, date):
        return value.isoformat()  # ISO text reads back the same from both formats
    return "" if value is None else value
