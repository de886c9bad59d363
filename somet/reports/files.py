"""The report as files: a PDF drawn by WeasyPrint from the page's own sections (charts are
inline SVG, so no browser and no network) and an XLSX workbook with one sheet per section."""

from __future__ import annotations

import io
import re
import threading

from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from somet.reports.presentation import Section

SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


class NothingFetcher(URLFetcher):
    """The report's PDF needs no file and no URL: everything is inline, fonts are the system's."""

    def fetch(self, url, headers=None):
        raise ValueError(f"the report may not fetch {url[:80]!r}")


_fonts: FontConfiguration | None = None
_fonts_lock = threading.Lock()


def report_pdf(html: str) -> bytes:
    """The PDF of the report's HTML (templates/reports/report_pdf.html)."""
    global _fonts
    with _fonts_lock:  # built once per process: fontconfig's setup is most of a small render
        if _fonts is None:
            _fonts = FontConfiguration()
    document = HTML(string=html, url_fetcher=NothingFetcher())
    return document.write_pdf(font_config=_fonts)


def report_xlsx(sections: list[Section], quotes: Section) -> bytes:
    """One sheet per section (heads in bold, then the rows), and one of the chosen quotes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in sections:
        _sheet(workbook, section.title, section.heads, section.rows)
    if quotes.rows:
        _sheet(workbook, quotes.title, quotes.heads, quotes.rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, title: str, heads: list[str], rows: list[list]) -> None:
    name = SHEET_NAME.sub(" ", title)[:31]
    taken = set(workbook.sheetnames)
    while name in taken:
        name = name[:28] + f" {len(taken)}"
    sheet = workbook.create_sheet(name)
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for column, head in zip(sheet.columns, heads, strict=False):
        widest = max([len(str(head))] + [len(str(c.value or "")) for c in column])
        sheet.column_dimensions[column[0].column_letter].width = min(max(widest + 2, 10), 60)


def _cell(value):
    """Text that a spreadsheet would read as a formula stays text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
