"""The pure core imports neither Flask nor the database: each module, in a fresh interpreter.

Scheduling, completion and certificate rules, roster parsing, lifecycle and readiness rules,
document rules, working days and localisation take plain data and return values; they must
stay importable (and runnable) without the web app, so they can be read, tested and
benchmarked on their own.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scheduling_data import contract_example

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("flask", "flask_babel", "sqlalchemy", "weasyprint", "somet.models", "somet.app")
PURE_MODULES = (
    "somet.scheduling",
    "somet.certificates.core.completion",
    "somet.certificates.core.payload",
    "somet.certificates.core.signing",
    "somet.certificates.core.wording",
    "somet.certificates.core.base45",
    "somet.certificates.core.check_codes",
    "somet.certificates.core.keyset",
    "somet.certificates.core.offline",
    "somet.certificates.core.badges",
    "somet.cohorts.rules.lifecycle",
    "somet.cohorts.rules.readiness",
    "somet.cohorts.rules.roster",
    "somet.cohorts.roster_files",
    "somet.documents.rules",
    "somet.attendance.rules",
    "somet.alumni.rules",
    "somet.masterclasses.rules",
    "somet.evaluations.rules",
    "somet.planning.rules.held_capacity",
    "somet.planning.rules.partial_plans",
    "somet.planning.rules.timeline",
    "somet.core.localisation",
    "somet.core.workdays",
    "somet.core.statuses",
    "somet.core.follow_up_months",
    "somet.followup.rules",
    "somet.reports.rules",
    "somet.reports.charts",
    "somet.webhooks.rules",
    "somet.core.retries",
    "somet.core.spreadsheets",
    "somet.travel.readiness",
    "somet.travel.rules",
    "somet.travel.itinerary_files",
    "somet.budget.rules.money",
    "somet.budget.rules.summary",
    "somet.api.rules",
)
CHECK = """
import sys
loaded = [m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in {forbidden!r})]
assert not loaded, loaded
"""


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_module_imports_neither_flask_nor_the_database(module):
    done = _run(f"import {module}\n" + CHECK.format(forbidden=FORBIDDEN))
    assert done.returncode == 0, done.stderr


def test_the_solver_solves_the_contract_example_without_the_web_app():
    code = f"""
import json
from somet.scheduling import check_schedule, load_instance, solve
instance = load_instance(json.loads({json.dumps(contract_example())!r}))
result = solve(instance, time_limit=5)
assert result.status == "OPTIMAL" and not check_schedule(instance, result.placements)
""" + CHECK.format(forbidden=FORBIDDEN)
    done = _run(code)
    assert done.returncode == 0, done.stderr


def test_the_check_itself_notices_a_module_that_pulls_in_flask():
    done = _run("import somet.app\n" + CHECK.format(forbidden=FORBIDDEN))
    assert done.returncode != 0 and "flask" in done.stderr
