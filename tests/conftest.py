"""Fixtures: a fresh app and database per test, a form-aware client, users per role.

Set SOMET_TEST_DATABASE_URL to run the same suite on PostgreSQL; otherwise each test gets
its own SQLite file (a file, not :memory:, so threads and processes share it). Under
pytest-xdist each worker gets its own PostgreSQL database next to the given one
(``<name>_gw0``, ...), created on first use.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

import pytest
from flask import has_app_context
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, make_url, text

from somet import create_app
from somet.models import Base
from somet.web.extensions import db
from tests import factories

BASE_POSTGRES_URL = os.environ.get("SOMET_TEST_DATABASE_URL", "")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_postgres_schema_ready = False


def _worker_postgres_url(base_url: str) -> str:
    """The xdist worker's own database beside ``base_url`` (created if missing)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not base_url or not worker:
        return base_url
    url = make_url(base_url)
    name = f"{url.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = _worker_postgres_url(BASE_POSTGRES_URL)


class FormClient(FlaskClient):
    """A test client that submits forms the way a browser does: with the page's CSRF token.

    Each request runs in its own application context, as in production: the test's context
    (held open by the ``app`` fixture for factories and assertions) would otherwise be reused,
    sharing ``g``, the logged-in user and the database session with the request.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()  # the request sees what the test wrote, and no lock is held
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            if has_app_context():
                db.session.commit()  # end the test's snapshot: it sees what the request wrote

    def csrf_token(self, page: str = "/account/password") -> str:
        html = self.get(page).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, page: str | None = None, **kwargs):
        """POST ``data`` to ``url`` with a CSRF token taken from ``page`` (default: ``url``)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(page or url))
        return self.post(url, data=data, **kwargs)


def _reset_postgres() -> None:
    """Empty every table (fast) once the schema exists; build it on first use."""
    global _postgres_schema_ready
    if not _postgres_schema_ready:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        Base.metadata.create_all(db.engine)
        _postgres_schema_ready = True
        return
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def mark_postgres_schema_dirty() -> None:
    """For tests that drop or migrate the schema themselves."""
    global _postgres_schema_ready
    _postgres_schema_ready = False


@pytest.fixture
def database_url(tmp_path) -> str:
    return POSTGRES_URL or f"sqlite:///{tmp_path / 'somet-test.sqlite3'}"


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOMET_DATABASE_URL", database_url)
    monkeypatch.setenv("SOMET_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SOMET_STORAGE_DIR", str(tmp_path / "storage"))
    app = create_app("testing", {"SERVER_NAME": "somet.test"})
    app.test_client_class = FormClient
    with app.app_context():
        if POSTGRES_URL:
            _reset_postgres()
        else:
            Base.metadata.create_all(db.engine)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> FormClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app) -> dict:
    """One user per role; the coordinator belongs to a hospital, the doctor to a doctor record."""
    return factories.make_users_per_role()


def login_as(client: FormClient, user, password: str = factories.PASSWORD):
    """Log in through the real login form."""
    response = client.submit("/login", {"email": user.email, "password": password}, page="/login")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries: ...`` then ``len(queries)`` SQL statements ran."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counter
