"""On PostgreSQL a page that only reads opens no transaction (no BEGIN and COMMIT round trips),
while anything that writes or locks still runs in one: all of it or none of it is kept."""

from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import func, select, text

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
