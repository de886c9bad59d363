"""One-off background jobs: queued once, run once, progress and failures recorded."""

import pytest

from somet.jobs import operations as background
from somet.jobs.registry import register_one_off_job
from somet.models import JobOutcome, JobRun
from somet.web.extensions import db


def _count_to(run, *, total):
    for done in range(1, total + 1):
        background.report_progress(run, done, total)
    return {"counted": total}


def _explode(run):
    raise ValueError("the printer is on fire")


@pytest.fixture(autouse=True)
def test_jobs(app):
    """This test app's own one-off jobs, beside the features' (registered on it alone)."""
    register_one_off_job(app, "test-count-to", _count_to)
    register_one_off_job(app, "test-explode", _explode)


def test_a_job_submitted_twice_is_queued_once_and_reports_progress(app):
    first = background.submit_job("test-count-to", key="7", params={"total": 3}, actor=None)
    second = background.submit_job("test-count-to", key="7", params={"total": 3}, actor=None)
    db.session.commit()
    assert first.id == second.id
    assert background.run_queued_jobs() == 1
    run = db.session.get(JobRun, first.id)
    assert run.outcome == JobOutcome.SUCCEEDED
    assert (run.progress_done, run.progress_total, run.counts) == (3, 3, {"counted": 3})
    assert background.run_queued_jobs() == 0
    again = background.submit_job("test-count-to", key="7", params={"total": 1}, actor=None)
    assert again.id != first.id  # the earlier one finished: new work is a new run


def test_a_failing_job_is_recorded_with_its_error_and_others_still_run(app):
    bad = background.submit_job("test-explode", key="1", params={}, actor=None)
    good = background.submit_job("test-count-to", key="1", params={"total": 1}, actor=None)
    db.session.commit()
    assert background.run_queued_jobs() == 2
    assert db.session.get(JobRun, bad.id).outcome == JobOutcome.FAILED
    assert "the printer is on fire" in db.session.get(JobRun, bad.id).error
    assert db.session.get(JobRun, good.id).outcome == JobOutcome.SUCCEEDED


def test_a_run_left_running_by_a_dead_runner_is_requeued_and_resumes(app):
    run = background.submit_job("test-count-to", key="9", params={"total": 2}, actor=None)
    run.outcome = JobOutcome.RUNNING
    db.session.commit()
    assert background.run_queued_jobs() == 0
    assert background.requeue_abandoned_runs() == 1
    assert background.run_queued_jobs() == 1
    assert db.session.get(JobRun, run.id).outcome == JobOutcome.SUCCEEDED
