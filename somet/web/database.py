"""Database engine behaviour that must hold on every connection (``create_app`` installs it).

SQLite: WAL journal, a busy timeout, foreign keys on, the ``somet_fold`` function for name
search, and transactions that SQLAlchemy
begins itself (pysqlite's own implicit BEGIN would defeat ``BEGIN IMMEDIATE``). A request
that may write (any method but GET/HEAD/OPTIONS) begins its transactions IMMEDIATE: a
deferred transaction that reads (the current user) and then writes fails at once with
"database is locked" when another writer committed in between (WAL snapshots cannot be
upgraded), whereas BEGIN IMMEDIATE simply waits its turn under the busy timeout.
PostgreSQL: plain reads run outside a transaction, and a transaction begins just before the
first statement that may write or lock (``_begin_before_writing``): a page that only reads
saves the BEGIN and COMMIT round trips, and psycopg keeps its prepared statements across
requests (it forgets them on every ROLLBACK). Under READ COMMITTED every statement takes its
own snapshot inside a transaction too, so a read sees the same rows either way.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import zlib

from flask import has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session

try:  # PostgreSQL's driver; SQLite-only installations run without it
    from psycopg.pq import TransactionStatus

    _IDLE = TransactionStatus.IDLE
except ImportError:  # pragma: no cover
    _IDLE = None

SQLITE_BUSY_TIMEOUT_MS = 15_000
SQLITE_FOLD = "somet_fold"  # lower() that knows every script, for name search (web.search)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def install_engine_events() -> None:
    """Listen to every engine's connections (once per process, whatever the number of apps)."""
    for name, listener in (("connect", _configure_sqlite), ("begin", _begin_sqlite)):
        if not event.contains(Engine, name, listener):
            event.listen(Engine, name, listener)


def read_outside_transactions(engine: Engine) -> None:
    """The app's own PostgreSQL engine reads outside transactions (see above). Only its own:
    an engine made in AUTOCOMMIT on purpose (a script creating databases) must never get a
    BEGIN, and SQLAlchemy switches autocommit on only after the connect listeners ran."""
    if engine.dialect.name != "postgresql":
        return
    for name, listener in (
        ("connect", _configure_postgresql),
        ("before_cursor_execute", _begin_before_writing),
    ):
        if not event.contains(engine, name, listener):
            event.listen(engine, name, listener)


# A SELECT (or a WITH that only selects) needs no transaction unless it locks rows, takes
# an advisory lock or sets a transaction-local setting; every other statement begins one.
_SELECT = re.compile(r"\s*(SELECT\b|WITH\b(?!.*\b(INSERT|UPDATE|DELETE|MERGE)\b))", re.I | re.S)
_TRANSACTIONAL = re.compile(
    r"\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|SHARE|KEY\s+SHARE)\b|\bpg_(try_)?advisory|\bset_config\b",
    re.I,
)


# Remembered by text: the app sends a bounded set of statements (built once, or compiled and
# cached by SQLAlchemy), and scanning a 5 KB statement costs about 0.1 ms on every execution.
@functools.lru_cache(maxsize=2048)
def _plain_read(statement: str) -> bool:
    return bool(_SELECT.match(statement)) and not _TRANSACTIONAL.search(statement)


def _configure_postgresql(dbapi_connection, _record):
    """psycopg in autocommit mode: ``_begin_before_writing`` opens the transactions."""
    if isinstance(dbapi_connection, sqlite3.Connection) or not hasattr(
        dbapi_connection, "autocommit"
    ):
        return
    dbapi_connection.autocommit = True


def _begin_before_writing(conn, cursor, statement, *_args) -> None:
    """BEGIN before the first statement that is not a plain read; COMMIT and ROLLBACK end
    it as before (psycopg sends them only inside a transaction). A connection that SQLAlchemy
    put in AUTOCOMMIT on purpose (``isolation_level``) is left alone."""
    if conn.dialect.name != "postgresql" or _plain_read(statement):
        return
    dbapi_connection = cursor.connection
    if not dbapi_connection.autocommit or conn.get_execution_options().get("isolation_level"):
        return
    if dbapi_connection.info.transaction_status == _IDLE:
        dbapi_connection.execute("BEGIN")


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
    dbapi_connection.create_function(
        SQLITE_FOLD, 1, lambda text: text.lower() if text else text, deterministic=True
    )


def _begin_sqlite(connection):
    if connection.dialect.name != "sqlite":
        return
    mode = connection.get_execution_options().get("sqlite_begin")
    if mode is None:
        mode = "IMMEDIATE" if _in_writing_request() else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def _in_writing_request() -> bool:
    return has_request_context() and request.method not in SAFE_METHODS


def lock_for_write(session: Session | scoped_session, name: str) -> None:
    """Serialise writers of ``name`` until the current transaction ends, on both databases.

    On PostgreSQL this takes a transaction-scoped advisory lock on ``name``. SQLite has one
    writer at a time, so the transaction is begun with BEGIN IMMEDIATE: call this before
    the transaction has read anything (i.e. first thing in the service).
    """
    if isinstance(session, scoped_session):
        session = session()  # Flask-SQLAlchemy's db.session is a scoped session
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        _advisory_lock(session, name)
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("lock_for_write must run before the transaction writes anything")
    if session.in_transaction():
        # A read-only transaction (e.g. loading the current user) cannot be upgraded
        # safely in WAL mode; end it and start again holding the write lock.
        session.rollback()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def serialise_from_here(session: Session | scoped_session, name: str) -> None:
    """Serialise, from this statement until the transaction ends, the transactions that
    call this with ``name``, in a transaction that may already have written: on PostgreSQL a
    transaction-scoped advisory lock; SQLite's writing transaction already holds the one
    writer's lock. (``lock_for_write`` is the one to call before a transaction reads.)"""
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name == "postgresql":
        _advisory_lock(session, name)


def _advisory_lock(session: Session, name: str) -> None:
    key = zlib.crc32(name.encode()) - 2**31
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def begin_read_only(session: Session | scoped_session) -> None:
    """Begin a transaction that takes no write lock, for slow work that only reads.

    On SQLite a writing request's transactions begin IMMEDIATE (see above), holding the one
    writer's lock from the first read; a clean transaction is ended and begun DEFERRED.
    PostgreSQL takes no lock for reading anyway.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_read_only must run before the transaction writes anything")
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={"sqlite_begin": "DEFERRED"})
