"""Journey from the demo, over HTTP: the director sees the refused visa flagged at home,
opens the cohort's travel readiness, records a visa, withdraws the refused doctor with a
reason; the flag is gone and the page counts one doctor fewer."""

from __future__ import annotations

import html as markup
import re

from sqlalchemy import select

from somet.demo.data import DEMO_PASSWORD, UPCOMING_COHORT
from somet.models import User
from somet.web.extensions import db
from tests.conftest import login_as
from tests.test_home_queues import queue_count

REFUSED = "Timur Akhmetov"  # the demo's doctor whose visa was refused (somet/demo/visas.py)


def _counts(page: str) -> tuple[int, int]:
    found = re.search(r'id="ready-count" data-ready="(\d+)" data-total="(\d+)"', page)
    return int(found.group(1)), int(found.group(2))


def _row(page: str, name: str) -> str:
    for row in page.split("<tr ")[1:]:
        if name in row.split("</td>")[0]:
            return row.split("</tr>")[0]
    raise AssertionError(f"{name} is not on the page")


def test_director_withdraws_the_doctor_whose_visa_was_refused(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    client = app.test_client()
    director = db.session.scalar(select(User).where(User.email == "director@example.org"))
    login_as(client, director, DEMO_PASSWORD)

    home = client.get("/").get_data(as_text=True)
    assert queue_count(home, "travel-flags") == 1
    flag = home.split('id="queue-travel-flags"')[1].split("</section>")[0]
    assert REFUSED in flag and "visa refused" in flag and "Re-plan" in flag
    readiness = markup.unescape(re.search(r'href="([^"]*/readiness#[^"]*)"', flag).group(1))

    page = client.get(readiness).get_data(as_text=True)
    assert markup.escape(UPCOMING_COHORT["name"]) in page
    ready, total = _counts(page)
    assert total == 20 and ready < total
    row = _row(page, REFUSED)
    assert "visa refused" in row and "table-danger" in row.split(">")[0]

    # One doctor's visa, recorded as applied for, shows as such on the page.
    other = _row(page, "Yerlan Bekov")
    visa_url = re.search(r'action="([^"]*/visa)"', other).group(1)
    path = readiness.split("#")[0]
    assert client.submit(visa_url, {"status": "applied"}, page=path).status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "visa applied for, not granted yet" in _row(page, "Yerlan Bekov")

    withdraw = re.search(r'href="([^"]*/withdraw)"', _row(page, REFUSED)).group(1)
    form = client.get(withdraw).get_data(as_text=True)
    assert REFUSED in form
    done = client.submit(withdraw, {"reason": "Visa refused by the embassy"}, follow_redirects=True)
    assert f"{REFUSED} is withdrawn." in done.get_data(as_text=True)

    home = client.get("/").get_data(as_text=True)
    assert queue_count(home, "travel-flags") == 0 and REFUSED not in home
    page = client.get(path).get_data(as_text=True)
    assert _counts(page) == (ready, total - 1) and REFUSED not in page
