"""Keyset pages of a long, newest-first list (the audit log, the outbox): "Newest", "Newer"
and "Older" links that carry the id of the row to continue from, instead of page numbers.

Each page reads only its own rows, at any depth of history; there is no total count, which
would read every matching row on every view. A page's statement asks for one row more than
it shows, to know whether the list goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from somet.web.extensions import db


@dataclass(frozen=True)
class KeysetPage:
    """One page, newest first, and the ids that lead to its neighbours."""

    items: list[Any]  # rows or objects with an ``id``
    newer_than: int | None  # the first row's id when newer rows exist (a "Newer" link)
    older_than: int | None  # the last row's id when older rows exist (an "Older" link)


def page_by_id(
    query: Select,
    id_column,
    *,
    per_page: int,
    before: int | None,
    after: int | None,
    rows: bool = False,
) -> KeysetPage:
    """A page of ``query``'s objects (its rows when ``rows``: a select of columns, one named
    ``id``) newest first along ``id_column`` (ids given in the order the rows were made): just
    older than ``before``, just newer than ``after``, or the newest."""
    read = db.session.execute if rows else db.session.scalars
    if after is not None:
        newer = query.where(id_column > after).order_by(id_column).limit(per_page + 1)
        return page_going_newer(read(newer).all(), per_page)
    if before is not None:
        query = query.where(id_column < before)
    found = read(query.order_by(id_column.desc()).limit(per_page + 1)).all()
    return page_going_older(found, per_page, from_newest=before is None)


def page_going_older(rows: list, per_page: int, *, from_newest: bool) -> KeysetPage:
    """The page from up to ``per_page + 1`` rows, newest first: the newest page, or
    (``from_newest`` False) the page older than the row an "Older" link carried."""
    items = rows[:per_page]
    newer = items[0].id if items and not from_newest else None
    return KeysetPage(items, newer, items[-1].id if len(rows) > per_page else None)


def page_going_newer(rows: list, per_page: int) -> KeysetPage:
    """The page from up to ``per_page + 1`` rows, oldest first, newer than the row a "Newer"
    link carried (shown newest first; older rows exist: the page it came from)."""
    items = rows[:per_page][::-1]
    newer = items[0].id if len(rows) > per_page and items else None
    return KeysetPage(items, newer, items[-1].id if items else None)


def cursor(value: str | None) -> int | None:
    """A paging cursor from the query string: a row id, or None when missing or not sane."""
    return int(value) if value and value.isdigit() and int(value) < 2**31 else None
