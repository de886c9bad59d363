"""The alumni registry and a doctor's history on a 390 px phone: cards, no sideways scrolling,
no serious axe-core finding; a bad filter names the field with the error."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in, screenshot
from tests.browser.crawl import horizontal_overflow, sideways_scrolling
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits_a_phone(page) -> None:
    assert horizontal_overflow(page) is None
    assert sideways_scrolling(page, ".never-wide-by-design") == []
    assert blocking_violations(page) == []


def test_registry_and_history_read_on_a_phone(demo_server, new_page):
    page = new_page(viewport=PHONE, bypass_csp=True)  # axe-core is injected as a script
    log_in(page, demo_server.url, "director@example.org")
    page.goto(f"{demo_server.url}/alumni?q=ерлан")
    _fits_a_phone(page)
    screenshot(page, "phone-alumni-registry")
    page.click("main table a[href^='/alumni/']")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() != ""
    _fits_a_phone(page)
    screenshot(page, "phone-alumni-history")


def test_a_bad_year_is_said_next_to_its_field(demo_server, new_page):
    page = new_page(viewport=PHONE, bypass_csp=True)
    log_in(page, demo_server.url, "director@example.org")
    response = page.goto(f"{demo_server.url}/alumni?year=1850")
    assert response.status == 400
    year = page.locator("#year")
    assert year.get_attribute("aria-invalid") == "true"
    assert "No cohort took place in that year" in page.locator("#year-error").inner_text()
    _fits_a_phone(page)
