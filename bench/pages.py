"""Every page at real scale on PostgreSQL: each page a user reaches from their role's navigation
(and the detail pages those lists link to), at three sizes of history, under gunicorn with
``wrk`` against hello world.

For each size it creates a database beside ``SOMET_BENCH_DATABASE_URL`` (``<name>_<size>``,
dropped afterwards; point it at a scratch name such as ``bench_pages``, never a database you
keep), migrates it with ``flask db upgrade`` and fills it with bulk inserts
(``bench/pages_data.py``):

- small: 100 doctors;
- real: 3,500 doctors in 175 cohorts over 17 years, ~3,300 certificates, 500 masterclasses,
  91,000 audit events, attendance, holidays and closures for every year; and what those years
  left behind (``bench/pages_history.py``, ``bench/pages_budget.py``): both evaluations of
  every completed placement (26,600, most answered, 96,000 answers, the departments' tallies;
  the bench cohort's latest still open), 9,600 follow-up surveys (3, 6 and 12 months, most
  answered), each host hospital's document requirements and 1,000 documents of the doctors of
  the last year's, the live and the coming cohorts (a few to review or rejected; the files
  are written too), invitations for the coming cohorts' doctors, and every cohort's exchange
  rates, six budget lines and 4,300 costs in all;
- large: 35,000 doctors, ten times real (the history in the same proportion).

The pages are derived, not chosen: for the doctor, coordinator, director and admin logins,
every entry of that role's navigation bar, then one page of each endpoint those pages link to
with an id (a cohort, a doctor, a hospital, a certificate ...) and one more level of those,
plus the public verification page and searches (a Cyrillic doctor search, a filtered audit
log); the director's pages are not measured again for the administrator. Each page is first
requested in process (must answer 200 HTML): its SQL statements are counted and its
in-process time taken (best of 7: other work on a shared machine only adds time). Then
gunicorn (2 workers, production settings, per-address rate limits off since all load comes
from one address) serves the database and ``wrk`` loads every page and hello world in
interleaved rounds with a rotating order, hello world again after every six pages. It prints,
per page and size, requests/s as a share of hello world's (each run against the hello runs
just before and after it; the median round, and the lowest and highest), p95 latency,
statements per request and in-process milliseconds, and the pages that miss the issue's 5 %
and 15 % targets; then per page the statements at each size and the growth largest ÷
smallest size of the in-process time. Bounded: about 15 minutes for all three sizes with the
defaults (2 rounds of 2 s per page) on an idle machine; building the large size is most of it.

    export SOMET_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_pages
    .venv/bin/python bench/pages.py                          # small, real, large
    .venv/bin/python bench/pages.py --sizes small,real
    .venv/bin/python bench/pages.py --sizes real --page "audit"   # pages whose name has "audit"
    .venv/bin/python bench/pages.py --list                   # print the pages found, no load
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, make_url, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages_data  # noqa: E402
from bench.web import (  # noqa: E402
    WRK_SCRIPT,
    free_port,
    log_in,
    request,
    server_environment,
    start_gunicorn,
    wrk,
)

SIZES = {"small": 100, "real": 3500, "large": 35000}
ROLES = ("doctor", "coordinator", "director", "admin")
# Links that are files or feeds, not pages (their cost is the PDF/zip/calendar, benched elsewhere)
NOT_PAGES = re.compile(
    r"download|pdf|inline|zip|ics|csv|export|letter|feed|logout|static|public_key|progress|"
    r"check_in_code"
)
HREF = re.compile(r'href="(/[^"#]*)"')
# Hello world is loaded again after every few pages, and each page is compared with the mean
# of the hello runs just before and after it: a shared machine that slows down or speeds up
# during a round (a round of every page takes minutes) then moves the page and its baseline
# alike, instead of one hello run per round standing for every page of that round.
HELLO = "hello world"
HELLO_EVERY = 6
# The targets: every page at least 5 % of hello world, these at least 15 %.
FLOOR, MUST_REACH = 0.05, 0.15


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,real,large")
    parser.add_argument("--page", default="", help="only pages whose name contains this")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--list", action="store_true", help="find the pages, load nothing")
    args = parser.parse_args()
    base_url = os.environ.get("SOMET_BENCH_DATABASE_URL", "")
    if not base_url.startswith("postgresql"):
        raise SystemExit("set SOMET_BENCH_DATABASE_URL=postgresql+psycopg://user@host/bench_pages")
    if make_url(base_url).database in ("test", "postgres", "somet"):
        raise SystemExit("SOMET_BENCH_DATABASE_URL must name a scratch database: it is dropped")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = set(sizes) - set(SIZES)
    if unknown:
        raise SystemExit(f"unknown sizes {sorted(unknown)}; choose from {list(SIZES)}")
    started = time.monotonic()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)")
    measured = {}
    for size in sizes:
        workdir = Path(tempfile.mkdtemp(prefix=f"somet-bench-pages-{size}-"))
        url = make_url(base_url).set(database=f"{make_url(base_url).database}_{size}")
        url = url.render_as_string(hide_password=False)
        try:
            measured[size] = run_size(size, url, workdir, args)
        finally:
            drop_database(url)
            shutil.rmtree(workdir, ignore_errors=True)
    growth_report(measured)
    print(f"total {time.monotonic() - started:.0f} s; load average now {os.getloadavg()[0]:.1f}")


def run_size(size: str, url: str, workdir: Path, args) -> dict:
    started = time.monotonic()
    create_database(url)
    env = {**server_environment(url, workdir), "BENCH_RATELIMIT_OFF": "1"}
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    logins = pages_data.build(url, SIZES[size], workdir)
    print(f"\n== {size}: {SIZES[size]:,} doctors, built in {time.monotonic() - started:.0f} s")
    pages, in_process = find_and_count_pages(url, workdir, logins, args.page)
    if args.list:
        for name, (path, who) in pages.items():
            statements, milliseconds = in_process[name]
            role = who or "public"
            print(f"{name[:47]:<48}{role:<12}{statements:>4}{milliseconds:>8.1f} ms  {path}")
        return {name: ([], in_process[name]) for name in pages}  # growth from in-process only
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    port = free_port()
    # A loaded machine can take a minute to start the workers against a large database.
    server = start_gunicorn(port, env, workdir / "gunicorn.log", wait=180)
    try:
        cookies = {who: log_in(port, logins[who], logins["password"]) for who in ROLES}
        for name, (path, who) in pages.items():
            status = request(port, "GET", path, cookies.get(who, ""))[0]
            if status != 200:
                raise SystemExit(f"{name} ({path}) answered {status} under gunicorn")
        results = run_rounds(port, pages, cookies, args, script)
    finally:
        server.terminate()
        server.wait(timeout=30)
    size_report(size, results, in_process)
    return {name: (results[name], in_process[name]) for name in pages}


def create_database(url: str) -> None:
    drop_database(url)
    with _server(url) as connection:
        connection.execute(text(f'CREATE DATABASE "{make_url(url).database}"'))


def drop_database(url: str) -> None:
    with _server(url) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))


class _server:
    """An autocommit connection to the server's maintenance database."""

    def __init__(self, url: str):
        self.engine = create_engine(
            make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT"
        )

    def __enter__(self):
        self.connection = self.engine.connect()
        return self.connection

    def __exit__(self, *exc):
        self.connection.close()
        self.engine.dispose()


def find_and_count_pages(url: str, workdir: Path, logins: dict, only: str):
    """The pages to load {name: (path, role)} and their in-process figures {name: (n, ms)}."""
    from flask import url_for

    from bench.web_app import build_app
    from somet.models import Role
    from somet.web.extensions import db
    from somet.web.navigation import nav_items_for

    os.environ["SOMET_DATABASE_URL"] = url
    os.environ["SOMET_INSTANCE_PATH"] = str(workdir)
    app = build_app("testing", {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        engine = db.engine
    adapter = app.url_map.bind("localhost")
    clients, pages = {}, {HELLO: ("/bench/hello", None)}
    measured: set[str] = set()  # endpoints already in ``pages``
    for who in ROLES:
        clients[who] = client = app.test_client()
        client.post("/login", data={"email": logins[who], "password": logins["password"]})
        with app.test_request_context():
            nav = [
                (item.endpoint, url_for(item.endpoint))
                for item in nav_items_for(Role(who))
                if item.endpoint in app.view_functions
            ]
        # An administrator sees the director's pages as the director does: measured once.
        skip = measured if who == "admin" else set()
        nav = [(endpoint, path) for endpoint, path in nav if endpoint not in skip]
        seen = {endpoint for endpoint, _ in nav} | skip
        level = list(nav)
        for _depth in range(2):  # the navigation's pages, then the pages their lists link to
            found = []
            for endpoint, path in level:
                pages[f"{who}: {endpoint}"] = (path, who)
                html = client.get(path).get_data(as_text=True)
                for link in HREF.findall(html):
                    link = link.replace("&amp;", "&")
                    try:
                        linked, arguments = adapter.match(link.split("?", 1)[0], method="GET")
                    except Exception:  # noqa: S112 - a link outside the app's pages
                        continue
                    if arguments and linked not in seen and not NOT_PAGES.search(linked + link):
                        seen.add(linked)
                        found.append((linked, link))
            level = found
        for endpoint, path in level:
            pages[f"{who}: {endpoint}"] = (path, who)
        if who == "director":
            measured |= {name.split(": ", 1)[1] for name, (_, r) in pages.items() if r == who}
    with app.test_request_context():
        pages.update({
            "public: verify.show_certificate": (
                url_for("verify.show_certificate", code=logins["verification_code"]), None),
            "director: doctors search (Cyrillic)": (
                url_for("cohorts.list_doctors", q="ерлан"), "director"),
            "admin: audit log by action": (
                url_for("audit.list_events", action="placement.confirmed"), "admin"),
            "director: alumni registry by name (Cyrillic) and year": (
                url_for("alumni.list_alumni", q="ерлан", year=_bench_cohort_year()), "director"),
        })  # fmt: skip
    if only:
        pages = {n: p for n, p in pages.items() if only in n or n == HELLO}
    figures = {}
    anonymous = app.test_client()
    for name, (path, who) in list(pages.items()):
        client = clients.get(who, anonymous)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.content_type:
            print(f"  skipped {name} ({path}): HTTP {response.status_code} {response.content_type}")
            del pages[name]
            continue
        figures[name] = _in_process(engine, client, path)
    return pages, figures


def _bench_cohort_year() -> int:
    """The year of the bench cohort (on its rotations today: pages_data starts it 7 days ago)."""
    return (date.today() - timedelta(days=7)).year


# As served: psycopg prepares a statement on its fifth run on a connection, and PostgreSQL
# plans a prepared statement afresh for its first five runs before it settles on a generic
# plan. A page opened twice would be timed with its planning, which a served page pays
# only on a new connection.
WARM_UP_REQUESTS = 12


def _in_process(engine, client, path: str) -> tuple[int, float]:
    """Statements of one request, and the best time of seven once warmed up as served, in
    this process (the best: other work on a shared machine only ever adds time)."""
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    client.get(path)
    event.remove(engine, "before_cursor_execute", count)
    for _ in range(WARM_UP_REQUESTS):
        client.get(path)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return len(statements), min(times)


def must_reach_15(name: str) -> bool:
    """The doctor's pages, the director's home and the public verification page."""
    return name.startswith("doctor: ") or name in (
        "director: home.index",
        "public: verify.show_certificate",
    )


def run_rounds(port, pages, cookies, args, script) -> dict[str, list]:
    """Per page, one run a round: (requests/s, p50, p95, errors, hello world's requests/s
    around it), in a rotating order."""
    results = {name: [] for name in pages}
    names = [name for name in pages if name != HELLO]

    def load(name):
        path, who = pages[name]
        return wrk(port, path, cookies.get(who, ""), args.seconds, args.connections, script)

    for name in pages:  # warm-up: templates compiled, connections opened in both workers
        for _ in range(4):
            request(port, "GET", pages[name][0], cookies.get(pages[name][1], ""))
    for round_number in range(args.rounds):
        shift = round_number * len(names) // max(args.rounds, 1)
        order = names[shift:] + names[:shift]
        before = load(HELLO)
        results[HELLO].append((*before, before[0]))
        for start in range(0, len(order), HELLO_EVERY):
            batch = [(name, load(name)) for name in order[start : start + HELLO_EVERY]]
            after = load(HELLO)
            results[HELLO].append((*after, after[0]))
            for name, run in batch:
                results[name].append((*run, (before[0] + after[0]) / 2))
            before = after
    return results


def size_report(size: str, results: dict, in_process: dict) -> None:
    print(f"{'page':<48}{'req/s':>7}{'vs hello':>9}{'range':>13}{'p95 ms':>8}{'stmts':>6}"
          f"{'in-proc ms':>11}{'errors':>7}")  # fmt: skip
    shares = {}
    for name, runs in results.items():
        ratios = [run[0] / run[4] for run in runs]
        shares[name] = statistics.median(ratios)
        spread = f"{min(ratios):.1%}–{max(ratios):.1%}" if name != HELLO else ""
        statements, milliseconds = in_process[name]
        print(
            f"{name[:47]:<48}{statistics.median(r[0] for r in runs):>7.0f}"
            f"{shares[name]:>9.1%}{spread:>13}{statistics.median(r[2] for r in runs):>8.1f}"
            f"{statements:>6}{milliseconds:>11.1f}{sum(r[3] for r in runs):>7}"
        )
    print(f"({size}: one run a round per page, each against the mean of the hello world runs "
          "just before and after it; 'vs hello' is the median round, 'range' the lowest and "
          "highest)")  # fmt: skip
    verdict(shares)


def verdict(shares: dict) -> None:
    """The issue's targets, on the median share of each page."""
    pages = {name: share for name, share in shares.items() if name != HELLO}
    below = sorted((share, name) for name, share in pages.items() if share < FLOOR)
    must = {name: share for name, share in pages.items() if must_reach_15(name)}
    short = sorted((share, name) for name, share in must.items() if share < MUST_REACH)
    print(f"below {FLOOR:.0%} of hello world: {len(below)} of {len(pages)} pages")
    for share, name in below:
        print(f"  {share:5.1%}  {name}")
    print(f"at least {MUST_REACH:.0%}: {len(must) - len(short)} of {len(must)} pages that must")
    for share, name in short:
        print(f"  {share:5.1%}  {name}")


def growth_report(measured: dict) -> None:
    sizes = [s for s in measured if measured[s]]
    if len(sizes) < 2:
        return
    first, last = sizes[0], sizes[-1]
    print(f"\n== growth {last} ÷ {first}")
    print(f"{'page':<48}" + "".join(f"{'stmts ' + s:>13}" for s in sizes) + f"{'in-proc':>9}")
    for name in measured[first]:
        if not all(name in measured[s] for s in sizes):
            continue
        counts = [measured[s][name][1][0] for s in sizes]
        growth = measured[last][name][1][1] / measured[first][name][1][1]
        flag = "" if len(set(counts)) == 1 and growth <= 1.3 else "  <-"
        print(f"{name[:47]:<48}" + "".join(f"{c:>13}" for c in counts) + f"{growth:>8.2f}x{flag}")


if __name__ == "__main__":
    main()
