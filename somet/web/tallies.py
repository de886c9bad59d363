"""Tallies kept on write: counter rows (keyed by their primary key) that an operation
increments in its own transaction, so that a page reads a few of them instead of counting
every year's rows. Each tally comes with a statement that counts it afresh from the stored
rows, grouped by the tally's key in its key's column order; that statement fills a missing
row, replaces every row after bulk writes, and lets the tests compare.

Used by the evaluation tallies, the follow-up tallies and the dashboard's tallies.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Select, insert, select, tuple_, update

from somet.web.extensions import db


def increment(model, key: tuple, counted: Callable[[], Select], **amounts) -> None:
    """Add ``amounts`` to the row of ``key`` in place (its row lock serialises concurrent
    writers). A missing row is counted afresh by ``counted()`` from what is stored, this
    change included (it is flushed first); the caller serialises the writers that may
    create it."""
    columns = _key_columns(model)
    changed = db.session.execute(
        update(model)
        .where(*(column == value for column, value in zip(columns, key, strict=True)))
        .values({name: getattr(model, name) + amount for name, amount in amounts.items()})
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.flush()
        fresh = counted()
        grouped_by = list(fresh.selected_columns)[: len(key)]
        where = [column == value for column, value in zip(grouped_by, key, strict=True)]
        db.session.execute(insert(model).from_select(_column_names(model), fresh.where(*where)))


def create_missing(model, keys: set[tuple], **zeros) -> None:
    """Insert a row of ``zeros`` for each of ``keys`` (primary-key tuples) that has none."""
    if not keys:
        return
    columns = _key_columns(model)
    have = db.session.execute(select(*columns).where(tuple_(*columns).in_(sorted(keys))))
    missing = sorted(keys - {tuple(row) for row in have})
    if missing:
        names = [column.key for column in columns]
        db.session.execute(
            insert(model), [{**dict(zip(names, key, strict=True)), **zeros} for key in missing]
        )


def kept_rows(model) -> set[tuple]:
    """The tally's rows as kept, comparable with ``counted_rows``."""
    return {tuple(row) for row in db.session.execute(select(*model.__table__.columns))}


def counted_rows(counted: Callable[[], Select]) -> set[tuple]:
    """The tally's rows counted afresh: what the kept ones must equal."""
    return {tuple(row) for row in db.session.execute(counted())}


def rebuild_statements(fresh: dict, rows: Callable | None = None) -> list:
    """The statements that replace every row of each tally model in ``fresh`` ({model:
    counted}) by a fresh count (after rows were written in bulk); or, with ``rows`` (the
    tally's table -> a clause), only the rows it picks, which ``counted()`` must count alone."""
    statements = []
    for model, counted in fresh.items():
        table = model.__table__
        statements += [
            table.delete() if rows is None else table.delete().where(rows(table)),
            insert(model).from_select(_column_names(model), counted()),
        ]
    return statements


def rebuild(fresh: dict) -> None:
    for statement in rebuild_statements(fresh):
        db.session.execute(statement)


def _key_columns(model) -> list:
    return list(model.__table__.primary_key.columns)


def _column_names(model) -> list[str]:
    return [column.key for column in model.__table__.columns]
