"""Journey: after `flask demo`, the director opens the dashboard and the report for the demo
sponsor, chooses a doctor's words as a quote, and downloads the report as PDF and XLSX. Only
HTTP and the CLI: no factories."""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pypdf

from somet.demo.data import DEMO_PASSWORD

SPONSOR = "Health Department of the Abay Region"


def _years_on(page: str) -> list[str]:
    start = page.index('id="section-trained"')
    return re.findall(r'data-label="Year">(\d{4})<', page[start : page.index("</table>", start)])


def test_director_reports_to_the_demo_sponsor_with_a_chosen_quote(app, client, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    response = client.submit(
        "/login", {"email": "director@example.org", "password": DEMO_PASSWORD}, page="/login"
    )
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert 'href="/reports/dashboard"' in home  # in the director's menu

    dashboard = client.get("/reports/dashboard").get_data(as_text=True)
    assert {"2019", "2021", "2023", "2025"} <= set(_years_on(dashboard))  # years of history

    report = client.get("/reports/funder", query_string={"sponsor": SPONSOR})
    assert report.status_code == 200
    page = report.get_data(as_text=True)
    listed = page[page.index("<details") : page.index("</details>")]
    for cohort in ("anaesthesiology 2019", "surgery 2021", "cardiology 2023"):
        assert f"Abay region — {cohort}" in listed
    assert "Turkistan region" not in listed  # another sponsor's cohort
    assert "No quotes chosen yet." in page

    quotes_link = re.search(r'href="(/reports/funder/quotes\?[^"]+)"', page).group(1)
    quotes = client.get(html.unescape(quotes_link)).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/reports/funder/quotes".*?</form>', quotes, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0)))
    words = html.unescape(re.search(r'<td data-label="Words">(.*?)</td>', quotes).group(1))
    assert fields["chosen"] == "1" and fields["sponsor"] == SPONSOR
    chosen = client.post("/reports/funder/quotes", data=fields)
    assert chosen.status_code == 302
    assert "Chosen" in client.get(chosen.headers["Location"]).get_data(as_text=True)

    page = client.get("/reports/funder", query_string={"sponsor": SPONSOR}).get_data(as_text=True)
    assert html.escape(words, quote=False) in page
    trained = re.search(r">Doctors trained</td>\s*<td[^>]*>(\d+)<", page).group(1)

    links = dict(re.findall(r'href="(/reports/funder\.(pdf|xlsx)\?[^"]+)"', page))
    by_kind = {kind: html.unescape(link) for link, kind in links.items()}
    pdf = client.get(by_kind["pdf"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))
    assert f"Doctors trained {trained}" in text and re.sub(r"\s+", " ", words) in text

    xlsx = client.get(by_kind["xlsx"])
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert ["Doctors trained", int(trained)] in [list(r) for r in book.worksheets[0].values]
    assert words in [row[0] for row in book.worksheets[-1].values]
