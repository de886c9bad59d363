"""Journey from the demo, over HTTP, no factories: the director's home counts the upcoming
cohort's doctors not ready to travel; the checklist it links to lists as many; the director
files a doctor's missing documents one by one and accepts them. A passport valid only until
the cohort starts does not make the doctor ready (it must last through departure); once every
required document is accepted and valid, the home counts one doctor fewer and the checklist
one more ready."""

from __future__ import annotations

import html as markup
import io
import re
from datetime import timedelta

from sqlalchemy import select

from somet.demo.data import DEMO_PASSWORD, UPCOMING_COHORT
from somet.demo.documents import tiny_pdf
from somet.models import User
from somet.web.extensions import db
from tests.conftest import login_as

EXPIRING = {"passport", "visa", "medical_licence", "insurance"}  # the form asks their date
NOT_READY = '<span class="badge text-bg-secondary"'


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _home_count(client) -> tuple[str, int]:
    """The upcoming cohort's entry in the home's "not ready" queue: its link and count."""
    queue = _page(client, "/").split('id="queue-not-ready"')[1].split("</section>")[0]
    for item in queue.split('class="list-group-item')[1:]:
        if markup.escape(UPCOMING_COHORT["name"]) in item:
            link = re.search(r'href="([^"]+)"', item).group(1)
            return markup.unescape(link), int(re.search(r"text-bg-secondary\">(\d+)<", item)[1])
    return "", 0


def _checklist(client, link: str) -> tuple[int, int, list[str]]:
    """Ready and total doctors the checklist states, and its rows not ready."""
    page = _page(client, link)
    ready, total = map(int, re.search(r"(\d+) of (\d+) doctors ready to travel", page).groups())
    rows = [row for row in page.split("<tbody>")[1].split("<tr>")[1:] if NOT_READY in row]
    return ready, total, rows


def _missing(client, link: str, doctor_id: str) -> list[str]:
    """The kinds of the doctor's row on the checklist whose document is not accepted (the
    columns' names read back to kinds through the page's own kind filter), on the whole list."""
    page = _page(client, link.split("?")[0])
    choices = page.split('name="kind"')[1].split("</select>")[0]
    kinds = {label: value for value, label in re.findall(r'value="(\w+)">([^<]+)<', choices)}
    header = page.split("<thead>")[1].split("</thead>")[0]
    columns = [kinds[label.strip()] for label in re.findall(r'<th title="[^"]*">([^<]+)', header)]
    row = next(r for r in page.split("<tbody>")[1].split("<tr>") if f"/doctors/{doctor_id}/" in r)
    states = re.findall(r'<span class="badge [^"]*">([^<]+)</span>', row.split("</td>", 2)[2])
    return [kind for kind, state in zip(columns, states, strict=True) if state != "Accepted"]


def _file(client, upload: str, kind: str, valid_until: str) -> None:
    data = {"kind": kind, "valid_until": valid_until}
    data["file"] = (io.BytesIO(tiny_pdf(f"{kind} scan")), f"{kind}.pdf", "application/pdf")
    filed = client.submit(upload, data, content_type="multipart/form-data")
    assert filed.status_code == 302, filed.get_data(as_text=True)
    document = filed.headers["Location"]
    assert client.submit(f"{document}/accept", {}, page=document).status_code == 302


def test_the_director_files_a_doctors_documents_until_the_home_counts_one_fewer(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    client = app.test_client()
    director = db.session.scalar(select(User).where(User.email == "director@example.org"))
    login_as(client, director, DEMO_PASSWORD)

    link, counted = _home_count(client)
    ready, total, rows = _checklist(client, link)
    assert counted == len(rows) == total - ready > 0  # the home and the checklist agree

    upload = markup.unescape(re.search(r'href="([^"]*/upload\?cohort=\d+)"', rows[0]).group(1))
    doctor_id = re.search(r"/doctors/(\d+)/", upload).group(1)
    missing = _missing(client, link, doctor_id)
    assert "passport" in missing and len(missing) > 1
    departure = UPCOMING_COHORT["end_date"]
    lasting = (departure + timedelta(days=400)).isoformat()
    for kind in missing:  # everything but the passport, accepted and valid
        if kind != "passport":
            _file(client, upload, kind, lasting if kind in EXPIRING else "")
    assert _missing(client, link, doctor_id) == ["passport"]

    # A passport valid until the day before departure is accepted, but does not last the trip.
    _file(client, upload, "passport", (departure - timedelta(days=1)).isoformat())
    row = next(r for r in _checklist(client, link)[2] if f"/doctors/{doctor_id}/" in r)
    assert "Expires before departure" in row
    assert _home_count(client)[1] == counted

    _file(client, upload, "passport", lasting)
    assert _missing(client, link, doctor_id) == []
    assert _home_count(client)[1] == counted - 1
    assert _checklist(client, link)[:2] == (ready + 1, total)
