"""A problem a rule found, as facts: a code and its parameters, never a sentence.

Pure rules and the solver return these; the edge (views, e-mails, CLI) words them in the
reader's language through one catalogue (``somet.web.problem_texts``), so no code ever reads
or compares a message. Parameters hold ids or names, dates, counts and nested problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

# Parameters whose values are dates (or lists of dates); JSON keeps them as ISO text.
DATE_PARAMS = frozenset({"day", "days_list", "start", "end", "first", "last", "arrival"})


@dataclass(frozen=True)
class Problem:
    """What is wrong (``code``) and the facts that say where (``params``)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:
        return hash((self.code, _frozen(self.params)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self.code == other.code and _frozen(self.params) == _frozen(other.params)

    def replace(self, code: str | None = None, **params: Any) -> Problem:
        """A copy with another code and/or some parameters changed."""
        return Problem(code or self.code, {**self.params, **params})

    def to_json(self) -> dict:
        """A JSON-ready form (dates as ISO text, nested problems as objects)."""
        return {"code": self.code, "params": {k: _json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping) -> Problem:
        """The inverse of ``to_json`` (nested problems come back as Problems)."""
        return cls(data["code"], {k: _unjson(v) for k, v in data.get("params", {}).items()})


def problem(code: str, **params: Any) -> Problem:
    """Shorthand: ``problem("closed", department="dept-1", day=date(2027, 3, 1))``."""
    return Problem(code, params)


class ProblemsFound(Exception):
    """A rule refused; ``problems`` say why (the edge words them)."""

    def __init__(self, *problems: Problem):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = tuple(problems)


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_frozen(v) for v in value)
    return value


def _json(value: Any) -> Any:
    if isinstance(value, Problem):
        return value.to_json()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json(v) for v in value]
    return value


def _unjson(value: Any) -> Any:
    if isinstance(value, Mapping) and "code" in value and "params" in value:
        return Problem.from_json(value)
    if isinstance(value, list):
        return tuple(_unjson(v) for v in value)
    if isinstance(value, Mapping):
        return {k: _unjson(v) for k, v in value.items()}
    return value
