"""Certificates.

PURE, in ``core/`` (no Flask, SQLAlchemy or somet.models; tested in a fresh interpreter):
    completion.py   completion rules: rotations + attendance in, verdict + reasons + hours out
    payload.py      the frozen snapshot, serials, verification codes, canonical JSON
    signing.py      Ed25519 signing and verification of the canonical snapshot
    check_codes.py  the short check code printed beside the serial
    offline.py      the signed payload in the QR code and its offline check (base45.py)
    keyset.py       the published keys as a JWKS, with their statuses
    wording.py      dates in English and Russian (genitive month names)

NOT pure (file system, WeasyPrint, processes):
    rendering.py    the PDF from templates/certificates/ with a fetcher that reads nothing else
    sandbox.py      rendering in worker processes, bounded in time and memory
    storage.py      the signing key files and write-once atomic PDF files with their SHA-256
    keys.py         key history: the active key, rotation, revocation, the JWKS
    badges.py       Open Badges 3.0 credentials, issuer profile, revocation list (core/badges.py)
    qr_reading.py   reading a QR code back from a PNG or PDF (zbarimg, pdftoppm)
    files.py        render and store the PDFs of new certificates

The feature: operations.py (issue, revoke, re-issue), batches.py (the background batch, the
cohort ZIP), reissuing.py (re-issuing a cohort's or every certificate as a job; cli.py runs
it from `flask certificates reissue`), queries.py (database -> pure dataclasses),
tasks.py (the nightly auto-issue),
masterclass_issuing.py (a class's certificates, by hand or nightly),
views.py (cohort page, downloads, my certificates), verify_views.py (public verification
and the JWKS), badge_views.py (Open Badges 3.0),
cli.py (`flask certificates reissue | check | keys | rotate-key | revoke-key`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Pages, public verification, the doctor's link, the batch job and the nightly auto-issue."""
    from flask_babel import lazy_gettext as _l

    from somet.certificates import (
        badge_views,
        badges,
        batches,
        cli,
        masterclass_issuing,
        reissuing,
        tasks,
        verify_views,
        views,
    )
    from somet.jobs.registry import (
        NIGHTLY_GRACE,
        ScheduledJob,
        register_one_off_job,
        register_scheduled_job,
    )
    from somet.models import Role
    from somet.web.navigation import add_nav_item

    app.register_blueprint(views.blueprint)
    app.register_blueprint(verify_views.blueprint)
    app.register_blueprint(verify_views.keys_blueprint)
    app.register_blueprint(badge_views.blueprint)
    app.add_template_global(badges.linkedin_url, "linkedin_url")
    add_nav_item(
        app, _l("My certificates"), "certificates.list_my_certificates", Role.DOCTOR, order=60
    )
    register_one_off_job(app, batches.BATCH_JOB, batches.run_certificate_batch)
    register_one_off_job(app, reissuing.REISSUE_JOB, reissuing.run_reissue)
    app.cli.add_command(cli.certificates_cli)
    register_scheduled_job(
        app,
        ScheduledJob(
            "auto-issue-certificates",
            "Certificates for newly complete enrollments",
            tasks.issue_due_certificates,
            "cron",
            {"hour": 1, "minute": 30},
            misfire_grace_time=NIGHTLY_GRACE,
        ),
    )
    register_scheduled_job(
        app,
        ScheduledJob(
            "auto-issue-masterclass-certificates",
            "Certificates for those who attended a masterclass open to all",
            masterclass_issuing.issue_due_masterclass_certificates,
            "cron",
            {"hour": 1, "minute": 45},
            misfire_grace_time=NIGHTLY_GRACE,
        ),
    )
