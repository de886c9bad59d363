"""Certificates.

PURE (no Flask, SQLAlchemy or somet.models; tested in a fresh interpreter):
    completion.py   completion rules: rotations + attendance in, verdict + reasons + hours out
    payload.py      the frozen snapshot, serials, verification codes, canonical JSON
    signing.py      Ed25519 signing and verification of the canonical snapshot
    wording.py      dates in English and Russian (genitive month names)

NOT pure (file system, WeasyPrint, processes):
    rendering.py    the PDF from templates/certificates/ with a fetcher that reads nothing else
    sandbox.py      rendering in worker processes, bounded in time and memory
    storage.py      the signing key file and write-once atomic PDF files with their SHA-256
    routes.py       the ``certificates`` blueprint (cohort page, downloads, my certificates)

Services: somet/services/certificates.py (issue, revoke, re-issue), certificate_batches.py
(the background job, the nightly hook, the ZIP), certificate_files.py (render + store),
certificate_facts.py (database → pure dataclasses). Public verification: somet/verify/.
"""
