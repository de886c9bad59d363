"""The jobs admin page, "run now", and the progress endpoint that pages poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from somet.jobs.operations import RUN_NOW_JOB, job_key, run_queued_jobs, submit_job
from somet.models import CohortStatus, JobOutcome, JobRun, utcnow
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as


def test_the_admin_sees_every_job_with_its_last_run_and_whether_a_runner_is_up(client, users):
    factories._save(
        JobRun(
            job_id="send-reminders",
            scheduled_for=datetime(2027, 3, 7, 9, 5, tzinfo=UTC),
            outcome=JobOutcome.FAILED,
            started_at=datetime(2027, 3, 7, 9, 5, tzinfo=UTC),
            finished_at=datetime(2027, 3, 7, 9, 6, tzinfo=UTC),
            error="SMTPServerDisconnected: the relay hung up",
        )
    )
    login_as(client, users["admin"])
    page = client.get("/admin/jobs").get_data(as_text=True)
    for job_id in ("nightly-lifecycle", "send-reminders", "auto-issue-certificates"):
        assert job_id in page
    assert "the relay hung up" in page
    assert "daily 01:00 UTC" in page
    assert "No job runner is running" in page


@pytest.mark.parametrize("role", ["director", "coordinator", "doctor"])
def test_only_the_admin_may_see_the_jobs_page_or_run_a_job(client, users, role):
    login_as(client, users[role])
    assert client.get("/admin/jobs").status_code == 403
    token = client.csrf_token()
    response = client.post("/admin/jobs/nightly-lifecycle/run", data={"csrf_token": token})
    assert response.status_code == 403
    assert db.session.scalars(select(JobRun)).all() == []


def test_run_now_queues_the_job_for_the_runner_and_the_page_shows_the_outcome(client, users):
    cohort = factories.make_cohort(status=CohortStatus.SCHEDULED, start_date=utcnow().date())
    login_as(client, users["admin"])
    response = client.submit("/admin/jobs/nightly-lifecycle/run", page="/admin/jobs")
    assert response.status_code == 302
    run = db.session.scalars(select(JobRun)).one()
    assert (run.job_id, run.outcome) == (job_key(RUN_NOW_JOB, "nightly-lifecycle"), "queued")
    assert db.session.get(type(cohort), cohort.id).status == CohortStatus.SCHEDULED  # not in web
    assert run_queued_jobs() == 1  # what the runner's poller does
    db.session.expire_all()
    assert db.session.get(type(cohort), cohort.id).status == CohortStatus.ACTIVE
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "cohorts_activated: 1" in page


def test_running_a_job_that_does_not_exist_is_a_404(client, users):
    login_as(client, users["admin"])
    assert client.submit("/admin/jobs/no-such-job/run", page="/admin/jobs").status_code == 404


def _run_of(actor) -> JobRun:
    run = submit_job(
        RUN_NOW_JOB, key="send-reminders", params={"job_id": "send-reminders"}, actor=actor
    )
    run.progress_done, run.progress_total = 3, 12
    db.session.commit()
    return run


def test_the_director_and_the_runs_actor_can_poll_its_progress(app, users):
    run = _run_of(users["coordinator"])
    for role in ("director", "admin", "coordinator"):
        client = app.test_client()
        login_as(client, users[role])
        progress = client.get(f"/jobs/runs/{run.id}.json").get_json()
        assert progress["outcome"] == "queued"
        assert (progress["done"], progress["total"], progress["percent"]) == (3, 12, 25)
        assert progress["finished"] is False


@pytest.mark.parametrize("role", ["doctor", "coordinator"])
def test_others_get_404_for_a_runs_progress(client, users, role):
    run = _run_of(users["director"])
    login_as(client, users[role])
    assert client.get(f"/jobs/runs/{run.id}.json").status_code == 404


def test_progress_needs_a_login(client, users):
    run = _run_of(None)
    assert client.get(f"/jobs/runs/{run.id}.json").status_code == 302


def test_the_jobs_page_costs_the_same_queries_for_few_and_many_runs(client, users, count_queries):
    login_as(client, users["admin"])
    counts = []
    start = datetime(2027, 1, 1, tzinfo=UTC)
    for total in (2, 70):
        for n in range(len(db.session.scalars(select(JobRun.id)).all()), total):
            factories._save(
                JobRun(
                    job_id="send-reminders",
                    scheduled_for=start + timedelta(hours=n),
                    outcome=JobOutcome.SUCCEEDED,
                    counts={"rotation_start": n},
                )
            )
        with count_queries() as queries:
            assert client.get("/admin/jobs").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_operator_runs_a_job_from_the_command_line_and_lists_the_last_runs(app, runner):
    factories.make_cohort(status=CohortStatus.SCHEDULED, start_date=utcnow().date())
    result = runner.invoke(args=["jobs", "run-now", "nightly-lifecycle"])
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output and "'cohorts_activated': 1" in result.output
    listing = runner.invoke(args=["jobs", "list"]).output
    assert "nightly-lifecycle" in listing and "succeeded at" in listing
    assert runner.invoke(args=["jobs", "run-now", "no-such-job"]).exit_code != 0


def test_the_development_runner_stays_off_unless_in_process_jobs_are_enabled(app, runner):
    result = runner.invoke(args=["jobs", "run", "--if-enabled"])
    assert result.exit_code == 0
    assert "no job runner started" in result.output
    assert db.session.scalars(select(JobRun)).all() == []
