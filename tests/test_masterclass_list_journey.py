"""Journey: after `flask demo`, the director schedules enough masterclasses through the form
that the list runs past one page, then walks it with Next and First page: every class once,
soonest first; a doctor walks their own list the same way. Only HTTP and the CLI: no
factories."""

from __future__ import annotations

import re

from somet.demo.data import DEMO_PASSWORD

TITLE = re.compile(r"<strong>([^<]+)</strong>")


def _link(html: str, which: str) -> str | None:
    """The pager's "First page" or "Next" address (None when disabled or absent), found by
    place, not by its words: the demo's doctor reads the pages in Russian."""
    links = re.findall(r'<a class="page-link" href="([^"]+)">', html)
    if not links:
        return None
    address = links[{"First page": 0, "Next": 1}[which]]
    return None if address == "#" else address.replace("&amp;", "&")


def _walk(client, first: str) -> list[str]:
    """Every title the list shows, page after page (30 at most each), following Next."""
    titles, url, pages = [], first, 0
    while url:
        html = client.get(url).get_data(as_text=True)
        shown = TITLE.findall(html)
        assert len(shown) <= 30
        titles, pages = titles + shown, pages + 1
        url = _link(html, "Next")
        if url:
            assert _link(client.get(url).get_data(as_text=True), "First page") == first
    assert pages == max(1, -(-len(titles) // 30))  # full pages, then the rest
    return titles


def _log_in(client, email: str) -> None:
    response = client.submit("/login", {"email": email, "password": DEMO_PASSWORD}, page="/login")
    assert response.status_code == 302


def test_director_schedules_past_a_page_and_both_lists_reach_every_class(client, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    _log_in(client, "director@example.org")
    already = _walk(client, "/masterclasses")
    scheduled = [f"Journey class {n:02d}" for n in range(31)]
    for n, title in enumerate(scheduled):  # after every class of the demo, a day apart
        day = f"2031-{1 + n // 28:02d}-{1 + n % 28:02d}"
        response = client.submit(
            "/masterclasses/new",
            {
                "title": title, "lead_specialist": "Prof. Dana Mor", "lead_title": "",
                "venue": "Hall B", "city": "Almaty", "country": "Kazakhstan",
                "timezone": "Asia/Almaty",
                "starts_local": f"{day}T10:00", "ends_local": f"{day}T16:00",
                "capacity": "12", "credit_hours": "6", "hospital_id": "0", "cohort_id": "0",
            },
            page="/masterclasses/new",
        )  # fmt: skip
        assert response.status_code == 302, response.get_data(as_text=True)
    listed = _walk(client, "/masterclasses")
    assert len(listed) == len(already) + len(scheduled) > 30
    assert listed[len(already):] == scheduled  # the new ones come last, soonest first
    client.submit("/logout", {}, page="/")

    _log_in(client, "doctor@example.org")
    mine = _walk(client, "/masterclasses")
    assert [t for t in mine if t.startswith("Journey class")] == scheduled  # open to all
