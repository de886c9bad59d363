"""Invitation letters for visa applications: WeasyPrint PDFs on the host's letterhead.

Rendering fetches nothing from the network: only our own static files and ``data:`` URLs.
A cohort's letters are laid out once as one document and cut into one PDF per doctor.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import render_template
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from somet.models import Cohort, Enrollment, Hospital

STATIC_DIR = (Path(__file__).resolve().parent.parent.parent / "static").resolve()
TEMPLATE = "documents/invitation_letter.html"


class StaticOnlyFetcher(URLFetcher):
    """Serve ``data:`` URLs and files under static/; refuse everything else."""

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_relative_to(STATIC_DIR) and path.is_file():
                return super().fetch(url, headers)
        raise ValueError(f"letters may not fetch {url[:80]!r}")


@dataclass(frozen=True)
class Letter:
    enrollment: Enrollment
    filename: str
    pdf: bytes


def letter_filename(enrollment: Enrollment) -> str:
    doctor = enrollment.doctor
    name = f"{doctor.last_name}-{doctor.first_name}".replace(" ", "-")
    safe = "".join(c for c in name if c.isascii() and (c.isalnum() or c == "-"))
    return f"invitation-{safe or 'doctor'}-{enrollment.id}.pdf"


def render_letters(
    cohort: Cohort,
    letterhead: Hospital,
    hosts: list[Hospital],
    enrollments: list[Enrollment],
    today: date,
) -> list[Letter]:
    """One PDF per enrollment (each letter starts a page; a letter may run over several)."""
    html = render_template(
        TEMPLATE,
        cohort=cohort,
        letterhead=letterhead,
        hosts=hosts,
        enrollments=enrollments,
        today=today,
    )
    document = HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher()
    ).render(font_config=FontConfiguration())
    starts = _letter_start_pages(document, enrollments)
    letters = []
    for index, enrollment in enumerate(enrollments):
        end = starts[index + 1] if index + 1 < len(starts) else len(document.pages)
        pdf = document.copy(document.pages[starts[index] : end]).write_pdf()
        letters.append(Letter(enrollment, letter_filename(enrollment), pdf))
    return letters


def _letter_start_pages(document, enrollments: list[Enrollment]) -> list[int]:
    """The page on which each letter starts, from the anchor at the top of each letter."""
    pages_by_anchor = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            pages_by_anchor.setdefault(anchor, number)
    return [pages_by_anchor[f"letter-{e.id}"] for e in enrollments]


def letters_zip(letters: list[Letter]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in letters:
            archive.writestr(letter.filename, letter.pdf)
    return buffer.getvalue()
