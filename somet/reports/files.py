"""The report as files: a PDF drawn by WeasyPrint from the page's own sections (charts are
inline SVG, so no browser and no network) and an XLSX workbook with one sheet per section."""

from __future__ import annotations

import threading

from openpyxl import Workbook
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from somet.core.spreadsheets import add_table, workbook_bytes
from somet.reports.presentation import Section


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
        add_table(workbook, section.title, section.heads, section.rows)
    if quotes.rows:
        add_table(workbook, quotes.title, quotes.heads, quotes.rows)
    return workbook_bytes(workbook)
