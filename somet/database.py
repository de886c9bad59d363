"""Database engine behaviour that must hold on every connection.

SQLite: WAL journal, a busy timeout, foreign keys on, and transactions that SQLAlchemy
begins itself (pysqlite's own implicit BEGIN would defeat ``BEGIN IMMEDIATE``).
PostgreSQL needs nothing here.
"""

from __future__ import annotations

import sqlite3
import zlib

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

SQLITE_BUSY_TIMEOUT_MS = 15_000


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, see below
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    if connection.dialect.name != "sqlite":
        return
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def lock_for_write(session: Session, name: str) -> None:
    """Serialise writers of ``name`` until the current transaction ends, on both databases.

    On PostgreSQL this takes a transaction-scoped advisory lock on ``name``. SQLite has one
    writer at a time, so the transaction is begun with BEGIN IMMEDIATE: call this before
    the transaction has read anything (i.e. first thing in the service).
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        key = zlib.crc32(name.encode()) - 2**31
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("lock_for_write must run before the transaction writes anything")
    if session.in_transaction():
        # A read-only transaction (e.g. loading the current user) cannot be upgraded
        # safely in WAL mode; end it and start again holding the write lock.
        session.rollback()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
