"""Robustness over the whole demo: every reachable page as every role, and every form fuzzed.

The crawl follows the links a person can click from the home page (never a POST), and
checks that browsing wrote nothing to the database; the fuzz
posts each data-entry form found on the way with empty, oversized, wrong-type and
script-bearing values. Neither may ever produce a 500, and rejected input saves nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from somet.demo.data import DEMO_PASSWORD
from somet.demo.loader import DEMO_LOGINS, load_demo
from somet.models import Base
from somet.web.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
MAX_PAGES_PER_ROLE = 400
# Pages of one kind (one endpoint) differ only in their data: a few of each cover the code.
MAX_PAGES_PER_ENDPOINT = 3
# Links that end the session or leave the HTML part of the app; the crawl does not follow them.
NOT_CRAWLED = ("/logout", "/static/")
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
TEXT_INPUTS = {
    "text",
    "email",
    "number",
    "date",
    "datetime-local",
    "time",
    "tel",
    "url",
    "search",
    "textarea",
    "password",
}


class PageParser(HTMLParser):
    """Collects links and forms (with their fields) from one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
                "types": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select"):
            name = attrs.get("name")
            if not name:
                return
            kind = "textarea" if tag == "textarea" else attrs.get("type", "text")
            kind = "select" if tag == "select" else kind
            self._form["types"][name] = kind
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["fields"].setdefault(name, attrs.get("value", ""))
            self._select = name if tag == "select" else None
        elif (
            tag == "option"
            and self._select
            and self._form is not None
            and not self._form["fields"].get(self._select)
        ):
            self._form["fields"][self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _fingerprint() -> str:
    """A digest of every row of every table: any write shows."""
    digest = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table).order_by(*table.primary_key.columns)):
            digest.update(repr(tuple(row)).encode())
    db.session.commit()
    return digest.hexdigest()


def _row_count() -> int:
    """Rows in all tables together, in one statement (it runs around every fuzzed post)."""
    counts = [
        select(func.count()).select_from(table).scalar_subquery()
        for table in Base.metadata.sorted_tables
    ]
    total = db.session.scalar(select(sum(counts[1:], counts[0])))
    db.session.commit()
    return total


def _same_site(base: str, href: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != "somet.test":
        return None
    path = parts.path if parts.path.startswith("/") else None
    if path is None or path.startswith(NOT_CRAWLED):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _endpoint(adapter, url: str, method: str = "GET") -> str:
    try:
        return adapter.match(urlsplit(url).path, method=method)[0]
    except HTTPException:
        return url


def _crawl(client, adapter) -> tuple[dict[str, int], list[tuple[str, dict]]]:
    seen: dict[str, int] = {}
    per_endpoint: Counter = Counter()
    forms: dict[tuple[str, tuple], tuple[str, dict]] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        endpoint = _endpoint(adapter, url)
        if url in seen or per_endpoint[endpoint] >= MAX_PAGES_PER_ENDPOINT:
            continue
        per_endpoint[endpoint] += 1
        response = client.get(url)
        seen[url] = response.status_code
        if "text/html" not in response.content_type:
            continue
        parser = PageParser()
        parser.feed(response.get_data(as_text=True))
        for href in parser.links:
            target = _same_site(url, href)
            if target and target not in seen:
                queue.append(target)
        for form in parser.forms:
            action = _same_site(url, form["action"] or url)
            if form["method"] == "post" and action and not action.startswith("/language"):
                kind = _endpoint(adapter, action, method="POST")
                if sum(1 for key in forms if key[0] == kind) < MAX_PAGES_PER_ENDPOINT:
                    forms.setdefault((kind, tuple(sorted(form["types"]))), (action, form))
    return seen, list(forms.values())


def _variants(form: dict) -> list[tuple[str, dict]]:
    editable = [n for n, kind in form["types"].items() if kind in TEXT_INPUTS | {"select"}]
    out = []
    for label, value in (("empty", ""), ("oversized", "x" * 20_000), ("wrong-type", "not-a-n")):
        data = dict(form["fields"])
        for name in editable:
            data[name] = value
        out.append((label, data))
    scripted = dict(form["fields"])
    for name in editable:
        if form["types"][name] in ("text", "textarea"):
            scripted[name] = SCRIPT
    out.append(("script", scripted))
    return out


def _fuzz(client, forms) -> tuple[int, list[str]]:
    posted, problems = 0, []
    for action, form in forms:
        if not any(kind in TEXT_INPUTS for kind in form["types"].values()):
            continue  # an action button (send, confirm, log out), not a data-entry form
        after = _row_count()
        for label, data in _variants(form):
            before = after
            response = client.post(action, data=data)
            posted += 1
            after = _row_count()
            if response.status_code >= 500:
                problems.append(f"{label} POST {action}: {response.status_code}")
            elif label != "script" and after != before and response.status_code != 302:
                problems.append(f"{label} POST {action}: saved rows on a rejected form")
            body = response.get_data(as_text=True)
            if label == "script" and SCRIPT in body:
                problems.append(f"script POST {action}: the value came back unescaped")
    return posted, problems


@pytest.mark.slow
def test_every_demo_page_and_form_as_every_role_answers_without_a_server_error(app):
    load_demo()
    report, problems = {}, []
    for email, _what in DEMO_LOGINS:
        client = app.test_client()
        response = client.submit(
            "/login", {"email": email, "password": DEMO_PASSWORD}, page="/login"
        )
        assert response.status_code == 302, email
        before = _fingerprint()
        pages, forms = _crawl(client, app.url_map.bind("somet.test"))
        if _fingerprint() != before:
            problems.append(f"{email}: browsing with GET changed the database")
        errors = [f"{email} GET {url}: {code}" for url, code in pages.items() if code >= 500]
        posted, fuzz_problems = _fuzz(client, forms)
        problems += errors + [f"{email} {p}" for p in fuzz_problems]
        report[email] = {"pages": len(pages), "forms": len(forms), "posts": posted}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "crawl.json").write_text(json.dumps(report, indent=2))
    print("crawl:", json.dumps(report))
    assert not problems, "\n".join(problems)
    assert all(entry["pages"] >= 2 for entry in report.values()), report
