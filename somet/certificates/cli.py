"""``flask certificates reissue``: re-issue a cohort's or every live certificate, here and now,
with progress; the same job the cohort page starts, so a crash is resumed the same way."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from somet.certificates import reissuing
from somet.core.errors import DomainError
from somet.jobs.operations import claim_run, record_outcome
from somet.models import JobRun
from somet.web.extensions import db

certificates_cli = AppGroup("certificates", help="Certificates: re-issue in bulk.")


@certificates_cli.command("reissue")
@click.option("--cohort", "cohort_id", type=int, help="Only this cohort's certificates.")
@click.option("--all", "every", is_flag=True, help="Every live certificate (new template/key).")
@click.option("--reason", required=True, help="Why: shown on each revoked certificate.")
@click.option("--workers", type=int, help="Rendering processes (default: every core).")
@click.option(
    "--resume", is_flag=True, help="Take over a run whose process died while running it."
)
def reissue_command(cohort_id, every, reason, workers, resume) -> None:
    """Re-issue live certificates (new serials, today's data), PDFs rendered on every core."""
    if bool(cohort_id) == every:
        raise click.UsageError("give --cohort ID or --all")
    try:
        run = reissuing.start_reissue(None, reason, cohort_id=cohort_id)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    run_id, params = run.id, dict(run.params)
    if not claim_run(run_id, abandoned=resume):
        raise click.ClickException(
            f"run {run_id} is already running ({run.progress_done} of {run.progress_total}); "
            "if its process died, add --resume"
        )
    click.echo(f"Re-issuing (run {run_id}) ...")

    def show(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            click.echo(f"  {done} of {total}")

    def work() -> dict:
        run = db.session.get(JobRun, run_id)
        return reissuing.run_reissue(
            run, cohort_id=params["cohort_id"], reason=params["reason"],
            issued_before=params["issued_before"], workers=workers if workers else 0,
            on_progress=show,
        )  # fmt: skip

    finished = record_outcome(run_id, work)
    if finished.error:
        raise click.ClickException(f"run {run_id} failed: {finished.error}")
    counts = finished.counts
    click.echo(
        f"Re-issued {counts['reissued'] + counts['resumed']}, no longer earned "
        f"{counts['refused']}, in {counts['seconds']} s on {counts['cores']} cores: "
        f"{counts['per_second']} a second, {counts['per_core_per_second']} per core."
    )
