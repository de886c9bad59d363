"""Phones first (issue 21): every page each demo login reaches fits a 390 px screen.

Each login is crawled once (one server, one browser for the module): from its home page every
same-origin link is followed, one page per route pattern, and each page is measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from somet.demo.loader import DEMO_LOGINS
from tests.browser.conftest import log_in, screenshot
from tests.browser.crawl import crawl, horizontal_overflow, sideways_scrolling
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LOGINS = [email for email, _ in DEMO_LOGINS]
PAGES_PER_LOGIN = 60  # one per route pattern; the demo's busiest login reaches about 45
# Grids of days (or documents) × people that read sideways by design (timeline, capacity,
# attendance, the cohort's documents); everything else is a list that becomes cards on a phone.
WIDE_BY_NATURE = ".plan-wrap, .tl-wrap, .attendance-grid, .documents-grid"


@dataclass
class PhoneCrawl:
    visited: list[str] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)  # the page itself wider than the phone
    sideways: list[str] = field(default_factory=list)  # a list scrolling inside its own box
    inaccessible: list[str] = field(default_factory=list)  # axe-core's serious or critical


def _crawl_at_phone_width(browser, server, email: str) -> PhoneCrawl:
    # axe-core is injected as a script: the test's context lets it past the app's CSP
    context = browser.new_context(viewport=PHONE, bypass_csp=True, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, server.url, email)
    result = PhoneCrawl()
    who = email.split("@")[0]

    def measure(page, url):
        path = url.removeprefix(server.url)
        overflow = horizontal_overflow(page)
        if overflow:
            result.too_wide.append(
                f"{path}: {overflow['scrollWidth']} px wide in a {overflow['innerWidth']} px "
                f"window; widest: {overflow['element']}"
            )
            screenshot(page, f"phone-overflow-{who}-{len(result.too_wide)}")
        for box in sideways_scrolling(page, WIDE_BY_NATURE):
            result.sideways.append(f"{path}: {box}")
        result.inaccessible += [f"{path}: {line}" for line in blocking_violations(page)]

    result.visited = crawl(page, server.url, page.url, measure, limit=PAGES_PER_LOGIN)
    context.close()
    return result


@pytest.mark.parametrize("email", LOGINS)
def test_every_page_a_login_reaches_fits_a_phone(demo_server, browser, email):
    """No page is wider than the phone, no list hides its columns (its actions) in a box
    scrolled sideways: lists become cards (.table-cards); and axe-core finds no serious or
    critical violation on any of them. One test per login, so that the crawls spread over
    pytest-xdist's workers instead of repeating on each."""
    crawled = _crawl_at_phone_width(browser, demo_server, email)
    assert len(crawled.visited) > 3, f"{email} reached only {crawled.visited}"
    problems = []
    if crawled.too_wide:
        problems += ["pages wider than a 390 px phone:", *crawled.too_wide]
    if crawled.sideways:
        problems += ["lists scrolling sideways at 390 px (mark the table .table-cards):"]
        problems += crawled.sideways
    if crawled.inaccessible:
        problems += ["axe-core's serious or critical violations:", *crawled.inaccessible]
    if problems:
        pytest.fail(f"{email}, {len(crawled.visited)} pages visited:\n" + "\n".join(problems))


def test_my_certificates_download_is_on_a_phone_screen(demo_server, new_page):
    page = new_page(viewport=PHONE)
    log_in(page, demo_server.url, "doctor@example.org")
    page.goto(f"{demo_server.url}/certificates/mine")
    download = page.locator("a[href$='/download']").first
    box = download.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-certificates-mine")


BROKEN_ROSTER_CSV = (
    "First name,Last name,Native name,Specialty,E-mail,Licence number,Arrival date,"
    "Departure date\n"
    "Dana,Omarova,Дана Омарова,Cardiology,dana@example.kz,KZ-AB-20001,2027-01-10,2027-01-21\n"
    "Nurlan,Sadykov,Нұрлан Садықов,Astrology,not-an-e-mail,KZ-AB-20002,2027-13-10,2027-01-21\n"
)


def test_the_import_previews_errors_are_on_a_phone_screen(demo_server, new_page, tmp_path):
    page = new_page(viewport=PHONE)
    log_in(page, demo_server.url, "director@example.org")
    page.goto(f"{demo_server.url}/cohorts/1/roster/import")
    roster = tmp_path / "roster.csv"
    roster.write_text(BROKEN_ROSTER_CSV, encoding="utf-8")
    page.set_input_files("input[type=file]", str(roster))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/roster/import/*")
    errors = page.locator("tr[data-row='3'] .row-errors")
    assert errors.count() == 1, "the invalid row shows its errors"
    box = errors.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert sideways_scrolling(page, WIDE_BY_NATURE) == []
    screenshot(page, "phone-import-preview")
