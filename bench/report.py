"""The funder's report at real scale: 3,500 doctors in 175 cohorts over 17 years, every
completed placement evaluated both ways, every completed enrollment followed up at 3, 6 and
12 months, all for one sponsor; the report over the whole history (page, PDF, XLSX) and the
dashboard against the cohort page (``/cohorts/<id>``), and the SQL statements of each at a
small and the real size (they must be equal: the report aggregates in SQL).

The centre is written with bulk inserts (``bench/pages_data.py``, then the outcomes by
``bench/report_data.py``) into a freshly migrated database: a temporary SQLite file by
default, or a scratch PostgreSQL database beside ``SOMET_BENCH_DATABASE_URL`` (created and
dropped, like bench/pages.py). Times are in process (Flask's test client, best of
``--repeat``: other work on a shared machine only adds time). About a minute on SQLite.

    .venv/bin/python bench/report.py
    .venv/bin/python bench/report.py --sizes 100,3500 --repeat 5
    SOMET_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_report \\
        .venv/bin/python bench/report.py
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import event, make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages_data, report_data  # noqa: E402

SPONSOR = "Abay Health Department"  # every bench cohort's sponsor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,3500", help="doctors, small then real")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base_url = os.environ.get("SOMET_BENCH_DATABASE_URL", "")
    if base_url and make_url(base_url).database in ("test", "postgres", "somet"):
        raise SystemExit("SOMET_BENCH_DATABASE_URL must name a scratch database: it is dropped")
    started = time.monotonic()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine)")
    results = {}
    for doctors in sizes:
        workdir = Path(tempfile.mkdtemp(prefix=f"somet-bench-report-{doctors}-"))
        url = _database(base_url, workdir, doctors)
        try:
            results[doctors] = run_size(doctors, url, workdir, args.repeat)
        finally:
            if base_url:
                from bench.pages import drop_database

                drop_database(url)
            shutil.rmtree(workdir, ignore_errors=True)
    equal = _statements_report(results)
    print(f"total {time.monotonic() - started:.0f} s; load average now {os.getloadavg()[0]:.1f}")
    if not equal:
        raise SystemExit("statements differ between sizes: a section queries per row")


def _database(base_url: str, workdir: Path, doctors: int) -> str:
    if not base_url:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    from bench.pages import create_database

    url = make_url(base_url).set(database=f"{make_url(base_url).database}_{doctors}")
    url = url.render_as_string(hide_password=False)
    create_database(url)
    return url


def run_size(doctors: int, url: str, workdir: Path, repeat: int) -> dict:
    started = time.monotonic()
    env = {**os.environ, "SOMET_DATABASE_URL": url, "SOMET_INSTANCE_PATH": str(workdir)}
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    logins = pages_data.build(url, doctors, workdir, history=False)  # report_data adds outcomes
    outcomes = report_data.build(url)
    print(
        f"\n== {doctors:,} doctors, {outcomes['evaluations']:,} evaluations "
        f"({outcomes['answers']:,} answers), {outcomes['surveys']:,} follow-ups; "
        f"built in {time.monotonic() - started:.0f} s ({make_url(url).get_backend_name()})"
    )
    pages = {
        "cohort page": f"/cohorts/{logins['cohort_id']}",
        "report page": "/reports/funder?" + urlencode({"sponsor": SPONSOR}),
        "report PDF": "/reports/funder.pdf?" + urlencode({"sponsor": SPONSOR}),
        "report XLSX": "/reports/funder.xlsx?" + urlencode({"sponsor": SPONSOR}),
        "dashboard": "/reports/dashboard",
    }
    figures = measure(url, workdir, logins, pages, repeat)
    base = figures["cohort page"][1]
    print(f"{'page':<16}{'stmts':>7}{'best ms':>10}{'vs cohort page':>16}")
    for name, (statements, milliseconds) in figures.items():
        print(f"{name:<16}{statements:>7}{milliseconds:>10.1f}{milliseconds / base:>15.1f}x")
    return figures


def measure(url: str, workdir: Path, logins: dict, pages: dict, repeat: int) -> dict:
    """Statements of one request and the best time of ``repeat``, per page, in this process."""
    os.environ["SOMET_DATABASE_URL"] = url
    os.environ["SOMET_INSTANCE_PATH"] = str(workdir)
    from bench.web_app import build_app
    from somet.web.extensions import db

    app = build_app("testing", {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"email": logins["director"], "password": logins["password"]})
    figures = {}
    for name, path in pages.items():
        response = client.get(path)  # warm: templates, fonts, the connection
        if response.status_code != 200:
            raise SystemExit(f"{name} ({path}) answered {response.status_code}")
        statements: list[int] = []

        def count(*_args, statements=statements):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        client.get(path)
        event.remove(engine, "before_cursor_execute", count)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        figures[name] = (len(statements), min(times))
    with app.app_context():
        db.engine.dispose()
    return figures


def _statements_report(results: dict) -> bool:
    sizes = list(results)
    print("\n== statements per request at each size (must be equal)")
    print(f"{'page':<16}" + "".join(f"{f'{s:,} doctors':>16}" for s in sizes))
    equal = True
    for name in results[sizes[0]]:
        counts = [results[s][name][0] for s in sizes]
        same = len(set(counts)) == 1
        equal = equal and (same or name == "cohort page")
        flag = "" if same else "  <- differs"
        print(f"{name:<16}" + "".join(f"{c:>16}" for c in counts) + flag)
    return equal


if __name__ == "__main__":
    main()
