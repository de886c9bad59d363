"""Documents in a real browser: the director reviews a PDF and an image shown on the review
page (no Content-Security-Policy violation), and a doctor uploads from a checklist row."""

from __future__ import annotations

import re

import pytest

from somet.demo.documents import tiny_pdf
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

DIRECTOR, DOCTOR = "director@example.org", "doctor@example.org"


class Console:
    """Console errors, page errors and CSP violations reported by the page and its frames."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))

    def _on_console(self, message) -> None:
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # a file opened in its own tab: Chromium asks for a favicon we do not serve
        if message.type == "error" or "Content Security Policy" in message.text:
            self.errors.append(f"{message.type}: {message.text}")


def _open_queue_item(page, base_url: str, extension: str) -> None:
    page.goto(f"{base_url}/documents/review")
    item = page.locator("ol.review-queue li", has_text=f".{extension}").first
    item.locator("a.fw-semibold").click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))


def test_the_director_sees_the_pdf_and_the_image_on_the_review_page(live_server, new_page):
    page = new_page(viewport={"width": 1366, "height": 900})
    console = Console(page)
    log_in(page, live_server.url, DIRECTOR)
    page.goto(f"{live_server.url}/documents/review")
    count = int(page.inner_text("#review-count"))
    assert count >= 2
    screenshot(page, "documents-review-queue")

    files, files_seen_at = [], []

    def on_response(response) -> None:
        if "/file/inline" in response.url:
            files.append((response.status, response.headers.get("content-type")))
            files_seen_at.append(response.url)

    page.on("response", on_response)
    _open_queue_item(page, live_server.url, "pdf")
    frame = page.locator("iframe.document-preview-pdf")
    frame.wait_for()
    page.wait_for_timeout(1500)  # the PDF viewer loads in the frame
    assert (200, "application/pdf") in files
    box = frame.bounding_box()
    assert box["width"] > 400 and box["height"] > 400
    screenshot(page, "documents-review-pdf")

    _open_queue_item(page, live_server.url, "png")
    image = page.locator("img.document-preview-image")
    image.wait_for()
    page.wait_for_function(
        "() => { const i = document.querySelector('img.document-preview-image');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    assert (200, "image/png") in files
    screenshot(page, "documents-review-image")
    image_url = page.get_attribute("img.document-preview-image", "src")
    pdf_url = files_seen_at[0]
    for url in (image_url, pdf_url):  # "Open the file in a new tab": the viewers need no grant
        page.goto(f"{live_server.url}{url}" if url.startswith("/") else url)
        page.wait_for_timeout(1000)
    assert not console.errors, console.errors
    page.goto(f"{live_server.url}/documents/review")
    _open_queue_item(page, live_server.url, "png")

    page.click("button:has-text('Accept')")
    page.goto(f"{live_server.url}/documents/review")
    assert int(page.inner_text("#review-count")) == count - 1


def test_a_doctor_uploads_from_the_checklist_row(live_server, new_page, tmp_path):
    """The demo doctor (who reads Russian) replaces a rejected insurance policy on a phone."""
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    console = Console(page)
    log_in(page, live_server.url, DOCTOR)
    page.goto(f"{live_server.url}/documents/mine")
    screenshot(page, "documents-mine-phone")
    row = page.locator("li.documents-row[data-state=rejected]").first
    row_id = row.get_attribute("id")
    assert re.fullmatch(r"requirement-\d+(-\d+)?", row_id)
    assert row.locator("input[type=file]").is_visible()  # the form is on the row itself

    refused = tmp_path / "insurance.pdf"
    refused.write_bytes(b"MZ\x90\x00" + b"\x00" * 300)  # a program renamed .pdf
    row.locator("input[type=file]").set_input_files(str(refused))
    row.locator("input[name=valid_until]").fill("2031-05-31")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    failed = page.locator(f"#{row_id}")
    assert "documents-row-failed" in failed.get_attribute("class")
    assert failed.locator(".invalid-feedback").is_visible()  # the refusal, on this row
    assert failed.locator(".documents-choose-again").is_visible()
    assert failed.locator("input[name=valid_until]").input_value() == "2031-05-31"
    assert page.locator(".documents-row-failed").count() == 1
    screenshot(page, "documents-mine-refused-row")

    policy = tmp_path / "insurance-policy.pdf"
    policy.write_bytes(tiny_pdf("full policy"))
    failed.locator("input[type=file]").set_input_files(str(policy))
    failed.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/documents/mine#{row_id}$"))
    assert page.locator(f"#{row_id}").get_attribute("data-state") == "uploaded"
    assert page.locator(f"#{row_id} .badge").inner_text() == "Ожидает проверки"
    # The refused upload answered 400 (a form error), which Chromium logs; nothing else.
    assert not [e for e in console.errors if "400" not in e], console.errors
