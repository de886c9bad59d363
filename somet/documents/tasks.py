"""The documents feature's nightly job: reminders before travel documents expire."""

from __future__ import annotations

from datetime import datetime

from somet.documents.operations import send_document_expiry_reminders


def document_expiry_reminders(now: datetime) -> dict:
    return {"reminders": send_document_expiry_reminders(now.date())}
