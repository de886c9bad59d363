"""Tables written into XLSX workbooks one way everywhere (openpyxl; no Flask): a sheet named
as Excel allows, bold headings, every cell safe from formula injection, columns as wide as
what they hold.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

# Characters Excel refuses in a sheet's name; a name has at most 31 characters.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value):
    """``value`` as it is, but a text a spreadsheet would read as a formula stays text."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value


def add_table(workbook: Workbook, title: str, heads: list[str], rows: list[list]) -> Worksheet:
    """A new sheet ``title`` (made a valid, unused name) holding ``heads`` and ``rows``."""
    name = _SHEET_NAME.sub(" ", title)[:31]
    taken = set(workbook.sheetnames)
    while name in taken:
        name = name[:28] + f" {len(taken)}"
    sheet = workbook.create_sheet(name)
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for column, head in zip(sheet.columns, heads, strict=False):
        widest = max([len(str(head))] + [len(str(c.value or "")) for c in column])
        sheet.column_dimensions[column[0].column_letter].width = min(max(widest + 2, 10), 60)
    return sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
