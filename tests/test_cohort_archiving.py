"""Archiving settles a cohort: refused while a completed doctor waits for a certificate, done by
the nightly lifecycle some months after the end, and the director's list of doctors without a
certificate reads only cohorts not yet settled."""

from __future__ import annotations

from datetime import timedelta

from somet.certificates import operations as certificates
from somet.cohorts import tasks as lifecycle
from somet.jobs import operations as background
from somet.models import AuditEvent, Cohort, CohortStatus
from somet.web.extensions import db
from tests.certificate_data import finished_cohort, use_fake_renderer
from tests.conftest import login_as


def _status(cohort_id: int) -> CohortStatus:
    db.session.expire_all()
    return db.session.get(Cohort, cohort_id).status


def _archive(client, cohort_id: int) -> str:
    page = f"/cohorts/{cohort_id}"
    response = client.submit(
        f"{page}/status", {"target": "archived"}, page=page, follow_redirects=True
    )
    return response.get_data(as_text=True)


def test_a_cohort_owing_certificates_cannot_be_archived_until_they_are_issued(
    client, users, monkeypatch
):
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=2)
    login_as(client, users["director"])
    home = client.get("/").get_data(as_text=True)
    assert "2 completed doctors without a certificate" in home

    page = _archive(client, cohort.id)
    assert "2 doctors who completed the programme have no certificate yet" in page
    assert _status(cohort.id) == CohortStatus.COMPLETED

    certificates_page = f"/cohorts/{cohort.id}/certificates"
    client.submit(f"{certificates_page}/issue", page=certificates_page)
    background.run_queued_jobs()
    page = _archive(client, cohort.id)
    assert "The cohort is now archived." in page
    assert _status(cohort.id) == CohortStatus.ARCHIVED
    assert "Every completed enrollment has its certificate." in client.get("/").get_data(
        as_text=True
    )


def test_the_nightly_lifecycle_archives_settled_cohorts_some_months_after_their_end(
    app, users, monkeypatch
):
    use_fake_renderer(monkeypatch)
    settled, _ = finished_cohort(complete=1)
    owing, _ = finished_cohort(complete=1)
    recent, _ = finished_cohort(complete=1)
    for cohort in (settled, recent):
        certificates.issue_certificates(users["director"], cohort.id)
    background.run_queued_jobs()
    waited = timedelta(days=app.config["SOMET_ARCHIVE_AFTER_DAYS"])
    today = settled.end_date + waited
    recent.start_date, recent.end_date = today - timedelta(days=40), today - timedelta(days=30)
    db.session.commit()

    assert lifecycle.archive_settled_cohorts(today - timedelta(days=1)) == {"cohorts_archived": 0}
    assert lifecycle.archive_settled_cohorts(today) == {"cohorts_archived": 1}
    assert _status(settled.id) == CohortStatus.ARCHIVED
    assert _status(owing.id) == CohortStatus.COMPLETED  # still on the director's list
    assert _status(recent.id) == CohortStatus.COMPLETED
    assert db.session.query(AuditEvent).filter_by(action="cohort.archived").count() == 1
    assert lifecycle.archive_settled_cohorts(today) == {"cohorts_archived": 0}
