"""When a cached view must be built again: data generations.

A view that many people read and few change (the cohort timeline) is cached in each process,
keyed on its generation's token. Every commit that wrote one of the tables the view reads
gives the generation a new random token, in the same transaction: a process that reads the
token sees a new one exactly when the new data is visible, so an old entry is never hit
again. Writes are noticed for every session (web, CLI, the job runner), whether they are
flushed objects or bulk ``update``/``delete`` statements run through the session.

The token is written just before COMMIT (not at the flush), so on PostgreSQL its row lock is
held only for the commit itself and never while the transaction waits for anything else.

Readers must read the token *before* the data: data read after a concurrent commit is then
at worst newer than its key, never older.
"""

from __future__ import annotations

from sqlalchemy import Table, bindparam, event, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors

from somet.models.generations import DataGeneration, new_token

_WATCHED: dict[str, frozenset[str]] = {}  # generation -> names of the tables it reads
_CHANGED = "somet_changed_generations"  # in Session.info: generations this transaction wrote
_TOKEN = select(DataGeneration.token).where(DataGeneration.name == bindparam("name"))


def tables_read_by(*statements) -> set[Table]:
    """Every table a statement selects from or joins (so a new join is watched too)."""
    return {
        element
        for statement in statements
        for element in visitors.iterate(statement)
        if isinstance(element, Table)
    }


def watch(generation: str, tables) -> None:
    """``generation`` changes whenever a commit writes any of ``tables``."""
    _WATCHED[generation] = _WATCHED.get(generation, frozenset()) | {t.name for t in tables}


def current_token(session: Session, generation: str) -> str | None:
    """The generation's token now, or None (no row: then nothing may be cached)."""
    # Core on the session's connection: this runs on every view of a cached page.
    return session.connection().execute(_TOKEN, {"name": generation}).scalar()


def install() -> None:
    """Listen to every session (idempotent)."""
    for name, listener in _LISTENERS.items():
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _note(session: Session, table_names) -> None:
    names = set(table_names)
    changed = {g for g, watched in _WATCHED.items() if watched & names}
    if changed:
        session.info.setdefault(_CHANGED, set()).update(changed)


def _after_flush(session: Session, flush_context) -> None:
    # Still the flush's own lists here: what was inserted, changed and deleted.
    _note(
        session,
        (
            table.name
            for obj in (*session.new, *session.dirty, *session.deleted)
            for table in inspect(obj).mapper.tables
        ),
    )


def _do_orm_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _note(state.session, [state.statement.table.name])


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit writes the token
    session.flush()  # what is still pending belongs to this commit: note it now
    changed = session.info.pop(_CHANGED, None)
    if changed:
        session.execute(
            update(DataGeneration)
            .where(DataGeneration.name.in_(sorted(changed)))
            .values(token=new_token())
        )


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost one ended (a rollback wrote nothing)
        session.info.pop(_CHANGED, None)


_LISTENERS = {
    "after_flush": _after_flush,
    "do_orm_execute": _do_orm_execute,
    "before_commit": _before_commit,
    "after_transaction_end": _after_transaction_end,
}
