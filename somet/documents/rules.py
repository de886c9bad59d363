"""PURE rules for travel documents: file types, checklist cells, transitions, reminders.

Plain values in, plain values out: no Flask, no SQLAlchemy, no models (kinds and statuses
are the string values of ``DocumentKind`` and ``DocumentStatus``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Signatures at the start of the file; the name and the client's content type are ignored.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}

UPLOADED, ACCEPTED, REJECTED = "uploaded", "accepted", "rejected"
MISSING, EXPIRED = "missing", "expired"
CELL_STATES = (MISSING, UPLOADED, ACCEPTED, REJECTED, EXPIRED)

# A rejected document stays rejected: the doctor uploads a new one.
TRANSITIONS = {UPLOADED: {ACCEPTED, REJECTED}, ACCEPTED: {REJECTED}, REJECTED: set()}
REMINDER_DAYS = (30, 7)


def sniff_content_type(head: bytes) -> str | None:
    """The content type that the file's first bytes prove, or None for anything else."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


@dataclass(frozen=True)
class DocumentFacts:
    id: int
    kind: str
    status: str
    valid_until: date | None
    rejection_reason: str | None = None


@dataclass(frozen=True)
class RequirementFacts:
    kind: str
    expires: bool
    due_days: int
    hospitals: tuple[str, ...] = ()
    id: int | None = None  # merged across hosts: the lowest id (the doctor's row anchor)


@dataclass(frozen=True)
class Cell:
    kind: str
    state: str
    document_id: int | None
    due_on: date
    overdue: bool
    note: str | None = None  # the rejection reason, or the expiry date (ISO)
    valid_until: date | None = None
    requirement_id: int | None = None

    @property
    def needs_upload(self) -> bool:
        """Whether the doctor has to upload something: nothing usable is there yet."""
        return self.state in (MISSING, REJECTED, EXPIRED)

    @property
    def ready(self) -> bool:
        return self.state == ACCEPTED


def merge_requirements(
    requirements: Iterable[RequirementFacts], kind_order: tuple[str, ...] = ()
) -> list[RequirementFacts]:
    """One requirement per kind across several hosts: the strictest expiry and due date.

    Sorted by ``kind_order`` (kinds not in it last, alphabetically).
    """
    merged: dict[str, RequirementFacts] = {}
    for req in requirements:
        seen = merged.get(req.kind)
        if seen is None:
            merged[req.kind] = req
            continue
        merged[req.kind] = RequirementFacts(
            req.kind,
            seen.expires or req.expires,
            max(seen.due_days, req.due_days),
            tuple(sorted({*seen.hospitals, *req.hospitals})),
            min((i for i in (seen.id, req.id) if i is not None), default=None),
        )
    rank = {kind: index for index, kind in enumerate(kind_order)}
    return sorted(merged.values(), key=lambda r: (rank.get(r.kind, len(rank)), r.kind))


def covers(document: DocumentFacts, expires: bool, departure: date) -> bool:
    """Whether ``document`` is still valid on ``departure`` (non-expiring kinds always are).

    With ``pick_document`` this decides whether a cell is ready; the director's home counts
    the same verdict in SQL (``documents.queues._lacks_a_document``): change both together
    (tests/test_readiness_counts.py compares them)."""
    if not expires or document.valid_until is None:
        return True
    return document.valid_until >= departure


def pick_document(
    documents: Iterable[DocumentFacts], expires: bool, departure: date
) -> DocumentFacts | None:
    """The document that counts: accepted and valid, else pending and valid, else the latest."""
    documents = sorted(documents, key=lambda d: d.id, reverse=True)
    usable = [d for d in documents if d.status != REJECTED and covers(d, expires, departure)]
    accepted = [d for d in usable if d.status == ACCEPTED]
    for candidates in (accepted, usable, documents):
        if candidates:
            return candidates[0]
    return None


def checklist_cell(
    requirement: RequirementFacts,
    documents: Iterable[DocumentFacts],
    arrival: date,
    departure: date,
    today: date,
) -> Cell:
    """The state of one requirement for one doctor travelling ``arrival``–``departure``."""
    due_on = arrival - timedelta(days=requirement.due_days)
    document = pick_document(documents, requirement.expires, departure)
    if document is None:
        return Cell(
            requirement.kind,
            MISSING,
            None,
            due_on,
            today > due_on,
            requirement_id=requirement.id,
        )
    state, note = document.status, None
    if state == REJECTED:
        note = document.rejection_reason
    elif not covers(document, requirement.expires, departure):
        state, note = EXPIRED, document.valid_until.isoformat()
    overdue = state != ACCEPTED and today > due_on
    return Cell(
        requirement.kind,
        state,
        document.id,
        due_on,
        overdue,
        note,
        document.valid_until,
        requirement.id,
    )


def reminder_stage(valid_until: date, today: date) -> int | None:
    """Which reminder is due for a document expiring on ``valid_until``: 30, 7 or none."""
    days_left = (valid_until - today).days
    if days_left < 0:
        return None
    for stage in sorted(REMINDER_DAYS):
        if days_left <= stage:
            return stage
    return None
