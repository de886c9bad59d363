"""The audit log: who did what to which object, when and from where."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from somet.models.base import Base, UTCDateTime, rel, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_created_at", "created_at"),
        Index("ix_audit_events_created_id", "created_at", "id"),  # keyset paging, newest first
        Index("ix_audit_events_action_created", "action", "created_at"),
        Index("ix_audit_events_type_created", "object_type", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_label: Mapped[str | None] = mapped_column(String(254))  # e.g. "supervisor via link"
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = rel("User")
