"""On a phone: the language switch beside the menu button; the calendar address copied."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_the_language_switch_fits_the_phones_bar_and_switches(live_server, new_page):
    page = new_page(viewport=PHONE)
    log_in(page, live_server.url, "director@example.org")
    switch = page.locator("nav .language-switcher")
    assert switch.is_visible()  # not behind the menu button, not in the name menu
    box, toggler = switch.bounding_box(), page.locator(".navbar-toggler").bounding_box()
    assert box["x"] + box["width"] <= toggler["x"]  # side by side, on one line
    assert abs(box["y"] - toggler["y"]) < toggler["height"]
    assert page.evaluate("document.querySelector('nav').scrollWidth <= window.innerWidth")
    screenshot(page, "language-switch-phone")
    page.click("nav .language-switcher button[value=kk]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "kk"
    current = page.locator("nav .language-switcher button[aria-current=true]")
    assert current.get_attribute("value") == "kk"
    assert current.locator("span[aria-hidden=true]").inner_text() == "ҚАЗ"


def test_the_doctor_copies_the_calendar_address(live_server, new_page):
    page = new_page(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server.url, "doctor@example.org")
    page.goto(f"{live_server.url}/my/calendar")
    if page.locator("#feed-url").count() == 0:
        page.click("main form[action$='/my/calendar/token'] button")
        page.wait_for_load_state("networkidle")
    address = page.input_value("#feed-url")
    assert address.endswith(".ics")
    page.click("[data-copy-from=feed-url]")
    page.wait_for_function("document.getElementById('copy-status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "calendar-phone")
    assert errors == []
