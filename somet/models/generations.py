"""Data generations: one random token per kind of cached view, changed by every commit that
changes what the view reads (see ``somet/data_generations.py``)."""

from __future__ import annotations

import secrets

from sqlalchemy import String, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base

TIMELINE = "timeline"  # the cohort timeline's drawn grid (planning/timeline_cache.py)
# The generations that exist; a migration or ``create_all`` seeds one row for each.
GENERATION_NAMES = (TIMELINE,)


def new_token() -> str:
    return secrets.token_hex(16)


class DataGeneration(Base):
    """Random, not a counter: a database emptied or rebuilt can never bring back a token that
    a process still holds a cached view for."""

    __tablename__ = "data_generations"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


def seed_generations(connection) -> None:
    """One row per generation (for databases built by ``create_all`` or emptied by tests)."""
    rows = [{"name": name, "token": new_token()} for name in GENERATION_NAMES]
    connection.execute(insert(DataGeneration.__table__), rows)


@event.listens_for(DataGeneration.__table__, "after_create")
def _seed_after_create(table, connection, **kw) -> None:
    seed_generations(connection)
