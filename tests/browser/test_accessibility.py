"""Accessibility (issue 21 item 7): axe-core finds no serious or critical violation on each
role's main pages (home and every menu entry), the login page and a certificate's public page.

axe-core is vendored for the tests only (tests/browser/vendor/axe-core, see README) and
injected into the page by Playwright; the app never serves it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
    count: v.nodes.length,
  }));
}"""


def blocking_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the loaded page, one line each."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(RUN_AXE)
    return [
        f"{v['id']} ({v['impact']}, {v['count']}×): {v['help']} — {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def main_pages(page, base_url: str) -> list[str]:
    """The home page and each entry of the navigation bar (same origin, no duplicates)."""
    hrefs = page.eval_on_selector_all(
        "#main-nav a.nav-link[href]:not([href='#'])", "links => links.map(link => link.href)"
    )
    origin = urlsplit(base_url).netloc
    pages = [page.url]
    for href in hrefs:
        if urlsplit(href).netloc == origin and href not in pages:
            pages.append(href)
    return pages


def audit(page, urls, base_url: str) -> list[str]:
    problems = []
    for url in urls:
        page.goto(url)
        path = url.removeprefix(base_url) or "/"
        problems += [f"{path}: {line}" for line in blocking_violations(page)]
    return problems


# One login per role (the second coordinator and doctor see the same pages with other rows).
ROLES = {
    "director": "director@example.org",
    "admin": "admin@example.org",
    "coordinator": "coordinator@example.org",
    "doctor": "doctor@example.org",
    "anonymous": None,  # the login page
}


def _menu_of(browser, server, email: str) -> list[str]:
    context = browser.new_context()
    page = context.new_page()
    log_in(page, server.url, email)
    pages = main_pages(page, server.url)[1:]
    context.close()
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_serious_accessibility_violation(demo_server, browser, role):
    """The role's home and menu pages (the administrator's only where the director's menu has
    not them: the same pages). One test per role, so that they spread over xdist's workers.

    The app's Content-Security-Policy would refuse the injected script: the test's browser
    context bypasses it (the app's own policy is unchanged). Reduced motion: Bootstrap's colour
    transitions would otherwise be measured half-way.
    """
    skipped = _menu_of(browser, demo_server, ROLES["director"]) if role == "admin" else []
    context = browser.new_context(
        bypass_csp=True, reduced_motion="reduce", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    if role == "anonymous":
        urls = [f"{demo_server.url}/login"]
    else:
        log_in(page, demo_server.url, ROLES[role])
        page.mouse.move(0, 0)
        home, *menu = main_pages(page, demo_server.url)
        urls = [home, *(url for url in menu if url not in skipped)]
    problems = audit(page, urls, demo_server.url)
    context.close()
    if problems:
        pytest.fail(f"{role}: axe-core violations:\n" + "\n".join(problems))
