"""Journey: the demo centre loaded by ``flask demo``, then a director, over HTTP only, opens the
registry from the menu, narrows it to last year's cohort, searches a name in Cyrillic, opens a
doctor's history, follows its certificate's verification link and exports the filtered list."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from somet.demo.data import DEMO_PASSWORD, PAST_COHORT

ROW = re.compile(r'<a href="(/alumni/\d+)">([^<]+)</a>')


def test_director_walks_the_alumni_registry_of_the_demo_centre(runner, client):
    loaded = runner.invoke(args=["demo"])
    assert loaded.exit_code == 0, loaded.output
    client.submit("/login", {"email": "director@example.org", "password": DEMO_PASSWORD},
                  page="/login")  # fmt: skip

    home = client.get("/").get_data(as_text=True)
    assert 'href="/alumni"' in home
    everyone = client.get("/alumni").get_data(as_text=True)
    total = int(re.search(r"(\d+) doctors match", everyone).group(1))
    assert total >= 20

    year = PAST_COHORT["start_date"].year
    last_year = client.get(f"/alumni?year={year}").get_data(as_text=True)
    past = ROW.findall(last_year)
    assert 0 < len(past) < total
    assert f'<option selected value="{year}">' in last_year

    found = ROW.findall(client.get("/alumni?q=ерлан").get_data(as_text=True))
    assert [name for _link, name in found] == ["Yerlan Bekov"]

    link, name = past[0]
    history = client.get(link).get_data(as_text=True)
    assert name in history and PAST_COHORT["name"] in history
    verify = re.search(r'href="(/verify/[^"]+)"', history)
    assert verify, "a doctor of the completed cohort holds a certificate"
    assert client.get(verify.group(1)).status_code == 200

    export_link = re.search(r'href="(/alumni/export\.xlsx\?[^"]+)"', last_year).group(1)
    exported = client.get(export_link.replace("&amp;", "&"))
    book = load_workbook(io.BytesIO(exported.data), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))[1:]
    assert [row[0] for row in rows] == [name for _link, name in past]
    certified = [row for row in rows if row[9]]
    assert certified and all(str(year) in row[5] and row[8] > 0 for row in certified)
