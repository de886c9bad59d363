"""The certificate PDF (NOT pure): WeasyPrint over templates/certificates/, reading nothing else.

Safety: the template is rendered by a Jinja environment with autoescape on, so user text
(a doctor named ``<img src=...>``) is printed as text. WeasyPrint's only way to load anything
is ``AssetFetcher``: ``data:`` URLs and files under ``static/`` with a font, image or CSS
suffix; every other URL (file, http, https, ftp, ...) is refused before any I/O, and there is
no HTTP handler at all, so no redirects. Texts are bounded in payload.py (300 characters a
field, 40 rotations, 32 kB in all); sandbox.py adds a time and memory limit per render.

Speed: one FontConfiguration and one parsed stylesheet (with its @font-face rules) are shared
by every render in a process; documents get a small user-agent stylesheet (``CertificateHTML``);
the QR code is a compact SVG with a viewBox, encoded with a fixed mask and drawn as one path
with few commands (see ``qr_svg``). The template keeps boxes and lines few (see its comment).
"""

from __future__ import annotations

import base64
import mimetypes
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from somet.certificates.core import wording
from somet.certificates.core.check_codes import check_code

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = PROJECT_ROOT / "static"
TEMPLATE_DIR = PROJECT_ROOT / "templates" / "certificates"
ALLOWED_SUFFIXES = frozenset({".ttf", ".otf", ".woff", ".woff2", ".css", ".png", ".svg", ".jpg"})


class RefusedURL(ValueError):
    """The renderer asked for something outside data: URLs and our static assets."""


class AssetFetcher(URLFetcher):
    """Serves ``data:`` URLs and files under ``static_dir``; refuses everything else."""

    def __init__(self, static_dir: Path = STATIC_DIR):
        super().__init__(allow_redirects=False, fail_on_errors=False, timeout=1)
        self.static_root = Path(static_dir).resolve()
        self.refused: list[str] = []  # what was asked for and refused (kept short)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            # Only data: URLs reach urllib here, and DataHandler decodes them without any I/O.
            request = urllib.request.Request(url)  # noqa: S310
            response = urllib.request.DataHandler().data_open(request)
            return URLFetcherResponse(url, response.read(), dict(response.headers.items()))
        if scheme == "file":
            path = self._static_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        if len(self.refused) < 100:
            self.refused.append(url)
        raise RefusedURL(f"refused to fetch {url[:200]}")

    def _static_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()  # resolves ../ and symlinks first
        inside = self.static_root in path.parents
        if inside and path.suffix.lower() in ALLOWED_SUFFIXES and path.is_file():
            return path
        return None


# WeasyPrint's HTML5 user-agent stylesheet has ~250 rules, matched against every element of
# every render (~6 ms a certificate); this one covers the elements our templates use (and a few
# common inline ones). Overriding ``_ua_stylesheets`` is how WeasyPrint's own tests lighten it
# (weasyprint==70.0 is pinned).
CERTIFICATE_UA_CSS = r"""
head, link, meta, script, style, template, title { display: none }
html, body, div, p, h1, h2, header, footer { display: block }
h1, h2, b, strong, th { font-weight: bold }
em, i { font-style: italic }
small { font-size: smaller }
br::before { content: "\A"; white-space: pre-line }
table { display: table; box-sizing: border-box; border-collapse: separate; border-spacing: 2px }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; vertical-align: inherit; padding: 1px }
"""
_certificate_ua = CSS(string=CERTIFICATE_UA_CSS)


class CertificateHTML(HTML):
    """An HTML document with the small user-agent stylesheet above."""

    def _ua_stylesheets(self, forms=False):
        return [_certificate_ua]


@dataclass
class Renderer:
    """What every render in this process shares: fonts, the parsed CSS, the template."""

    environment: Environment
    font_config: FontConfiguration
    stylesheet: CSS
    fetcher: AssetFetcher
    base_url: str

    def pdf_from_html(self, html: str) -> bytes:
        document = CertificateHTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config)

    def certificate_html(self, snapshot: dict, verify_url: str) -> str:
        template = self.environment.get_template("certificate.html")
        return template.render(c=certificate_view(snapshot), qr=qr_data_uri(verify_url))


_renderer: Renderer | None = None
_renderer_lock = threading.Lock()


def renderer() -> Renderer:
    """The process's shared renderer (built on first use)."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = _build_renderer()
        return _renderer


def _build_renderer() -> Renderer:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )
    font_config = FontConfiguration()
    fetcher = AssetFetcher(STATIC_DIR)
    base_url = STATIC_DIR.as_uri() + "/"
    stylesheet = CSS(
        string=(TEMPLATE_DIR / "certificate.css").read_text(encoding="utf-8"),
        base_url=base_url,
        url_fetcher=fetcher,
        font_config=font_config,
    )
    return Renderer(environment, font_config, stylesheet, fetcher, base_url)


def render_certificate_pdf(snapshot: dict, verify_url: str) -> bytes:
    """The PDF of a certificate snapshot, with a QR code to ``verify_url``."""
    shared = renderer()
    return shared.pdf_from_html(shared.certificate_html(snapshot, verify_url))


def render_one_line_pdf(text: str = "SOMET") -> bytes:
    """A one-line document through the same path (the benchmark's floor)."""
    return renderer().pdf_from_html(f"<p>{text}</p>")


# Any of the 8 masks is valid for readers; letting segno score all 8 costs ~6 ms a code.
# Mask 4 gives slightly fewer runs (a shorter path) than the others on our URLs.
QR_MASK = 4
QR_BORDER = 2  # quiet zone, in modules


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data: URL with a viewBox and no fixed size."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url).encode()).decode()


def qr_segments(text: str) -> list[str]:
    """The link in byte mode and its base45 fragment in alphanumeric mode (~20 % smaller)."""
    head, hash_mark, fragment = text.partition("#")
    if fragment and fragment == fragment.upper():
        return [head + hash_mark, fragment]
    return [text]


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as one stroked path of 1-module-wide lines.

    WeasyPrint parses each path command in Python (~10 us), so there are few: a horizontal
    line per run of two or more dark modules, then vertical lines through the dark modules
    left alone in their row (~15 % fewer commands than segno's rows of runs).
    """
    matrix = segno.make(qr_segments(url), error="m", mask=QR_MASK).matrix
    size, edge = len(matrix), QR_BORDER
    alone = [[False] * size for _ in range(size)]
    commands = []
    for y, row in enumerate(matrix):
        for x, length in _runs(row):
            if length > 1:
                commands.append(f"M{x + edge} {y + edge + 0.5}h{length}")
            else:
                alone[y][x] = True
    for x in range(size):
        for y, length in _runs([alone[y][x] for y in range(size)]):
            commands.append(f"M{x + edge + 0.5} {y + edge}v{length}")
    side = size + 2 * edge
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}">'
        f'<path stroke="#000" d="{"".join(commands)}"/></svg>'
    )


def _runs(cells) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of truthy cells."""
    x, count = 0, len(cells)
    while x < count:
        if cells[x]:
            start = x
            while x < count and cells[x]:
                x += 1
            yield start, x - start
        else:
            x += 1


def certificate_view(snapshot: dict) -> dict:
    """The snapshot with its dates worded in English and Russian, for the template."""
    view = dict(snapshot)
    issued = date.fromisoformat(snapshot["issued_on"])
    view["issued_en"] = wording.english_date(issued)
    view["issued_ru"] = wording.russian_date(issued)
    if snapshot["kind"] == "internship":
        programme = snapshot["programme"]
        start, end = date.fromisoformat(programme["start"]), date.fromisoformat(programme["end"])
        view["period_en"] = wording.english_range(start, end)
        view["period_ru"] = wording.russian_range(start, end)
        view["rotations"] = [_rotation_view(r) for r in snapshot["rotations"]]
    else:
        day = date.fromisoformat(snapshot["masterclass"]["date"])
        view["period_en"], view["period_ru"] = wording.english_date(day), wording.russian_date(day)
    view["hours_text"] = f"{snapshot['hours']:g}"
    view["check_code"] = check_code(snapshot["serial"], snapshot["verification_code"])
    return view


def _rotation_view(rotation: dict) -> dict:
    start, end = date.fromisoformat(rotation["start"]), date.fromisoformat(rotation["end"])
    return rotation | {
        "dates_en": wording.english_range(start, end),
        "dates_ru": wording.russian_range(start, end),
    }
