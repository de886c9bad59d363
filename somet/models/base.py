"""Declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import BindParameter, DateTime, Enum, MetaData, TypeDecorator, bindparam
from sqlalchemy.orm import DeclarativeBase, relationship

# Named constraints make Alembic's SQLite batch migrations and autogenerate reliable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive storage) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def constant(value) -> BindParameter:
    """A status or kind fixed in the code, written into the statement instead of sent as a
    parameter (a tuple becomes an ``IN`` list). With a parameter, PostgreSQL either plans a
    prepared statement anew on every run or settles on a generic plan that guesses what
    ``status = $1`` keeps (a third of the placements); ``status = 'requested'`` is read from
    its statistics (a few live rows among years of history) and picks the index. The text is
    the same on every run, so it stays prepared (SQLAlchemy renders the value at execution:
    ~50 µs)."""
    if isinstance(value, tuple | list | frozenset | set):
        return bindparam(None, sorted(value), expanding=True, literal_execute=True)
    return bindparam(None, value, literal_execute=True)


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A VARCHAR + CHECK enum storing the members' values (portable, readable in SQL)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


def rel(*args, **kwargs):
    """A relationship that refuses lazy loading: every query names its loading strategy."""
    kwargs.setdefault("lazy", "raise_on_sql")
    return relationship(*args, **kwargs)


# PostgreSQL only (migration 0008): a pg_trgm GIN index the models cannot describe portably.
DOCTOR_NAMES_TRGM_INDEX = "ix_doctors_names_trgm"
# PostgreSQL only (SQLite cannot reflect an expression index): users by lower(email).
USERS_EMAIL_LOWER_INDEX = "ix_users_email_lower"


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: APScheduler's own job table is not ours to migrate, and the
    PostgreSQL-only indexes (trigram, lower(email)) live in their migrations alone."""
    if type_ == "index" and name in (DOCTOR_NAMES_TRGM_INDEX, USERS_EMAIL_LOWER_INDEX):
        return False
    return not (type_ == "table" and name is not None and name.startswith("apscheduler"))
