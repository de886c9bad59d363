"""Writing audit events (part of the caller's transaction, never commits) and reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import has_request_context, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from somet.models import AuditEvent, User
from somet.web.extensions import db


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


def search_events(filters: AuditFilter, *, page: int, per_page: int):
    """A page of audit events matching ``filters``, newest first, actors loaded with them."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor))
    if filters.actor:
        pattern = f"%{filters.actor.strip().lower()}%"
        query = query.where(func.lower(AuditEvent.actor_label).like(pattern))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.since:
        query = query.where(AuditEvent.created_at >= _start_of(filters.since))
    if filters.until:
        query = query.where(AuditEvent.created_at < _start_of(filters.until + timedelta(days=1)))
    query = query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def known_actions_and_object_types() -> tuple[list[str], list[str]]:
    """The distinct actions and object types on record (for the filter's choices)."""
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    types = db.session.scalars(
        select(AuditEvent.object_type)
        .where(AuditEvent.object_type != "")
        .distinct()
        .order_by(AuditEvent.object_type)
    )
    return list(actions), list(types)


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
