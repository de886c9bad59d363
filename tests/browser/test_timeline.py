"""The cohort timeline as the director reads it in a browser: the grid fills the page, every
segment shows its label whole (the rotation's name, or its code when narrow), and a segment
opens its placement's edit page."""

from __future__ import annotations

import re

from tests.browser.conftest import log_in, screenshot

COHORT = "Abay region — surgical specialties"  # the demo's upcoming cohort, planned

# Per segment: is some label part shown, and does its text fit the segment (no cut words)?
LABEL_FITS = """(segment) => {
  const shown = [...segment.querySelectorAll('.tl-full, .tl-short')]
    .filter((part) => getComputedStyle(part).display !== 'none');
  const box = segment.getBoundingClientRect();
  const fits = shown.length === 1 && shown[0].innerText.trim().length > 0
    && [...shown[0].getClientRects()].every((r) => r.left >= box.left - 1
      && r.right <= box.right + 1 && r.bottom <= box.bottom + 1);
  return {fits, text: shown.map((part) => part.innerText).join('|'),
          wide: segment.scrollWidth <= segment.clientWidth + 1};
}"""


def _open_timeline(page, base_url: str) -> None:
    log_in(page, base_url, "director@example.org")
    page.click("nav >> text=Cohorts")
    page.click(f"main >> text={COHORT}")
    page.wait_for_url(re.compile(r"/cohorts/\d+$"))
    page.click("main >> a:has-text('Timeline')")
    page.wait_for_url(re.compile(r"/cohorts/\d+/timeline$"))


def test_every_segment_of_the_timeline_shows_its_whole_label(live_server, new_page):
    for width, name in ((1366, "timeline-1366"), (1024, "timeline-1024")):
        page = new_page(viewport={"width": width, "height": 900})
        _open_timeline(page, live_server.url)
        segments = page.locator(".tl-seg")
        assert segments.count() > 20
        checks = [segment.evaluate(LABEL_FITS) for segment in segments.all()]
        cut = [c["text"] for c in checks if not (c["fits"] and c["wide"])]
        assert not cut, f"labels cut at {width}px: {cut[:5]}"
        # The grid uses the page's width, not half of it.
        grid = page.locator("table.tl").bounding_box()
        main = page.locator("main").bounding_box()
        assert grid["width"] >= main["width"] * 0.9
        screenshot(page, name)


def test_a_segment_opens_its_placements_edit_page(live_server, new_page):
    page = new_page(viewport={"width": 1366, "height": 900})
    _open_timeline(page, live_server.url)
    segment = page.locator("button.tl-seg.tl-proposed").first
    rotation = segment.get_attribute("title").split(" · ")[1]
    segment.click()
    page.wait_for_url(re.compile(r"/placements/\d+/edit$"))
    assert rotation in page.inner_text("main")
