"""The cohort's document checklist as an XLSX workbook (openpyxl)."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from somet.documents.labels import STATE_LABELS, kind_label

FILLS = {
    "accepted": "C6EFCE",
    "uploaded": "DDEBF7",
    "rejected": "FFC7CE",
    "expired": "FFEB9C",
    "missing": "F2F2F2",
}


def _cell_text(cell) -> str:
    text = str(STATE_LABELS[cell.state])
    if cell.note:
        text += f" ({cell.note})"
    return text


def _append_row(sheet, row) -> None:
    sheet.append(
        [
            row.doctor.latin_name,
            row.doctor.native_name or "",
            row.arrival,
            row.departure,
            _("yes") if row.ready else _("no"),
            *(_cell_text(c) for c in row.cells),
            "; ".join(row.reasons),
        ]
    )
    for written in sheet[sheet.max_row]:
        if written.data_type == "f":  # a name like "=HYPERLINK(...)" stays text
            written.data_type = "s"
    for offset, cell in enumerate(row.cells):
        target = sheet.cell(row=sheet.max_row, column=6 + offset)
        target.fill = PatternFill("solid", fgColor=FILLS[cell.state])


def checklist_workbook(checklist, rows) -> bytes:
    """One row per doctor: name, dates, readiness, then one column per required document."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Documents")
    header = [_("Doctor"), _("Native name"), _("Arrival"), _("Departure"), _("Ready to travel")]
    header += [kind_label(r.kind) for r in checklist.requirements] + [_("What is missing")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append_row(sheet, row)
    for column in ("C", "D"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
