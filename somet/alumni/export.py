"""The filtered registry as an XLSX workbook: one row per doctor, written in openpyxl's
write-only mode (rows go straight to the file, so 3,500 doctors need little memory)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from somet.alumni.queries import AlumnusRow
from somet.core.specialties import specialty_name


def headers() -> list[str]:
    return [
        _("Doctor"),
        _("Native name"),
        _("Specialty"),
        _("Region"),
        _("Home institution"),
        pgettext("alumni", "Cohorts (years)"),
        pgettext("alumni", "First cohort year"),
        pgettext("alumni", "Last cohort year"),
        _("Credit hours"),
        _("Certificates"),
        pgettext("alumni", "Supervisors' rating (1–5)"),
        pgettext("alumni", "Follow-ups answered"),
        pgettext("alumni", "Follow-ups sent"),
    ]


def row_values(row: AlumnusRow, language: str) -> list:
    """The cells of one doctor, as the workbook holds them."""
    doctor = row.doctor
    return [
        doctor.latin_name,
        doctor.native_name or "",
        specialty_name(doctor.specialty, language),
        doctor.region or "",
        doctor.home_institution or "",
        ", ".join(str(year) for year in row.years),
        row.first_year,
        row.last_year,
        row.hours,
        row.certificates,
        row.evaluation_mean,
        row.follow_ups_answered,
        row.follow_ups_sent,
    ]


def registry_workbook(rows: Iterable[AlumnusRow], language: str) -> bytes:
    """The workbook of ``rows`` (consumed once, as they are read)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Alumni"))
    sheet.freeze_panes = "B2"
    sheet.append([_cell(sheet, text, bold=True) for text in headers()])
    for row in rows:
        sheet.append([_text(sheet, value) for value in row_values(row, language)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(sheet, value):
    """``value`` as it is, but a text like "=HYPERLINK(...)" stays text, not a formula."""
    return _cell(sheet, value) if isinstance(value, str) and value.startswith("=") else value


def _cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if cell.data_type == "f":  # a name like "=HYPERLINK(...)" stays text
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell
