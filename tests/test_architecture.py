"""The layout holds (DESIGN §4): pure rules stay pure, features meet only through their
operations and queries, and nothing registers itself as a side effect of being imported.

These read the source (``ast``) or import it in a fresh interpreter; the last one starts
``flask jobs list`` in a fresh process, where only ``create_app`` can have registered the jobs.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from somet.jobs.registry import scheduled_jobs

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "somet"
FEATURES = frozenset(
    {
        "accounts",
        "alumni",
        "api",
        "hospitals",
        "cohorts",
        "planning",
        "requests",
        "attendance",
        "masterclasses",
        "portal",
        "documents",
        "evaluations",
        "certificates",
        "notifications",
        "jobs",
        "audit",
        "ops",
        "followup",
        "reports",
        "webhooks",
        "travel",
        "budget",
    }
)
# What a feature may import of another feature.
PUBLIC_MODULES = ("operations", "queries")
# Registries a feature's register(app) fills (and only there).
REGISTRIES = ("somet.jobs.registry", "somet.notifications.reminders")
# The demo loader is no feature of its own, but it is held to the same rule as one.
CONSUMERS = FEATURES | {"demo"}
# Calls that put something in a registry: only ever from a function (register, create_app).
REGISTRATION_CALLS = frozenset(
    {
        "add_nav_item",
        "register_scope",
        "register_scheduled_job",
        "register_one_off_job",
        "register_reminder_source",
        "register_blueprint",
        "add_command",
        "one_off_job",
        "register_auto_issue",
        "listens_for",
        "listen",
    }
)


def _python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# --- (a) pure modules -----------------------------------------------------------------------


def _pure_modules() -> list[str]:
    paths = [p for p in _python_files() if p.name == "rules.py" or p.parent.name == "rules"]
    for folder in ("core", "scheduling", "certificates/core"):
        paths += sorted((PACKAGE / folder).glob("*.py"))
    return sorted({_module_name(path) for path in paths})


IMPORT_EACH = """
import importlib, sys
FORBIDDEN = ("flask", "sqlalchemy")
def forbidden():
    return {m for m in sys.modules if m.split(".")[0] in FORBIDDEN}
for module in sys.argv[1:]:
    importlib.import_module(module)
    if forbidden():
        print(module, "imported", sorted(forbidden())[:5])
        sys.exit(1)
"""


def _import_in_fresh_interpreter(modules: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, *modules],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
    )


def test_rules_and_the_pure_core_import_neither_flask_nor_sqlalchemy():
    modules = _pure_modules()
    assert "somet.cohorts.rules.lifecycle" in modules and "somet.core.workdays" in modules
    done = _import_in_fresh_interpreter(modules)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_purity_check_notices_a_module_that_pulls_in_flask():
    done = _import_in_fresh_interpreter(["somet.core.workdays", "somet.web.navigation"])
    assert done.returncode == 1 and "somet.web.navigation imported" in done.stdout


# --- (b) features meet through operations and queries ---------------------------------------


def _imports(tree: ast.Module, module: str):
    """(line, imported module, inside a function named register) for every import."""

    def visit(node: ast.AST, in_register: bool):
        for child in ast.iter_child_nodes(node):
            inside = in_register or (
                isinstance(child, ast.FunctionDef) and child.name == "register"
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child.lineno, alias.name, inside
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(child, module)
                for alias in child.names:
                    # ``from somet.x import y``: y may be a module (somet.x.y) or a name in x.
                    yield child.lineno, f"{base}.{alias.name}", inside
            yield from visit(child, inside)

    yield from visit(tree, False)


def _absolute(node: ast.ImportFrom, module: str) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")[: -node.level]
    return ".".join(package + ([node.module] if node.module else []))


def _violation(feature: str, imported: str, in_register: bool) -> bool:
    parts = imported.split(".")
    if parts[0] != "somet" or len(parts) < 2 or parts[1] not in FEATURES or parts[1] == feature:
        return False
    if len(parts) >= 3 and parts[2] in PUBLIC_MODULES:
        return False
    return not (in_register and any(imported.startswith(r + ".") for r in REGISTRIES))


def _cross_feature_violations() -> list[str]:
    found = []
    for path in _python_files():
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in CONSUMERS:
            continue
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, imported, in_register in _imports(tree, module):
            if _violation(parts[0], imported, in_register):
                found.append(f"{_relative(path)}:{line} imports {imported}")
    return found


def test_a_feature_reaches_another_only_through_its_operations_and_queries():
    assert _cross_feature_violations() == []


def test_the_import_rule_tells_public_modules_from_private_ones():
    assert not _violation("planning", "somet.requests.operations.Visit", False)
    assert not _violation("planning", "somet.requests.queries", False)
    assert _violation("planning", "somet.requests.messages.Visit", False)
    assert not _violation("planning", "somet.jobs.registry.ScheduledJob", True)
    assert _violation("planning", "somet.jobs.registry.ScheduledJob", False)
    assert not _violation("planning", "somet.web.access.STAFF", False)


def test_every_feature_has_a_register_function():
    registering = set()
    for path in PACKAGE.glob("*/__init__.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.FunctionDef) and n.name == "register" for n in tree.body):
            registering.add(path.parent.name)
    assert registering == FEATURES


# --- (c) no registration as a side effect of an import --------------------------------------


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _import_time_nodes(body: list[ast.stmt]):
    """What runs when the module is imported: module and class bodies, decorators, defaults;
    not the bodies of functions."""
    for statement in body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from statement.decorator_list
            yield from statement.args.defaults
            yield from (d for d in statement.args.kw_defaults if d is not None)
        elif isinstance(statement, ast.ClassDef):
            yield from statement.decorator_list
            yield from statement.bases
            yield from _import_time_nodes(statement.body)
        else:
            yield statement


def _module_level_registrations(source: str) -> list[tuple[int, str]]:
    found = []
    for node in _import_time_nodes(ast.parse(source).body):
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and _called_name(inner) in REGISTRATION_CALLS:
                found.append((inner.lineno, _called_name(inner)))
    return found


def test_nothing_in_somet_registers_itself_when_imported():
    found = [
        f"{_relative(path)}:{line} calls {name}"
        for path in _python_files()
        for line, name in _module_level_registrations(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_registration_check_sees_calls_and_decorators_but_not_function_bodies():
    source = """
add_nav_item("Home", "home.index")
if True:
    register_scope(Model, scope)

@one_off_job("plan")
def plan(run):
    register_scheduled_job(app, job)

class Feature:
    jobs.register_reminder_source(app, "x", f)
"""
    assert _module_level_registrations(source) == [
        (2, "add_nav_item"),
        (4, "register_scope"),
        (6, "one_off_job"),
        (11, "register_reminder_source"),
    ]


# --- wiring: the runner's jobs come from create_app alone -----------------------------------

EVERY_JOB = {
    "process-queued-jobs",
    "deliver-notifications",
    "send-reminders",
    "nightly-lifecycle",
    "auto-issue-certificates",
    "auto-issue-masterclass-certificates",
    "document-expiry-reminders",
    "follow-up-surveys",
    "deliver-webhooks",
}


def test_flask_jobs_list_in_a_fresh_process_names_every_job(app):
    # The app fixture built the schema in the test's database and instance folder and put
    # them in SOMET_DATABASE_URL and SOMET_INSTANCE_PATH, which the process inherits.
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SOMET_ENV": "testing"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    listed = {line.split()[0] for line in done.stdout.splitlines() if line.strip()}
    assert listed == EVERY_JOB == set(scheduled_jobs(app))


def test_two_apps_in_one_process_share_no_registrations(tmp_path, monkeypatch):
    from somet import create_app
    from somet.jobs.registry import ScheduledJob, register_scheduled_job
    from somet.web.wiring import wiring_of

    monkeypatch.setenv("SOMET_INSTANCE_PATH", str(tmp_path))
    first, second = create_app("testing"), create_app("testing")
    register_scheduled_job(first, ScheduledJob("test-only-here", "T", lambda now: {}, "cron"))
    assert set(scheduled_jobs(first)) == EVERY_JOB | {"test-only-here"}
    assert set(scheduled_jobs(second)) == EVERY_JOB
    assert wiring_of(first).nav_items == wiring_of(second).nav_items
    assert wiring_of(first).scopes.keys() == wiring_of(second).scopes.keys()
