"""On PostgreSQL a page that only reads opens no transaction (no BEGIN and COMMIT round trips),
while anything that writes or locks still runs in one: all of it or none of it is kept."""

from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, func, make_url, select, text

from somet.models import Hospital
from somet.web.extensions import db
from tests.conftest import POSTGRES_URL
from tests.factories import make_hospital

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's transactions")


def _status():
    return db.session.connection().connection.dbapi_connection.info.transaction_status


def test_reads_run_outside_a_transaction(app):
    make_hospital(name="Rambam")
    assert db.session.scalar(select(func.count(Hospital.id))) == 1
    assert _status() == TransactionStatus.IDLE


def test_a_with_that_only_reads_runs_outside_a_transaction_one_that_writes_in_one(app):
    reading = "WITH named AS (SELECT id, name AS updated_at FROM hospitals) SELECT 1 FROM named"
    db.session.execute(text(reading))
    assert _status() == TransactionStatus.IDLE
    writing = "WITH gone AS (DELETE FROM hospitals RETURNING id) SELECT count(*) FROM gone"
    db.session.execute(text(writing))
    assert _status() == TransactionStatus.INTRANS
    db.session.rollback()


def test_a_write_begins_a_transaction_that_a_rollback_undoes(app):
    db.session.scalar(select(func.count(Hospital.id)))  # a read first, outside
    db.session.add(
        Hospital(name="Never kept", city="Haifa", country="Israel", timezone="Asia/Jerusalem")
    )
    db.session.flush()
    assert _status() == TransactionStatus.INTRANS
    db.session.rollback()
    assert db.session.scalar(select(func.count(Hospital.id))) == 0


@pytest.mark.parametrize(
    "statement",
    ["SELECT id FROM hospitals FOR UPDATE", "SELECT pg_advisory_xact_lock(42)"],
)
def test_a_lock_is_held_in_a_transaction(app, statement):
    db.session.execute(text(statement))
    assert _status() == TransactionStatus.INTRANS
    db.session.rollback()


def test_an_engine_made_in_autocommit_outside_the_app_is_left_alone(app):
    """A maintenance script (bench/pages.py) creates and drops databases beside a running app:
    no BEGIN may reach its connections, or PostgreSQL refuses DROP DATABASE in a transaction."""
    url = make_url(POSTGRES_URL)
    scratch = f"{url.database}_scratch_autocommit"
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
            connection.execute(text(f'CREATE DATABASE "{scratch}"'))
            connection.execute(text(f'DROP DATABASE "{scratch}"'))
    finally:
        engine.dispose()
