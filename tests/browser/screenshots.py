"""``make screenshots``: each role's home page at 1366 px and 390 px, from the demo centre.

Loads the demo (as ``make run`` does) into a temporary folder, serves it on a loopback port,
logs in as each role through the login form in Debian's Chromium and writes
docs/screenshots/<role>-<width>.png.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
ROLES = {
    "director": "director@example.org",
    "admin": "admin@example.org",
    "coordinator": "coordinator@example.org",
    "doctor": "doctor@example.org",
}
WIDTHS = {1366: 900, 390: 844}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="somet-screenshots-"))
    os.environ["SOMET_DATABASE_URL"] = f"sqlite:///{folder / 'demo.sqlite3'}"
    os.environ["SOMET_INSTANCE_PATH"] = str(folder / "instance")
    os.environ["SOMET_STORAGE_DIR"] = str(folder / "storage")
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from somet import create_app
    from somet.demo.loader import load_demo
    from somet.models import Base
    from somet.web.extensions import db
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, log_in

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    app = create_app("testing")
    with app.app_context():
        Base.metadata.create_all(db.engine)
        load_demo()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for role, email in ROLES.items():
            for width, height in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, reduced_motion="reduce"
                )
                page = context.new_page()
                log_in(page, url, email)
                page.mouse.move(0, 0)
                path = OUT / f"{role}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path.relative_to(ROOT))
                context.close()
        browser.close()
    server.shutdown()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
