"""Page speed under gunicorn: the doctor's home, the masterclass list and the cohort timeline
against a hello-world route of the same app, on a demo centre of 1,000 doctors in 50 cohorts.

It builds the database (bulk inserts into a temporary SQLite file), starts gunicorn with 2
workers on a free loopback port, logs in, checks every page answers 200 with its content,
then loads each page with ``wrk`` (Debian package ``wrk``) in interleaved rounds and prints
the medians: requests per second, p50/p95 latency, and the ratios to hello world. It also
counts the SQL statements of each page in-process (the suite's query-count tests pin that
they do not grow with the doctors). No page caches its rendered HTML: every request reads
its data and draws its template. Bounded: about two minutes.

    .venv/bin/python bench/web.py [--rounds 3] [--seconds 5] [--connections 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import web_data  # noqa: E402

# Flask-Login's "strong" session protection ties a session to the client's user agent.
HEADERS = {"User-Agent": "somet-bench", "X-Forwarded-Proto": "https"}  # as behind the TLS proxy
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port: int, method: str, path: str, cookie: str = "", body: str = ""):
    """One HTTP request; returns (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    if body:  # a form post, as a browser sends it over HTTPS (CSRF checks the referrer)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"https://127.0.0.1:{port}{path}"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, response.getheaders(), text


def session_cookie(headers) -> str:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return ""


def csrf_token_in(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def log_in(port: int, email: str, password: str) -> str:
    """Log in through the real form; returns the ``session=...`` cookie."""
    _, headers, html = request(port, "GET", "/login")
    body = urlencode({"csrf_token": csrf_token_in(html), "email": email, "password": password})
    status, headers, text = request(port, "POST", "/login", session_cookie(headers), body)
    cookie = session_cookie(headers)
    if status != 302 or not cookie:
        raise SystemExit(f"login as {email} failed ({status}): {text[text.find('<main') :][:400]}")
    # The first page after logging in adds the CSRF token to the session; a browser keeps
    # the updated cookie, so the load generator must too (or every request re-issues it).
    _, headers, _ = request(port, "GET", "/", cookie)
    return session_cookie(headers) or cookie


def start_gunicorn(port: int, env: dict, log: Path, wait: float = 30) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
        "--chdir", str(ROOT), "--error-logfile", str(log), "bench.web_app:build_app()",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/bench/hello")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def wrk(port: int, path: str, cookie: str, seconds: int, connections: int, script: Path):
    """Requests per second, p50 and p95 in milliseconds, and errors, for one run."""
    # A 10 s timeout: on a loaded machine a slow page is measured, not counted as an error.
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    for name, value in {**HEADERS, **({"Cookie": cookie} if cookie else {})}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    requests, duration, p50, p95, errors = map(
        int, re.search(r"RESULT (.*)", output).group(1).split()
    )
    return requests / (duration / 1e6), p50 / 1000, p95 / 1000, errors


def count_queries(url: str, pages: dict, logins: dict) -> dict[str, int | str]:
    """SQL statements per page, in-process against the same database (second request)."""
    from sqlalchemy import event

    from bench.web_app import build_app
    from somet.web.extensions import db

    os.environ["SOMET_DATABASE_URL"] = url
    app = build_app("testing", {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        engine = db.engine
    counts: dict[str, int | str] = {}
    # Requests run outside any app context of ours: each gets its own, as under gunicorn.
    for name, (path, who) in pages.items():
        client = app.test_client()
        if who:
            client.post("/login", data={"email": logins[who], "password": web_data.PASSWORD})
        client.get(path)
        statements: list[str] = []
        listener = _collector(statements)
        event.listen(engine, "before_cursor_execute", listener)
        status = client.get(path).status_code
        event.remove(engine, "before_cursor_execute", listener)
        counts[name] = len(statements) if status == 200 else f"HTTP {status}"
    return counts


def _collector(statements: list[str]):
    def before(conn, cursor, statement, *args):
        statements.append(statement)

    return before


def pick_pages(url: str, cohort_id: int) -> tuple[dict, str]:
    """The pages to load: (path, who logs in); the timeline if the planning feature is there."""
    from somet import create_app

    os.environ["SOMET_DATABASE_URL"] = url
    app = create_app("testing")
    with app.test_request_context():
        from flask import url_for

        if "planning.show_timeline" in app.view_functions:
            timeline = url_for("planning.show_timeline", cohort_id=cohort_id)
            note = "cohort timeline: planning.show_timeline"
        elif "cohorts.show_cohort" in app.view_functions:
            timeline = url_for("cohorts.show_cohort", cohort_id=cohort_id)
            note = "planning.show_timeline missing: the cohort overview instead"
        else:
            timeline, note = None, "no cohort timeline or overview page exists yet: skipped"
    pages = {
        "hello world": ("/bench/hello", None),
        "doctor's home": ("/", "doctor"),
        "masterclass list": ("/masterclasses", "doctor"),
    }
    if timeline:
        pages["cohort timeline"] = (timeline, "director")
    return pages, note


def check_pages(port: int, pages: dict, cookies: dict) -> None:
    markers = {"doctor's home": "Today", "masterclass list": "Places left"}
    for name, (path, who) in pages.items():
        status, _, html = request(port, "GET", path, cookies.get(who, ""))
        if status != 200 or markers.get(name, "") not in html:
            raise SystemExit(f"{name} ({path}) answered {status} without its content")


def run_rounds(port, pages, cookies, args, script) -> dict[str, list]:
    results = {name: [] for name in pages}
    names = list(pages)
    for name in names:  # warm-up: first requests compile templates and fill caches
        wrk(port, pages[name][0], cookies.get(pages[name][1], ""), 1, args.connections, script)
    for round_number in range(args.rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:  # interleaved, in a rotating order
            path, who = pages[name]
            results[name].append(
                wrk(port, path, cookies.get(who, ""), args.seconds, args.connections, script)
            )
    return results


def report(results: dict, queries: dict, note: str) -> None:
    hello = results["hello world"]
    print(f"{'page':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'vs hello':>10}"
          f"{'p95 x hello':>13}{'errors':>8}{'queries':>9}")  # fmt: skip
    for name, runs in results.items():
        ratios = [run[0] / base[0] for run, base in zip(runs, hello, strict=True)]
        p95_ratios = [run[2] / base[2] for run, base in zip(runs, hello, strict=True)]
        print(
            f"{name:<18}{statistics.median(r[0] for r in runs):>9.0f}"
            f"{statistics.median(r[1] for r in runs):>9.2f}"
            f"{statistics.median(r[2] for r in runs):>9.2f}"
            f"{statistics.median(ratios):>9.0%} {statistics.median(p95_ratios):>11.1f}x"
            f"{sum(r[3] for r in runs):>8}{queries.get(name, 0):>9}"
        )
    print(f"({note}; medians of interleaved runs; ratios are per round, then the median)")


def server_environment(url: str, workdir: Path) -> dict:
    """Production settings, as deployed (a TLS proxy in front: see HEADERS)."""
    return {
        **os.environ,
        "SOMET_ENV": "production",
        "SOMET_SECRET_KEY": secrets.token_urlsafe(48),
        "SOMET_DATABASE_URL": url,
        "SOMET_INSTANCE_PATH": str(workdir),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="somet-bench-web-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> None:
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    started = time.monotonic()
    logins = web_data.build(url)
    print(f"demo database: 1,000 doctors, 50 cohorts ({time.monotonic() - started:.1f} s)")
    pages, note = pick_pages(url, logins["cohort_id"])
    accounts = {"doctor": logins["doctor_email"], "director": logins["director_email"]}
    queries = count_queries(url, pages, accounts)
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    port = free_port()
    server = start_gunicorn(port, server_environment(url, workdir), workdir / "gunicorn.log")
    try:
        cookies = {who: log_in(port, email, logins["password"]) for who, email in accounts.items()}
        check_pages(port, pages, cookies)
        results = run_rounds(port, pages, cookies, args, script)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(results, queries, note)


if __name__ == "__main__":
    main()
