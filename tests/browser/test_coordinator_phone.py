"""The coordinator's requests and attendance on a 390 px phone: no sideways scrolling,
Confirm and Decline in reach on each request, the bulk bar in view, errors on their row."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_journeys import PHONE

pytestmark = pytest.mark.browser


def assert_no_sideways_scrolling(page) -> None:
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert fits, f"{page.url} is {width}px wide on a 390px phone"


def assert_within_screen(locator) -> None:
    locator.scroll_into_view_if_needed()
    assert locator.is_visible()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box


def test_coordinator_answers_requests_on_a_phone(live_server, new_page):
    page = new_page(**PHONE)
    log_in(page, live_server.url, "coordinator@example.org")
    page.goto(f"{live_server.url}/requests")
    assert_no_sideways_scrolling(page)
    rows = page.locator("tr[id^='request-']")
    assert rows.count() > 1
    row = rows.nth(1)
    row_id = row.get_attribute("id")
    assert_within_screen(row.locator("button:has-text('Confirm')"))
    assert_within_screen(row.locator("button:has-text('Decline')"))
    screenshot(page, "coordinator-requests-390")

    # The bulk bar stays at the top of the screen however far down the coordinator scrolls.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert abs(page.locator("#bulk-form").bounding_box()["y"]) <= 1

    # Select all in one department ticks its rows, and the bar counts them.
    select_all = page.locator("[data-select-all]").first
    group = select_all.get_attribute("data-select-all")
    select_all.check()
    ticked = page.locator(f"input[data-group='{group}']")
    assert ticked.count() > 0
    assert all(ticked.nth(i).is_checked() for i in range(ticked.count()))
    counted = page.locator("[data-ticked-count]").inner_text()
    assert re.search(rf"\b{ticked.count()}\b", counted), counted

    # Declining without a reason: the error is on that row, and the reason field has focus.
    page.locator(f"#{row_id} button:has-text('Decline')").click()
    page.wait_for_load_state("networkidle")
    error = page.locator(f"#{row_id} [role=alert]")
    assert "was not declined" in error.inner_text()
    assert "Please say why you decline" in error.inner_text()
    assert "This field is required" not in page.inner_text("main")
    focused = page.evaluate("document.activeElement.id")
    assert focused == row_id.replace("request-", "decline-reason-")
    assert_within_screen(error)
    assert_no_sideways_scrolling(page)
    screenshot(page, "coordinator-requests-row-error-390")

    # With a reason it is declined, and the answer can be undone from the answered list.
    page.locator(f"#{row_id} input[name=reason]").fill("No supervisor that week")
    page.locator(f"#{row_id} button:has-text('Decline')").click()
    page.wait_for_load_state("networkidle")
    answered = page.locator(f"#{row_id.replace('request-', 'answer-')}")
    assert "No supervisor that week" in answered.inner_text()
    assert_within_screen(answered.locator("button:has-text('Undo')"))
    answered.locator("button:has-text('Undo')").click()
    page.wait_for_load_state("networkidle")
    assert "Answer undone" in page.inner_text("main")
    assert page.locator(f"#{row_id} button:has-text('Confirm')").count() == 1


def test_coordinator_records_attendance_on_a_phone(live_server, new_page):
    page = new_page(**PHONE)
    log_in(page, live_server.url, "coordinator@example.org")
    page.goto(f"{live_server.url}/attendance")
    assert_no_sideways_scrolling(page)
    if page.locator("main table a.btn").count() == 0:  # the demo's visits are months back
        page.get_by_role("link", name="Earlier weeks").click()
        page.wait_for_load_state("networkidle")
    page.locator("main table a.btn").first.click()
    page.wait_for_load_state("networkidle")
    assert_no_sideways_scrolling(page)
    assert_within_screen(page.locator("button:has-text('Save attendance')").last)
    screenshot(page, "coordinator-attendance-390")
