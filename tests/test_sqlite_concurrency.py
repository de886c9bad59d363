"""SQLite under concurrent writers: requests wait for each other, none fails as "locked"."""

from __future__ import annotations

import threading
from importlib.metadata import version
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from somet.models import Role, User
from somet.web.extensions import db
from tests import factories
from tests.conftest import POSTGRES_URL, login_as

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's single-writer behaviour")
WRITERS = 12


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_concurrent_admin_changes_all_succeed_without_database_is_locked(app, served):
    admin = factories.make_user(Role.ADMIN)
    targets = [factories.make_user(Role.DIRECTOR).id for _ in range(WRITERS)]
    client = app.test_client()
    login_as(client, admin)
    token = client.csrf_token("/admin/users")
    cookie = client.get_cookie("session", domain="somet.test").value
    barrier, outcomes = threading.Barrier(WRITERS), []

    def deactivate(user_id: int) -> None:
        body = urlencode({"active": "0", "csrf_token": token}).encode()
        request = Request(f"{served}/admin/users/{user_id}/active", data=body, method="POST")
        request.add_header("Cookie", f"session={cookie}")
        request.add_header("Host", "somet.test")  # the testing app's SERVER_NAME
        # The session is bound to the browser that logged in (session protection "strong").
        request.add_header("User-Agent", f"Werkzeug/{version('werkzeug')}")
        barrier.wait()
        try:
            with build_opener(NoRedirect).open(request, timeout=60) as response:
                outcomes.append(response.status)
        except HTTPError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=deactivate, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [302] * WRITERS
    db.session.commit()
    active = db.session.scalars(select(User.active).where(User.id.in_(targets))).all()
    assert active == [False] * WRITERS


def test_a_login_checks_its_password_without_holding_the_write_lock(app, client, monkeypatch):
    """40 logins at once queued one behind another's password hashing: while one login
    hashes, another writer must be able to write."""
    import sqlite3

    from somet.accounts import operations

    user = factories.make_user(Role.DIRECTOR)
    db.session.commit()
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    others_could_write = []
    real_check = operations.check_password_hash

    def check_while_another_writes(stored: str, password: str) -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            others_could_write.append(True)
        except sqlite3.OperationalError:  # database is locked
            others_could_write.append(False)
        finally:
            other.close()
        return real_check(stored, password)

    monkeypatch.setattr(operations, "check_password_hash", check_while_another_writes)
    login_as(client, user)

    assert others_could_write == [True]
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None
