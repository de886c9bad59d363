"""The job runner: one runner acts (the lease), a dead one is replaced, no run happens twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from somet.jobs.lease import acquire_lease, current_holder, release_lease
from somet.jobs.operations import RUN_NOW_JOB, execute_scheduled, job_key, submit_job
from somet.jobs.registry import ScheduledJob, register_scheduled_job, scheduled_jobs
from somet.jobs.runner import JobRunner
from somet.models import CohortStatus, JobOutcome, JobRun, RunnerLease, utcnow
from somet.web.database import lock_for_write
from somet.web.extensions import db
from tests import factories

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def clean_job_store(app):
    """APScheduler's table is not ours (not in the models): empty it between tests."""
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS apscheduler_jobs"))
    yield


def _wait_for(condition, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"gave up after {timeout} s waiting for {condition.__doc__}")


def test_a_second_runner_cannot_take_a_live_lease_but_takes_an_expired_one(app):
    assert acquire_lease("runner-a", ttl_seconds=30)
    assert not acquire_lease("runner-b", ttl_seconds=30)
    assert acquire_lease("runner-a", ttl_seconds=30)  # renewal by the holder
    lease = db.session.get(RunnerLease, "job-runner")
    lease.expires_at = utcnow() - timedelta(seconds=1)  # runner-a stopped renewing
    db.session.commit()
    assert acquire_lease("runner-b", ttl_seconds=30)
    assert current_holder().holder == "runner-b"
    assert not acquire_lease("runner-a", ttl_seconds=30)


def test_a_runner_that_stops_cleanly_hands_the_lease_over_at_once(app):
    assert acquire_lease("runner-a", ttl_seconds=300)
    release_lease("runner-a")
    assert acquire_lease("runner-b", ttl_seconds=300)


def test_a_scheduled_run_is_recorded_and_never_runs_twice_for_the_same_time(app, monkeypatch):
    calls = []
    job = ScheduledJob("test-once", "Test", lambda now: calls.append(now) or {"n": 1}, "interval")
    register_scheduled_job(app, job)
    at = datetime(2027, 3, 7, 1, 0, tzinfo=UTC)
    first = execute_scheduled("test-once", at, runner="a")
    second = execute_scheduled("test-once", at, runner="b")
    assert second is None and len(calls) == 1
    run = db.session.get(JobRun, first.id)
    assert (run.outcome, run.counts, run.params["runner"]) == (JobOutcome.SUCCEEDED, {"n": 1}, "a")
    assert execute_scheduled("test-once", at + timedelta(days=1), runner="b") is not None
    assert len(calls) == 2


def test_a_failing_scheduled_job_is_recorded_with_its_error(app, monkeypatch):
    def explode(now):
        raise RuntimeError("the mail server is on fire")

    register_scheduled_job(app, ScheduledJob("test-boom", "T", explode, "cron"))
    run = execute_scheduled("test-boom", datetime(2027, 3, 7, tzinfo=UTC))
    run = db.session.get(JobRun, run.id)
    assert run.outcome == JobOutcome.FAILED
    assert "the mail server is on fire" in run.error
    assert run.finished_at is not None


def test_two_runners_started_together_run_each_scheduled_run_once(
    app, monkeypatch, clean_job_store
):
    ran_in = []
    lock = threading.Lock()

    def tick(now):
        with lock:
            ran_in.append(threading.current_thread().name)
        return {"ticks": 1}

    job = ScheduledJob("test-tick", "Tick", tick, "interval", {"seconds": 1}, misfire_grace_time=1)
    register_scheduled_job(app, job)
    runners = [JobRunner(app, lease_seconds=3, heartbeat_seconds=0.3, holder=n) for n in "ab"]
    threads = [threading.Thread(target=r.run_forever, daemon=True) for r in runners]
    for thread in threads:
        thread.start()
    try:
        _wait_for(lambda: _tick_runs() >= 3, timeout=30)
        acting = [r for r in runners if r.acting]
    finally:
        for runner in runners:
            runner.stop()
        for thread in threads:
            thread.join(timeout=15)
    assert [r.holder for r in acting] in (["a"], ["b"])
    runs = db.session.scalars(select(JobRun).where(JobRun.job_id == "test-tick")).all()
    assert {run.params["runner"] for run in runs} == {acting[0].holder}
    assert len({run.scheduled_for for run in runs}) == len(runs) == len(ran_in)


def _tick_runs() -> int:
    count = db.session.scalar(select(func.count(JobRun.id)).where(JobRun.job_id == "test-tick"))
    db.session.commit()
    return count


def test_a_restarted_runner_adds_its_jobs_again_without_duplicates(app, clean_job_store):
    for holder in ("first", "second"):
        runner = JobRunner(app, lease_seconds=30, heartbeat_seconds=10, holder=holder)
        assert runner.beat()
        stored = {job.id: job for job in runner.scheduler.get_jobs()}
        runner._stand_down(release=True)
        assert set(stored) == set(scheduled_jobs(app))
    rows = db.session.execute(text("SELECT id FROM apscheduler_jobs")).scalars().all()
    assert sorted(rows) == sorted(scheduled_jobs(app))
    nightly = stored["nightly-lifecycle"]
    assert (nightly.coalesce, nightly.max_instances) == (True, 1)
    assert nightly.misfire_grace_time == 23 * 3600


def test_taking_over_requeues_one_off_runs_and_fails_scheduled_runs_a_dead_runner_left(
    app, clean_job_store
):
    left = submit_job(
        RUN_NOW_JOB, key="send-reminders", params={"job_id": "send-reminders"}, actor=None
    )
    left.outcome = JobOutcome.RUNNING
    cut_short = factories._save(
        JobRun(
            job_id="nightly-lifecycle",
            scheduled_for=datetime(2027, 3, 7, 1, tzinfo=UTC),
            outcome=JobOutcome.RUNNING,
            params={"runner": "dead"},
        )
    )
    runner = JobRunner(app, lease_seconds=30, heartbeat_seconds=10, holder="heir")
    try:
        assert runner.beat() and runner.acting
    finally:
        runner._stand_down(release=True)
    db.session.expire_all()
    assert db.session.get(JobRun, left.id).outcome == JobOutcome.QUEUED
    abandoned = db.session.get(JobRun, cut_short.id)
    assert abandoned.outcome == JobOutcome.FAILED and "abandoned" in abandoned.error


def _runner_process(tmp_path: Path, name: str) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"runner-{name}.log"
    env = {**os.environ, "SOMET_ENV": "testing", "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "wsgi",
        "jobs",
        "run",
        "--lease-seconds",
        "3",
        "--heartbeat-seconds",
        "0.5",
        "--poll-seconds",
        "0.5",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    return process, log


@pytest.mark.slow
def test_killing_the_runner_that_holds_the_lease_lets_the_other_take_over(
    app, tmp_path, clean_job_store
):
    cohort = factories.make_cohort(status=CohortStatus.SCHEDULED, start_date=date.today())
    processes = dict(a=_runner_process(tmp_path, "a"), b=_runner_process(tmp_path, "b"))
    try:
        _wait_for(lambda: all("started" in log.read_text() for _, log in processes.values()), 90)
        holder = _wait_for(lambda: _holder_pid(), 30)
        by_pid = {process.pid: name for name, (process, _) in processes.items()}
        assert holder in by_pid
        # The holder dies in the middle of a one-off run (left RUNNING, never finished).
        lock_for_write(db.session(), "test")  # SQLite: the runners write too
        run = submit_job(
            RUN_NOW_JOB, key="nightly-lifecycle", params={"job_id": "nightly-lifecycle"}, actor=None
        )
        run.outcome = JobOutcome.RUNNING
        db.session.commit()
        os.kill(holder, signal.SIGKILL)
        processes[by_pid[holder]][0].wait(timeout=10)
        survivor = processes["b" if by_pid[holder] == "a" else "a"][0].pid
        assert _wait_for(lambda: _holder_pid() == survivor, 30)
        finished = _wait_for(lambda: _finished(run.id), 30)
    finally:
        for process, _ in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)
    assert finished.outcome == JobOutcome.SUCCEEDED
    assert finished.counts["cohorts_activated"] == 1
    assert db.session.get(type(cohort), cohort.id).status == CohortStatus.ACTIVE
    assert job_key(RUN_NOW_JOB, "nightly-lifecycle") == finished.job_id


def _holder_pid() -> int | None:
    """the pid in the live lease"""
    lease = current_holder()
    db.session.commit()
    return int(lease.holder.split(":")[1]) if lease else None


def _finished(run_id: int) -> JobRun | None:
    """the one-off run to finish"""
    run = db.session.scalars(
        select(JobRun).where(JobRun.id == run_id).execution_options(populate_existing=True)
    ).one()
    db.session.commit()
    return run if run.finished_at is not None else None
