"""Each role's home queue in a real browser: an item is counted, its link leads to the page
that resolves it, the person does so there, and the count drops on the home page and in the
menu's badge. On the demo centre, as its people see it.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def queue_count(page, key: str) -> int:
    return int(page.locator(f"#queue-{key}").get_attribute("data-count"))


def badge(page, path: str) -> int:
    """The count on the menu entry linking to ``path`` (0 when it shows none)."""
    found = page.locator(f'nav a.nav-link[href="{path}"] .nav-count')
    return int(found.inner_text()) if found.count() else 0


def go_home(page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.wait_for_load_state("networkidle")


def test_director_reviews_the_oldest_document_from_the_home_queue(live_server, new_page):
    page = new_page()
    log_in(page, live_server.url, "director@example.org")
    waiting = queue_count(page, "review")
    assert waiting >= 1 and badge(page, "/documents/") == waiting
    assert badge(page, "/") >= waiting
    home_badge = badge(page, "/")
    screenshot(page, "home-queue-director")
    page.locator("#queue-review .queue-item a").first.click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    page.click("main form[action$='/accept'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    go_home(page, live_server.url)
    assert queue_count(page, "review") == waiting - 1
    assert badge(page, "/documents/") == waiting - 1 and badge(page, "/") == home_badge - 1


def test_coordinator_answers_a_waiting_request_from_the_home_queue(live_server, new_page):
    page = new_page()
    log_in(page, live_server.url, "coordinator@example.org")
    waiting = queue_count(page, "requests")
    assert waiting >= 1 and badge(page, "/requests") == waiting
    screenshot(page, "home-queue-coordinator")
    page.locator("#queue-requests .queue-item a").first.click()
    page.wait_for_url(re.compile(r"/requests$"))
    page.locator("main form[action$='/confirm'] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    go_home(page, live_server.url)
    assert queue_count(page, "requests") == waiting - 1
    assert badge(page, "/requests") == waiting - 1


def test_doctor_sends_a_missing_document_from_the_home_queue(live_server, new_page, tmp_path):
    page = new_page()
    log_in(page, live_server.url, "doctor@example.org")
    to_send = queue_count(page, "documents")
    assert to_send >= 1 and badge(page, "/documents/mine") == to_send
    screenshot(page, "home-queue-doctor")
    link = page.locator("#queue-documents .queue-item a").first
    anchor, label = link.get_attribute("href").split("#")[1], link.inner_text()
    link.click()
    page.wait_for_url(re.compile(rf"/documents/mine#{anchor}$"))
    kind = _kind_of(page, label)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    _upload(page, anchor, kind, scan)
    go_home(page, live_server.url)
    assert queue_count(page, "documents") == to_send - 1
    assert badge(page, "/documents/mine") == to_send - 1


def _kind_of(page, text: str) -> str:
    """The document kind (the upload form's value) whose label starts the queue item."""
    for option in page.locator("select[name=kind] option").all():
        if text.startswith(option.inner_text().strip()):
            return option.get_attribute("value")
    raise AssertionError(f"no upload choice for {text!r}")


def _upload(page, anchor: str, kind: str, scan) -> None:
    """Upload from the checklist row when it has a form of its own, else the page's form."""
    row_form = page.locator(f"#{anchor} form")
    form = row_form.first if row_form.count() else page.locator("main form[enctype]").first
    if form.locator("select[name=kind]").count():
        form.locator("select[name=kind]").select_option(kind)
    if form.locator("input[name=valid_until]").count():
        form.locator("input[name=valid_until]").fill("2031-06-30")
    form.locator("input[type=file]").set_input_files(str(scan))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
