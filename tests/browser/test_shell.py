"""The shell of the UI in a real browser: login, navigation per role, no console errors."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_director_logs_in_and_sees_navigation_without_script_errors(live_server, new_page):
    page = new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server.url, "director@example.org")
    assert page.locator("nav .navbar-brand").inner_text() == "SOMET"
    assert "Gulmira Abenova" in page.inner_text("nav")
    screenshot(page, "shell-director-home")
    assert errors == []


def test_wrong_password_keeps_the_visitor_on_the_login_form(live_server, new_page):
    page = new_page()
    log_in(page, live_server.url, "director@example.org", password="not-the-password")
    assert "Wrong e-mail or password" in page.inner_text("form")


def test_logout_from_the_menu(live_server, new_page):
    page = new_page(viewport={"width": 390, "height": 844})  # a phone
    log_in(page, live_server.url, "doctor@example.org")
    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav.show")  # the collapse animation has finished
    page.click("text=Aigerim Nurlanovna")
    page.wait_for_selector(".dropdown-menu.show form[action$='/logout'] button")
    page.click("form[action$='/logout'] button")  # whatever the page language
    page.wait_for_url("**/login")
    # The demo doctor reads SOMET in Russian; the login page keeps that language after logout.
    assert "Вы вышли из системы." in page.inner_text("main")
