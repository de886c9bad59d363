"""Writing audit events (part of the caller's transaction, never commits) and reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Integer, bindparam, func, select, tuple_

from somet.models import AuditEvent, User
from somet.models.base import UTCDateTime
from somet.web.extensions import db
from somet.web.paging import KeysetPage, page_going_newer, page_going_older
from somet.web.search import LIKE_ESCAPE, like_escaped
from somet.web.wiring import wiring_of


def record_event(
    actor: User | None,
    action: str,
    obj: Any = None,
    *,
    actor_label: str | None = None,
    remote_addr: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event for ``action`` on ``obj`` by ``actor`` to the current transaction."""
    if remote_addr is None and has_request_context():
        remote_addr = request.remote_addr  # "from where": the request that made the change
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label or (actor.email if actor is not None else None),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        details=_jsonable(details),
        remote_addr=remote_addr,
    )
    db.session.add(event)
    for listener in wiring_of().audit_listeners:  # e.g. webhooks: written in this transaction
        listener(action, obj)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page is narrowed to; every field optional."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    since: date | None = None
    until: date | None = None


# What the log shows of an event; rows, not AuditEvent objects (a page is 50 of them).
EVENT_COLUMNS = (
    AuditEvent.id,
    AuditEvent.created_at,
    AuditEvent.actor_label,
    AuditEvent.action,
    AuditEvent.object_type,
    AuditEvent.object_id,
    AuditEvent.details,
    AuditEvent.remote_addr,
    User.email.label("actor_email"),
)


def search_events(
    filters: AuditFilter, *, per_page: int, before: int | None = None, after: int | None = None
) -> KeysetPage:
    """A page of events matching ``filters``, newest first, with their actors: the page just
    older than event ``before`` or just newer than event ``after``, else the newest.

    Keyset paging on (created_at, id) reads only the rows shown, at any depth of history;
    there is no total count, which would scan every matching event on every view.
    """
    values = _filter_values(filters)
    if after is not None:
        statement = _page_statement(frozenset(values), "newer")
        rows = db.session.execute(statement, {**values, "cursor": after, "limit": per_page + 1})
        return page_going_newer(rows.all(), per_page)
    direction = "older" if before is not None else "newest"
    statement = _page_statement(frozenset(values), direction)
    parameters = {**values, "cursor": before, "limit": per_page + 1}
    rows = db.session.execute(statement, parameters).all()
    return page_going_older(rows, per_page, from_newest=before is None)


def _filter_values(filters: AuditFilter) -> dict[str, Any]:
    """The filters given, as the parameters of ``_page_statement``."""
    values = {
        "actor": like_escaped(filters.actor.strip().lower()) if filters.actor else None,
        "action": filters.action,
        "object_type": filters.object_type,
        "object_id": filters.object_id,
        "since": _start_of(filters.since) if filters.since else None,
        "until": _start_of(filters.until + timedelta(days=1)) if filters.until else None,
    }
    return {name: value for name, value in values.items() if value}


@cache
def _page_statement(filtered_by: frozenset[str], direction: str):
    """A page of events, built once per set of filters and direction (parameters: each
    filter's value, ``cursor`` (an event id, for "older" and "newer") and ``limit``)."""
    statement = select(*EVENT_COLUMNS).outerjoin(User, User.id == AuditEvent.actor_id)
    conditions = {
        "actor": lambda: func.lower(AuditEvent.actor_label).like(
            "%" + bindparam("actor") + "%", escape=LIKE_ESCAPE
        ),
        "action": lambda: AuditEvent.action == bindparam("action"),
        "object_type": lambda: AuditEvent.object_type == bindparam("object_type"),
        "object_id": lambda: AuditEvent.object_id == bindparam("object_id"),
        "since": lambda: AuditEvent.created_at >= bindparam("since", type_=UTCDateTime),
        "until": lambda: AuditEvent.created_at < bindparam("until", type_=UTCDateTime),
    }
    for name in sorted(filtered_by):
        statement = statement.where(conditions[name]())
    position = tuple_(AuditEvent.created_at, AuditEvent.id)
    if direction == "newer":
        return (
            statement.where(position > _position_of_cursor())
            .order_by(AuditEvent.created_at, AuditEvent.id)
            .limit(bindparam("limit"))
        )
    if direction == "older":
        statement = statement.where(position < _position_of_cursor())
    return statement.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(
        bindparam("limit")
    )


def _position_of_cursor():
    """(created_at, id) of event ``cursor``, as a subquery of the same statement."""
    cursor = bindparam("cursor", type_=Integer)
    when = select(AuditEvent.created_at).where(AuditEvent.id == cursor).scalar_subquery()
    return tuple_(when, cursor)


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
