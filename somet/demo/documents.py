"""Demo documents: what the two hosts require, and some uploaded and reviewed files.

The files are tiny but valid PDFs and PNGs made here, so the demo needs no sample files.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from datetime import timedelta

from flask import current_app

from somet.documents.operations import store_document_file
from somet.models import (
    Doctor,
    DocumentKind,
    DocumentRequirement,
    DocumentStatus,
    Hospital,
    TravelDocument,
    User,
    utcnow,
)
from somet.web.extensions import db

K = DocumentKind
# kind, expires, due days before arrival
HAIFA_REQUIREMENTS = [
    (K.PASSPORT, True, 60),
    (K.VISA, True, 14),
    (K.MEDICAL_LICENCE, True, 45),
    (K.INSURANCE, True, 30),
    (K.CONFIDENTIALITY, False, 7),
]
JERUSALEM_REQUIREMENTS = [(K.PASSPORT, True, 60), (K.INSURANCE, True, 30), (K.CV, False, 30)]
ACCEPTED = DocumentStatus.ACCEPTED
READY = (2, 3)  # doctors (by position in the demo list) with every document accepted
INSURANCE_REJECTION = "The policy does not cover malpractice; upload the full policy."


def tiny_pdf(text: str = "Sample document") -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 18 Tf 72 760 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tiny_png(rgb: tuple[int, int, int] = (20, 80, 110)) -> bytes:
    """A valid 1×1 PNG of colour ``rgb``."""

    def chunk(tag: bytes, body: bytes) -> bytes:
        checksum = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def load_demo_documents(
    haifa: Hospital, jerusalem: Hospital, director: User, doctors: list[Doctor]
) -> None:
    """Requirements of both hosts; passports and more for the first doctors (no commit)."""
    _requirements(haifa, HAIFA_REQUIREMENTS)
    _requirements(jerusalem, JERUSALEM_REQUIREMENTS)
    later = utcnow().date() + timedelta(days=3 * 365)
    for index, doctor in enumerate(doctors[:8]):
        _document(doctor, K.PASSPORT, ACCEPTED, director, doctor.passport_expires_on)
        if index % 2 == 0 or index in READY:
            _document(doctor, K.MEDICAL_LICENCE, ACCEPTED, director, later)
        if index in READY:  # everything both hosts require is accepted
            for kind in (K.VISA, K.INSURANCE):
                _document(doctor, kind, ACCEPTED, director, later)
            for kind in (K.CONFIDENTIALITY, K.CV):
                _document(doctor, kind, ACCEPTED, director, None)
        elif index % 3 == 0:
            _document(doctor, K.CV, DocumentStatus.UPLOADED, None, None, png=True)
    first = doctors[0]  # doctor@example.org: one document rejected, one waiting for review
    rejected = DocumentStatus.REJECTED
    _document(first, K.INSURANCE, rejected, director, later, reason=INSURANCE_REJECTION)
    _document(first, K.CONFIDENTIALITY, DocumentStatus.UPLOADED, None, None)


def _requirements(hospital: Hospital, requirements: list[tuple]) -> None:
    for kind, expires, due_days in requirements:
        db.session.add(
            DocumentRequirement(
                hospital_id=hospital.id,
                kind=kind,
                expires=expires,
                due_days_before_arrival=due_days,
            )
        )


def _document(doctor, kind, status, reviewer, valid_until, *, reason=None, png=False) -> None:
    content = tiny_png() if png else tiny_pdf(f"{kind.value} of {doctor.latin_name}")
    name = store_document_file(current_app.config["SOMET_STORAGE_DIR"], content)
    db.session.add(
        TravelDocument(
            doctor_id=doctor.id,
            kind=kind,
            storage_name=name,
            original_filename=f"{kind.value}-{doctor.last_name.lower()}.{'png' if png else 'pdf'}",
            content_type="image/png" if png else "application/pdf",
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            valid_until=valid_until,
            status=status,
            rejection_reason=reason,
            reviewed_by_id=reviewer.id if reviewer else None,
            reviewed_at=utcnow() if reviewer else None,
        )
    )
