"""Re-issuing many certificates as a job: from the cohort page (with progress) and from
``flask certificates reissue``; a crashed or failed run resumes without replacing twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from somet.certificates import batches, reissuing, storage
from somet.jobs import operations as background
from somet.models import Certificate, JobOutcome, JobRun
from somet.web.extensions import db
from tests.certificate_data import finished_cohort, use_fake_renderer
from tests.conftest import login_as


def _issued(director, cohort_id: int) -> list[Certificate]:
    batches.start_certificate_batch(director, cohort_id)
    background.run_queued_jobs()
    return _live()


def _live() -> list[Certificate]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Certificate).where(Certificate.revoked_at.is_(None)).order_by(Certificate.id)
        )
    )


def _replaced_once(old: list[Certificate]) -> None:
    """Every old certificate revoked with exactly one live replacement; no other certificate."""
    db.session.expire_all()
    olds = [db.session.get(Certificate, c.id) for c in old]
    assert all(c.revoked_at is not None and c.replaced_by_id for c in olds)
    live = _live()
    assert sorted(c.replaced_by_id for c in olds) == [c.id for c in live]
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2 * len(old)


def _intact(app, certificates) -> bool:
    root = Path(app.config["SOMET_STORAGE_DIR"])
    return all(storage.is_intact(root, c.pdf_path, c.pdf_sha256) for c in certificates)


def test_director_reissues_a_cohort_from_its_page_and_follows_the_progress(
    app, client, users, monkeypatch
):
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=3)
    old = _issued(users["director"], cohort.id)
    login_as(client, users["director"])
    page = f"/cohorts/{cohort.id}/certificates"
    assert "Re-issue all live certificates" in client.get(page).get_data(as_text=True)
    client.submit(f"{page}/reissue", {"reason": ""}, page=page)
    assert reissuing.latest_reissue(cohort.id) is None  # no reason, no job
    client.submit(f"{page}/reissue", {"reason": "New certificate template"}, page=page)
    assert client.get(f"{page}/reissue/progress.json").json["state"] == "queued"
    assert background.run_queued_jobs() == 1
    progress = client.get(f"{page}/reissue/progress.json").json
    assert progress == {"state": "succeeded", "done": 3, "total": 3, "error": None}
    _replaced_once(old)
    assert _intact(app, _live())
    html = client.get(page).get_data(as_text=True)
    assert "Last re-issue: 3 re-issued, 0 no longer earned" in html and "per core" in html
    assert old[0].serial not in html and _live()[0].serial in html
    revoked = db.session.get(Certificate, old[0].id)
    assert revoked.revocation_reason == "New certificate template"


def test_the_command_reissues_every_certificate_and_says_its_rate_per_core(
    app, runner, users, monkeypatch
):
    use_fake_renderer(monkeypatch)
    first, _ = finished_cohort(complete=2)
    second, _ = finished_cohort(complete=2)
    old = _issued(users["director"], first.id) and _issued(users["director"], second.id)
    result = runner.invoke(
        args=["certificates", "reissue", "--all", "--reason", "New signing key", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "4 of 4" in result.output
    assert "Re-issued 4, no longer earned 0" in result.output and "per core" in result.output
    _replaced_once(old)
    assert _intact(app, _live())
    refused = runner.invoke(args=["certificates", "reissue", "--reason", "x"])
    assert refused.exit_code != 0 and "--cohort ID or --all" in refused.output


def test_a_reissue_whose_process_died_resumes_without_replacing_any_twice(
    app, runner, users, monkeypatch
):
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=4)
    old = _issued(users["director"], cohort.id)
    real_reissue_one = reissuing.reissue_one
    calls = []

    def die_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the process is killed: nothing records the outcome
        return real_reissue_one(*args, **kwargs)

    monkeypatch.setattr(reissuing, "reissue_one", die_on_third)
    run = reissuing.start_reissue(users["director"], "Corrected hours", cohort_id=cohort.id)
    with pytest.raises(KeyboardInterrupt):
        background.run_queued_jobs()
    db.session.rollback()
    assert db.session.get(JobRun, run.id).outcome == JobOutcome.RUNNING
    assert len(_live()) == 4  # two replaced (and their replacements live), two still to do
    lost = next(c for c in _live() if c.id not in {o.id for o in old})
    (Path(app.config["SOMET_STORAGE_DIR"]) / lost.pdf_path).unlink(missing_ok=True)

    monkeypatch.setattr(reissuing, "reissue_one", real_reissue_one)
    args = ["certificates", "reissue", "--cohort", str(cohort.id), "--reason", "Corrected hours"]
    busy = runner.invoke(args=args)
    assert busy.exit_code != 0 and "--resume" in busy.output
    resumed = runner.invoke(args=[*args, "--resume", "--workers", "1"])
    assert resumed.exit_code == 0, resumed.output
    assert "Re-issued 4" in resumed.output  # 2 new + 2 checked from before the crash
    finished = db.session.get(JobRun, run.id)
    db.session.refresh(finished)
    assert finished.outcome == JobOutcome.SUCCEEDED
    assert finished.counts["reissued"] == 2 and finished.counts["resumed"] == 2
    _replaced_once(old)
    assert _intact(app, _live())


def test_a_failed_reissue_started_again_carries_on_where_it_stopped(users, monkeypatch):
    use_fake_renderer(monkeypatch)
    cohort, _ = finished_cohort(complete=3)
    old = _issued(users["director"], cohort.id)
    real_reissue_one = reissuing.reissue_one
    calls = []

    def fail_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_reissue_one(*args, **kwargs)

    monkeypatch.setattr(reissuing, "reissue_one", fail_on_second)
    failed = reissuing.start_reissue(users["director"], "New template", cohort_id=cohort.id)
    background.run_queued_jobs()
    assert db.session.get(JobRun, failed.id).outcome == JobOutcome.FAILED
    monkeypatch.setattr(reissuing, "reissue_one", real_reissue_one)
    again = reissuing.start_reissue(users["director"], "New template", cohort_id=cohort.id)
    assert again.id != failed.id
    background.run_queued_jobs()
    assert db.session.get(JobRun, again.id).counts["reissued"] == 2
    _replaced_once(old)
