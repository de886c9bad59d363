"""Case-insensitive name search that folds Cyrillic and Kazakh letters on both databases.

SQLite's built-in lower() folds ASCII only, so "ерлан" would not find "Ерлан". Instead of a
normalised search column (a schema change), SQLite connections get a Python function
``somet_fold`` (str.lower, which knows every script), created by the engine "connect"
listener in ``somet/web/database.py``. PostgreSQL's lower() folds Cyrillic
itself under a UTF-8 ctype (our databases are created UTF-8). Search terms are folded the
same way in Python, so both sides match.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, bindparam, func, literal_column, or_

from somet.web.database import SQLITE_FOLD
from somet.web.extensions import db


def fold(column) -> ColumnElement:
    """``column`` lower-cased in SQL, Cyrillic included, on the current database."""
    if db.engine.dialect.name == "sqlite":
        return getattr(func, SQLITE_FOLD)(column)
    return func.lower(column)


def name_matches(query: str, *columns) -> ColumnElement | None:
    """Every word of ``query`` occurs in one of ``columns`` (None for an empty query)."""
    words = query.lower().split()
    if not words:
        return None
    conditions = [
        or_(*(fold(column).contains(word, autoescape=True) for column in columns)) for word in words
    ]
    return and_(*conditions)


def names_match(query: str, *columns) -> ColumnElement | None:
    """Every word of ``query`` occurs in one of ``columns`` (None for an empty query).

    On PostgreSQL the columns are joined into the one expression that migration 0008 indexes
    with pg_trgm (GIN), so ``LIKE '%word%'`` reads the index instead of every row; a word has
    no spaces, so it cannot match across two names. SQLite folds column by column.
    """
    if db.engine.dialect.name == "sqlite":
        return name_matches(query, *columns)
    words = query.lower().split()
    if not words:
        return None
    joined = joined_names(*columns)
    return and_(*(joined.contains(word, autoescape=True) for word in words))


def joined_names(*columns) -> ColumnElement:
    """lower(coalesce(a, '') || ' ' || coalesce(b, '') ...): the indexed expression, verbatim
    (constants inline, not parameters, so the planner matches it with the index)."""
    joined = None
    for column in columns:
        part = func.coalesce(column, literal_column("''"))
        joined = part if joined is None else joined.op("||")(literal_column("' '")).op("||")(part)
    return func.lower(joined)


# Statements built once take the words as parameters (``<name>_0``, ``<name>_1``...): the words
# are then escaped here for LIKE, as ``autoescape=True`` escapes a literal ('/' the escape).
LIKE_ESCAPE = "/"


def search_words(query: str) -> list[str]:
    """The words of ``query``, folded and escaped for ``LIKE`` (the bound search's values)."""
    return [like_escaped(word) for word in query.lower().split()]


def like_escaped(text: str) -> str:
    """``text`` matched literally by ``LIKE ... ESCAPE '/'`` (its ``%`` and ``_`` letters)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def bound_words(name: str, words: list[str]) -> dict[str, str]:
    """The parameters of ``bound_name_matches``/``bound_names_match`` for ``words``."""
    return {f"{name}_{i}": word for i, word in enumerate(words)}


def bound_name_matches(name: str, count: int, *columns) -> ColumnElement | None:
    """``name_matches`` for ``count`` words bound later (``bound_words(name, ...)``)."""
    if not count:
        return None
    return and_(
        *(
            or_(
                *(
                    fold(column).contains(bindparam(f"{name}_{i}"), escape=LIKE_ESCAPE)
                    for column in columns
                )
            )
            for i in range(count)
        )
    )


def bound_names_match(name: str, count: int, *columns) -> ColumnElement | None:
    """``names_match`` for ``count`` words bound later (``bound_words(name, ...)``)."""
    if db.engine.dialect.name == "sqlite":
        return bound_name_matches(name, count, *columns)
    if not count:
        return None
    joined = joined_names(*columns)
    return and_(
        *(joined.contains(bindparam(f"{name}_{i}"), escape=LIKE_ESCAPE) for i in range(count))
    )
