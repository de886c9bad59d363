"""Name search is one shape however its statement is built: each word a bound parameter,
escaped once (``search_words``), so a list built per request and a statement built once
with its words bound later search alike."""

from __future__ import annotations

import re

from sqlalchemy import select

from somet.models import Doctor
from somet.web.extensions import db
from somet.web.search import bound_names_match, bound_words, names_match, search_words

NAMES = (Doctor.first_name, Doctor.last_name, Doctor.native_name)


def _sql(condition) -> str:
    """The statement's text with its parameters' names blanked."""
    text = str(select(Doctor.id).where(condition).compile(db.engine))
    return re.sub(r"%\(\w+\)s|:\w+|\?", "?", text)


def test_a_search_built_per_request_and_one_built_once_are_the_same_statement(app):
    query = "Ерлан 50%_off"
    words = search_words(query)
    assert words == ["ерлан", "50/%/_off"]
    built_once = bound_names_match("q", len(words), *NAMES)
    assert _sql(names_match(query, *NAMES)) == _sql(built_once)
    valued = names_match(query, *NAMES).compile(db.engine).params
    assert sorted(v for v in valued.values() if v in words) == sorted(
        bound_words("q", words).values()
    )
    assert names_match("  ", *NAMES) is None and bound_names_match("q", 0, *NAMES) is None
