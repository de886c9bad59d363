"""Certificate PDFs with WeasyPrint, from bundled assets only.

Safety: the Jinja environment autoescapes everything, and the URL fetcher serves only
``data:`` URLs and regular files inside the static folder (checked after resolving symlinks);
it refuses every other URL before any I/O, has no HTTP, FTP or redirect handling at all, and
any refusal aborts the render. Bounds: a snapshot's texts and rows are capped by
``core.validate_snapshot``; ``BoundedRenderer`` (in ``bounded.py``) adds a wall-clock timeout
and an address-space limit by rendering in a child process.

Speed: a renderer is built once and reused: one FontConfiguration, one pre-parsed CSS, one
compiled template. WeasyPrint shares state between them, so a renderer renders one document
at a time (a lock); use one renderer per process and ``render_many`` for large batches.
"""

from __future__ import annotations

import base64
import mimetypes
import threading
from collections import deque
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from somet.certificates.core import validate_snapshot
from somet.certificates.dates import (
    format_date_en,
    format_date_ru,
    format_period_en,
    format_period_ru,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATES_DIR = PROJECT_ROOT / "templates"
DEFAULT_STATIC_DIR = PROJECT_ROOT / "static"
TEMPLATE_NAME = "certificates/certificate.html"
STYLESHEET_NAME = "certificates/certificate.css"
MAX_ASSET_BYTES = 8 * 1024 * 1024
MAX_DATA_URL_CHARS = 256 * 1024
# More rows than this get the compact table style so the certificate stays one page.
DENSE_ROWS = 7
# Dates never break across lines; a no-break space costs nothing, a nowrap <span> a box.
NBSP = "\u00a0"


class ForbiddenResource(ValueError):
    """The renderer was asked for a URL outside data: and the bundled static folder."""


class RenderingError(RuntimeError):
    """The certificate could not be rendered (a refused or missing resource, a timeout)."""


class BundledAssetFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only data: URLs and files under ``static_dir``."""

    def __init__(self, static_dir: Path | str):
        # fail_on_errors: a refused URL stops the render instead of silently dropping it.
        super().__init__(
            timeout=1, allowed_protocols=("data", "file"), allow_redirects=False,
            fail_on_errors=True,
        )
        self.root = Path(static_dir).resolve()
        self.served = 0
        self.refused: deque[str] = deque(maxlen=100)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Serve ``url`` if it is a data: URL or a bundled file, else raise ForbiddenResource."""
        scheme = url.partition(":")[0].lower()
        try:
            if scheme == "data":
                response = self._data(url)
            elif scheme == "file":
                response = self._bundled_file(url)
            else:
                raise ForbiddenResource(f"scheme not allowed: {scheme!r}")
        except ForbiddenResource:
            self.refused.append(url)
            raise
        self.served += 1
        return response

    def _data(self, url: str) -> URLFetcherResponse:
        header, comma, payload = url[len("data:"):].partition(",")
        if not comma or len(payload) > MAX_DATA_URL_CHARS:
            raise ForbiddenResource("malformed or oversized data: URL")
        media_type, is_base64 = header, header.lower().endswith(";base64")
        if is_base64:
            media_type = header[: -len(";base64")]
        body = unquote_to_bytes(payload)
        body = base64.b64decode(body) if is_base64 else body
        return URLFetcherResponse(
            url, body, {"Content-Type": media_type or "text/plain;charset=US-ASCII"}
        )

    def _bundled_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ForbiddenResource("remote file: URL")
        path = Path(url2pathname(parts.path)).resolve()
        # resolve() follows symlinks, so a link inside static/ pointing out is refused too.
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ForbiddenResource("file outside the bundled static folder")
        if path.stat().st_size > MAX_ASSET_BYTES:
            raise ForbiddenResource("bundled asset too large")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


class CertificateRenderer:
    """Renders certificate snapshots to PDF bytes; build once, reuse for every certificate."""

    def __init__(
        self,
        templates_dir: Path | str = DEFAULT_TEMPLATES_DIR,
        static_dir: Path | str = DEFAULT_STATIC_DIR,
    ):
        self.fetcher = BundledAssetFetcher(static_dir)
        self.base_url = self.fetcher.root.as_uri() + "/"
        environment = Environment(
            loader=FileSystemLoader(str(templates_dir)),
            autoescape=True,
            undefined=StrictUndefined,
            auto_reload=False,
        )
        self.template = environment.get_template(TEMPLATE_NAME)
        self.font_config = FontConfiguration()
        stylesheet = Path(templates_dir, STYLESHEET_NAME).read_text(encoding="utf-8")
        self.stylesheet = self._guarded(
            CSS, string=stylesheet, base_url=self.base_url, url_fetcher=self.fetcher,
            font_config=self.font_config,
        )
        self._lock = threading.Lock()

    def render_html(self, snapshot: Mapping[str, Any], verification_url: str | None = None) -> str:
        """The certificate's HTML (autoescaped), before WeasyPrint lays it out."""
        validate_snapshot(snapshot)
        return self.template.render(certificate_context(snapshot, verification_url))

    def render(self, snapshot: Mapping[str, Any], verification_url: str | None = None) -> bytes:
        """The certificate as PDF bytes; ``verification_url`` defaults to the snapshot's."""
        html = self.render_html(snapshot, verification_url)
        with self._lock:
            document = self._guarded(
                HTML, string=html, base_url=self.base_url, url_fetcher=self.fetcher
            )
            return self._guarded(
                document.write_pdf, stylesheets=[self.stylesheet], font_config=self.font_config
            )

    @staticmethod
    def _guarded(function: Any, **kwargs: Any) -> Any:
        try:
            return function(**kwargs)
        except FatalURLFetchingError as error:
            # BaseException in WeasyPrint; turn it into an ordinary, catchable error.
            raise RenderingError(f"refused resource: {error.__cause__ or error}") from error


def certificate_context(
    snapshot: Mapping[str, Any], verification_url: str | None = None
) -> dict[str, Any]:
    """Template variables: the snapshot as is, plus dates and numbers spelled per language."""
    start = date.fromisoformat(snapshot["start_date"])
    end = date.fromisoformat(snapshot["end_date"])
    issued = datetime.fromisoformat(snapshot["issued_at"]).date()
    url = verification_url or snapshot["verification_url"]
    return {
        "snapshot": snapshot,
        "hosts": ", ".join(snapshot["hosts"]),
        "period_en": format_period_en(start, end, NBSP),
        "period_ru": format_period_ru(start, end, NBSP),
        "issued_en": format_date_en(issued, NBSP),
        "issued_ru": format_date_ru(issued, NBSP),
        "hours_en": snapshot["hours"],
        "hours_ru": snapshot["hours"].replace(".", ","),
        "total_days": sum(row["days"] for row in snapshot["rotations"]),
        "dense": len(snapshot["rotations"]) > DENSE_ROWS,
        "verification_url": url,
        "qr_data_uri": qr_data_uri(url),
    }


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as a compact SVG data: URL (viewBox only, no fixed size)."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_data_uri(omitsize=True, border=0, dark="#1d2733")
