"""Case-insensitive name search that folds Cyrillic and Kazakh letters on both databases.

SQLite's built-in lower() folds ASCII only, so "ерлан" would not find "Ерлан". Instead of a
normalised search column (a schema change), SQLite connections get a Python function
``somet_fold`` (str.lower, which knows every script), created by the engine "connect"
listener in ``somet/web/database.py``. PostgreSQL's lower() folds Cyrillic
itself under a UTF-8 ctype (our databases are created UTF-8). Search terms are folded the
same way in Python, so both sides match.
"""

from __future__ import annotations

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, func, literal_column, or_

from somet.web.database import SQLITE_FOLD
from somet.web.extensions import db


def fold(column) -> ColumnElement:
    """``column`` lower-cased in SQL, Cyrillic included, on the current database."""
    if db.engine.dialect.name == "sqlite":
        return getattr(func, SQLITE_FOLD)(column)
    return func.lower(column)


def name_matches(query: str, *columns) -> ColumnElement | None:
    """Every word of ``query`` occurs in one of ``columns`` (None for an empty query)."""
    return _words_in(_valued(query), *columns)


def names_match(query: str, *columns) -> ColumnElement | None:
    """Every word of ``query`` occurs in one of ``columns`` (None for an empty query).

    On PostgreSQL the columns are joined into the one expression that migration 0008 indexes
    with pg_trgm (GIN), so ``LIKE '%word%'`` reads the index instead of every row; a word has
    no spaces, so it cannot match across two names. SQLite folds column by column.
    """
    return _words_in_names(_valued(query), *columns)


def joined_names(*columns) -> ColumnElement:
    """lower(coalesce(a, '') || ' ' || coalesce(b, '') ...): the indexed expression, verbatim
    (constants inline, not parameters, so the planner matches it with the index)."""
    joined = None
    for column in columns:
        part = func.coalesce(column, literal_column("''"))
        joined = part if joined is None else joined.op("||")(literal_column("' '")).op("||")(part)
    return func.lower(joined)


# A search is one shape however it is built: each word a bound parameter, escaped here for
# LIKE ('/' the escape). A statement built once names its words ``<name>_0``, ``<name>_1``...
# (``bound_name_matches``, their values from ``bound_words``); one built per request binds
# each word's value as it builds (``name_matches``).
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
    return _words_in(_named(name, count), *columns)


def bound_names_match(name: str, count: int, *columns) -> ColumnElement | None:
    """``names_match`` for ``count`` words bound later (``bound_words(name, ...)``)."""
    return _words_in_names(_named(name, count), *columns)


def _valued(query: str) -> list[BindParameter]:
    """The words of ``query`` as parameters with their values (names unique in a statement)."""
    return [bindparam("word", word, unique=True) for word in search_words(query)]


def _named(name: str, count: int) -> list[BindParameter]:
    return [bindparam(f"{name}_{i}") for i in range(count)]


def _words_in(words: list[BindParameter], *columns) -> ColumnElement | None:
    """Every word occurs in one of ``columns``, each folded (None for no word)."""
    if not words:
        return None
    return and_(
        *(
            or_(*(fold(column).contains(word, escape=LIKE_ESCAPE) for column in columns))
            for word in words
        )
    )


def _words_in_names(words: list[BindParameter], *columns) -> ColumnElement | None:
    """``_words_in`` over the indexed expression of the names joined (``names_match``)."""
    if db.engine.dialect.name == "sqlite":
        return _words_in(words, *columns)
    if not words:
        return None
    joined = joined_names(*columns)
    return and_(*(joined.contains(word, escape=LIKE_ESCAPE) for word in words))
