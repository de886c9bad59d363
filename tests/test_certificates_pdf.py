"""The certificate PDF: bilingual content, fonts, and a renderer that reads nothing it shouldn't."""

from __future__ import annotations

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pypdf
import pytest
import segno

from somet.certificates import rendering, sandbox
from tests.test_certificates_core import sample_snapshot

VERIFY_URL = "https://somet.example.org/verify/abc"


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def canary():
    """A local web server that counts every request made to it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body::after { content: 'LEAKED-BY-HTTP'; }")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def secret_css(tmp_path):
    path = tmp_path / "secret.css"
    path.write_text("body::after { content: 'LEAKED-FROM-FILE'; }")
    return path


def test_certificate_pdf_is_a4_landscape_with_both_scripts_hours_and_serial():
    pdf = rendering.render_certificate_pdf(sample_snapshot(native="Әйгерім ғқңөұүһі"), VERIFY_URL)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = pdf_text(pdf)
    for expected in (
        "Aigerim Nurlanovna",
        "Әйгерім ғқңөұүһі",
        "SOMET-2027-000001",
        "Credit hours: 72",
        "Учебные часы: 72",
        "7–18 March 2027",
        "7–18 марта 2027",
        "Rambam Health Care Campus",
        "Gulmira Abenova",
    ):
        assert expected in text, expected
    # Only the bundled fonts (static/fonts, via @font-face) are embedded: no system fallback
    names = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts_of(reader)}
    assert names == {"Certificate-Sans", "Certificate-Sans-Bold", "Certificate-Serif-Bold"}


def fonts_of(reader):
    return list(reader.pages[0]["/Resources"]["/Font"].get_object().values())


def test_the_qr_path_draws_exactly_the_dark_modules_of_the_code():
    url = VERIFY_URL + "/" + "x" * 43
    svg = rendering.qr_svg(url)
    matrix = segno.make(url, error="m", mask=rendering.QR_MASK).matrix
    edge, side = rendering.QR_BORDER, len(matrix) + 2 * rendering.QR_BORDER
    assert f'viewBox="0 0 {side} {side}"' in svg
    drawn = []  # (row, column) of every module a line covers, repeats included
    for x, y, direction, length in re.findall(r"M([\d.]+) ([\d.]+)([hv])(\d+)", svg):
        column, row = int(float(x)) - edge, int(float(y)) - edge
        for step in range(int(length)):
            drawn.append((row, column + step) if direction == "h" else (row + step, column))
    dark = {(r, c) for r, line in enumerate(matrix) for c, cell in enumerate(line) if cell}
    assert sorted(drawn) == sorted(dark)  # each dark module once, no light one
    assert rendering.qr_data_uri(url).startswith("data:image/svg+xml;base64,")


def test_rendering_the_same_snapshot_twice_gives_the_same_bytes():
    snapshot = sample_snapshot()
    assert rendering.render_certificate_pdf(snapshot, VERIFY_URL) == (
        rendering.render_certificate_pdf(snapshot, VERIFY_URL)
    )


def attack_texts(server: str, secret) -> list[str]:
    return [
        '<img src="file:///etc/passwd">',
        f'<link rel="stylesheet" href="{server}/link.css">',
        f'<style>@import url("{server}/import.css"); @import url("file://{secret}");</style>',
        f"<div style=\"background: url('file://{secret}')\">x</div>",
        '<svg><image href="file:///etc/passwd" width="10" height="10"/></svg>',
    ]


def test_a_doctor_named_like_html_gets_the_text_printed_and_nothing_is_fetched(canary, secret_css):
    server, hits = canary
    fetcher = rendering.renderer().fetcher
    fetcher.refused.clear()
    for attack in attack_texts(server, secret_css):
        pdf = rendering.render_certificate_pdf(sample_snapshot(name=attack), VERIFY_URL)
        text = pdf_text(pdf).replace("\n", "")
        assert attack[:20] in text
        assert "LEAKED" not in text
    assert hits == []
    assert fetcher.refused == []  # escaped text never even asks for a URL


def test_the_fetcher_refuses_files_and_the_network_even_in_raw_html(canary, secret_css):
    server, hits = canary
    fetcher = rendering.renderer().fetcher
    fetcher.refused.clear()
    traversal = rendering.STATIC_DIR.as_uri() + "/../somet/certificates/payload.py"
    html = "".join(attack_texts(server, secret_css)) + (
        f'<a href="{server}/link">link</a><img src="{traversal}"><p>body</p>'
    )
    pdf = rendering.renderer().pdf_from_html(html)
    assert "LEAKED" not in pdf_text(pdf)
    assert hits == []
    refused = " ".join(fetcher.refused)
    assert "/etc/passwd" in refused and str(secret_css) in refused
    assert f"{server}/import.css" in refused and f"{server}/link.css" in refused
    assert "payload.py" in refused


def test_the_fetcher_serves_data_urls_and_static_fonts_only():
    fetcher = rendering.AssetFetcher()
    assert fetcher.fetch("data:text/plain;base64,T0s=").read() == b"OK"
    font = (rendering.STATIC_DIR / "fonts" / "DejaVuSans.ttf").as_uri()
    assert fetcher.fetch(font).read()[:4] == b"\x00\x01\x00\x00"
    for url in ("file:///etc/passwd", "http://127.0.0.1:1/", "ftp://example.org/x"):
        with pytest.raises(rendering.RefusedURL):
            fetcher.fetch(url)
    licence = (rendering.STATIC_DIR / "fonts" / "DejaVu-LICENSE.txt").as_uri()
    with pytest.raises(rendering.RefusedURL):
        fetcher.fetch(licence)  # inside static/, but not a font, image or stylesheet


def test_a_render_that_takes_too_long_is_stopped():
    pool = sandbox.RenderPool(workers=1)
    assert pool.render(sample_snapshot(), VERIFY_URL).startswith(b"%PDF")  # worker started
    pool.timeout = 0.01
    with pytest.raises(sandbox.RenderFailed, match="longer than"):
        pool.render(sample_snapshot(), VERIFY_URL)
    pool.timeout = 30
    assert pool.render(sample_snapshot(), VERIFY_URL).startswith(b"%PDF")  # a new worker
    pool.close()


def test_rendering_in_a_worker_process_gives_the_same_pdf():
    snapshot = sample_snapshot()
    pdf = sandbox.render_pool(1).render(snapshot, VERIFY_URL)
    assert pdf == rendering.render_certificate_pdf(snapshot, VERIFY_URL)


@pytest.mark.parametrize("length", [40, 120, 201, 300])
def test_a_name_of_any_allowed_length_fits_on_one_page_with_its_signature_and_qr(length):
    # both names up to the certificate's limit of 300 characters a text
    latin = ("Abdrakhmanova Nurlanovna " * 20)[:length].strip()
    native = ("Әйгерім Нұрланқызы Әбдірахманова " * 10)[:length].strip()
    pdf = rendering.render_certificate_pdf(sample_snapshot(latin, native), VERIFY_URL)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "".join(latin.split())[:60] in text
    assert "Gulmira Abenova" in reader.pages[0].extract_text()  # the signature line is there
