"""Writing audit events (part of the caller's transaction, never commits) and reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import has_request_context, request
from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.orm import joinedload

from somet.models import AuditEvent, User
from somet.web.extensions import db
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


@dataclass(frozen=True)
class EventPage:
    """One page of events, newest first, and the ids that lead to its neighbours."""

    items: list[AuditEvent]
    newer_than: int | None  # the first event's id when newer events exist (a "Newer" link)
    older_than: int | None  # the last event's id when older events exist (an "Older" link)


def search_events(
    filters: AuditFilter, *, per_page: int, before: int | None = None, after: int | None = None
) -> EventPage:
    """A page of events matching ``filters``, newest first, with their actors: the page just
    older than event ``before`` or just newer than event ``after``, else the newest.

    Keyset paging on (created_at, id) reads only the rows shown, at any depth of history;
    there is no total count, which would scan every matching event on every view.
    """
    # Of the actor, the page shows the e-mail only.
    actor = joinedload(AuditEvent.actor).load_only(User.email)
    query = select(AuditEvent).options(actor)
    for condition in _conditions(filters):
        query = query.where(condition)
    position = tuple_(AuditEvent.created_at, AuditEvent.id)
    newest_first = (AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if after is not None:
        query = query.where(position > _position_of(after))
        rows = list(db.session.scalars(
            query.order_by(AuditEvent.created_at, AuditEvent.id).limit(per_page + 1)
        ))  # fmt: skip
        more_newer = len(rows) > per_page
        items = rows[:per_page][::-1]
        return EventPage(
            items, items[0].id if more_newer and items else None, items[-1].id if items else None
        )
    if before is not None:
        query = query.where(position < _position_of(before))
    rows = list(db.session.scalars(query.order_by(*newest_first).limit(per_page + 1)))
    items = rows[:per_page]
    older = items[-1].id if len(rows) > per_page else None
    return EventPage(items, items[0].id if before is not None and items else None, older)


def _position_of(event_id: int):
    """(created_at, id) of event ``event_id``, as a subquery of the same statement."""
    when = select(AuditEvent.created_at).where(AuditEvent.id == event_id).scalar_subquery()
    return tuple_(when, literal(event_id))


def _conditions(filters: AuditFilter) -> list:
    conditions = []
    if filters.actor:
        pattern = f"%{filters.actor.strip().lower()}%"
        conditions.append(func.lower(AuditEvent.actor_label).like(pattern))
    if filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if filters.object_type:
        conditions.append(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        conditions.append(AuditEvent.object_id == filters.object_id)
    if filters.since:
        conditions.append(AuditEvent.created_at >= _start_of(filters.since))
    if filters.until:
        conditions.append(AuditEvent.created_at < _start_of(filters.until + timedelta(days=1)))
    return conditions


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
