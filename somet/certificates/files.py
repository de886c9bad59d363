"""Certificate PDFs: rendered in worker processes while the caller goes on, stored atomically.

A PDF is rendered from the frozen snapshot, written through a temporary file and a rename,
and only then is its SHA-256 recorded, so a recorded hash always names a whole file. A file
that is missing or does not match its hash is rendered again (from the same snapshot, which
gives the same bytes).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from flask import current_app
from sqlalchemy import select, update

from somet.certificates import storage
from somet.certificates.core.offline import qr_text
from somet.certificates.sandbox import render_pool
from somet.models import Certificate
from somet.web.database import lock_for_write
from somet.web.extensions import db

Progress = Callable[[int, int], None]


def verify_url(code: str) -> str:
    """The public verification page of a code (the QR code's target)."""
    return f"{current_app.config['SOMET_PUBLIC_URL']}/verify/{code}"


def printed_qr(code: str, qr_payload: str | None) -> str:
    """The QR code's text: the verification link, carrying the signed offline payload."""
    return qr_text(verify_url(code), qr_payload)


def storage_dir() -> str:
    return current_app.config["SOMET_STORAGE_DIR"]


class PdfWriter:
    """Queues renders on the pool and stores each PDF, in order, as soon as it is ready."""

    def __init__(self, workers: int, total: int, progress: Progress | None = None):
        self.pool = render_pool(workers)
        self.pending: deque = deque()
        self.total, self.done, self.written = total, 0, 0
        self.progress = progress

    def add(self, certificate_id: int) -> None:
        """Render ``certificate_id``'s PDF unless its stored file is intact."""
        row = db.session.execute(
            select(
                Certificate.id,
                Certificate.snapshot,
                Certificate.verification_code,
                Certificate.pdf_path,
                Certificate.pdf_sha256,
                Certificate.qr_payload,
            ).where(Certificate.id == certificate_id)
        ).one()
        if storage.is_intact(storage_dir(), row.pdf_path, row.pdf_sha256):
            self._advance()
        else:
            qr = printed_qr(row.verification_code, row.qr_payload)
            future = self.pool.submit(row.snapshot, qr)
            self.pending.append((row, future))
        self._store_ready(wait=False)

    def skip(self) -> None:
        """Count a unit that has no file to write (e.g. refused) towards the progress."""
        self._advance()

    def finish(self) -> int:
        """Wait for every render, store them; returns how many files were written."""
        self._store_ready(wait=True)
        return self.written

    def _store_ready(self, wait: bool) -> None:
        while self.pending and (wait or self.pending[0][1].done()):
            row, future = self.pending.popleft()
            pdf = self.pool.result(future)
            digest = storage.write_atomically(storage_dir(), row.pdf_path, pdf)
            lock_for_write(db.session(), f"certificate-file-{row.id}")
            db.session.execute(
                update(Certificate).where(Certificate.id == row.id).values(pdf_sha256=digest)
            )
            db.session.commit()
            self.written += 1
            self._advance()

    def _advance(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


def store_pdfs(
    certificate_ids: Iterable[int], *, workers: int = 1, progress: Progress | None = None
) -> int:
    """Render and store the PDFs that are missing or damaged; returns how many were written."""
    ids = list(certificate_ids)
    writer = PdfWriter(workers, len(ids), progress)
    for certificate_id in ids:
        writer.add(certificate_id)
    return writer.finish()
