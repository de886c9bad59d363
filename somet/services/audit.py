"""Writing audit events; part of the caller's transaction (never commits)."""

from __future__ import annotations

from typing import Any

from somet.extensions import db
from somet.models import AuditEvent, User


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
