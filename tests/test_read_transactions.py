"""On PostgreSQL a page that only reads runs outside a transaction, so psycopg keeps the page's
prepared statements (it forgets them on every ROLLBACK); anything that wrote, waits unflushed
or failed is still rolled back, on both databases, so nothing half-done is ever kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update

from somet.models import Hospital, Role
from somet.web.extensions import db
from tests import factories
from tests.conftest import POSTGRES_URL, login_as


def _prepared_statements_in_pool() -> int:
    """Prepared statements held by the idle pooled connections (each answers for itself)."""
    pool = db.engine.pool
    connections = [db.engine.raw_connection() for _ in range(pool.checkedin())]
    try:
        total = 0
        for connection in connections:
            cursor = connection.cursor()
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            total += cursor.fetchone()[0]
            connection.commit()
        return total
    finally:
        for connection in connections:
            connection.close()


@pytest.mark.skipif(not POSTGRES_URL, reason="psycopg's prepared statements")
@pytest.mark.parametrize(
    ("role", "page"),
    [(Role.DIRECTOR, "/hospitals"), (Role.COORDINATOR, "/")],  # the coordinator's menu: a WITH
)
def test_a_page_read_again_and_again_is_planned_once_per_connection(app, client, role, page):
    login_as(client, factories.make_user(role))
    db.session.commit()
    for _ in range(8):  # psycopg prepares a statement on its fifth use on a connection
        assert client.get(page).status_code == 200
    assert _prepared_statements_in_pool() > 0


def test_a_page_that_failed_after_writing_keeps_nothing(app, client):
    hospital = factories.make_hospital(name="Rambam")
    db.session.commit()

    @app.get("/test/write-then-fail")
    def write_then_fail():
        db.session.execute(update(Hospital).values(name="Changed"))
        raise RuntimeError("the page failed after writing")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get("/test/write-then-fail").status_code == 500
    db.session.expire_all()
    assert db.session.get(Hospital, hospital.id).name == "Rambam"


def test_writes_never_committed_by_a_request_are_not_kept(app, client):
    hospital = factories.make_hospital(name="Rambam")
    db.session.commit()

    @app.get("/test/write-without-commit")
    def write_without_commit():
        # a GET that wrote (flushed) but did not commit: its transaction is rolled back
        db.session.execute(update(Hospital).values(name="Changed"))
        db.session.execute(text("SELECT 1"))
        return "written, not committed"

    @app.get("/test/add-without-flush")
    def add_without_flush():
        db.session.add(Hospital(name="Never saved", city="Haifa", country="Israel"))
        return "added, not flushed"

    assert client.get("/test/write-without-commit").status_code == 200
    assert client.get("/test/add-without-flush").status_code == 200
    db.session.expire_all()
    assert db.session.get(Hospital, hospital.id).name == "Rambam"
    assert db.session.scalar(select(func.count()).select_from(Hospital)) == 1
