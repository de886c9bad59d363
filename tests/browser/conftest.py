"""Real-browser fixtures: the app served on a loopback port, Debian's Chromium via Playwright.

The browser tests skip with a clear message only where Chromium or Playwright is missing.
Screenshots of each journey's key pages are kept under test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from somet import create_app
from somet.demo.data import DEMO_PASSWORD
from somet.models import Base
from somet.web.extensions import db

CHROMIUM = os.environ.get("SOMET_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _use_files_in(folder: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOMET_DATABASE_URL", f"sqlite:///{folder / 'browser.sqlite3'}")
    monkeypatch.setenv("SOMET_INSTANCE_PATH", str(folder / "instance"))
    monkeypatch.setenv("SOMET_STORAGE_DIR", str(folder / "storage"))


@pytest.fixture(scope="session")
def demo_files(browser, tmp_path_factory) -> Path:
    """The demo loaded once (database, stored PDFs, keys); each live server gets a copy.

    Asks for ``browser`` only to skip before the slow load where Chromium is missing.
    """
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _use_files_in(folder, monkeypatch)
        app = create_app("testing")
        with app.app_context():
            Base.metadata.create_all(db.engine)
            from somet.demo.loader import load_demo

            load_demo()
            db.session.remove()
            db.engine.dispose()  # closes SQLite: the file is complete, no write-ahead log left
    return folder


@pytest.fixture
def live_server(demo_files, tmp_path, monkeypatch):
    """The demo centre served by a real HTTP server on 127.0.0.1 (its own copy of the files)."""
    folder = tmp_path / "served"
    shutil.copytree(demo_files, folder)
    _use_files_in(folder, monkeypatch)
    app = create_app("testing")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.app = app
    yield server
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def new_page(browser):
    """``new_page(viewport=...)`` opens a fresh browser context (its own cookies)."""
    contexts = []

    def opener(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


def log_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form as a person would."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")  # not the language buttons in the navigation
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="module")
def demo_server(demo_files, tmp_path_factory):
    """One server on the demo centre for a whole module (read-mostly tests: crawls, audits).

    Cheaper than ``live_server`` per test; tests using it must not depend on each other's writes.
    """
    folder = tmp_path_factory.mktemp("served") / "demo"
    shutil.copytree(demo_files, folder)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _use_files_in(folder, monkeypatch)
        app = create_app("testing")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        server.url = f"http://127.0.0.1:{server.server_port}"
        server.app = app
        yield server
        server.shutdown()
        thread.join(timeout=10)
