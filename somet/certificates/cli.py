"""``flask certificates ...``: ``reissue`` re-issues a cohort's or every live certificate, here
and now, with progress (the same job the cohort page starts, so a crash is resumed the same
way); ``keys``, ``rotate-key`` and ``revoke-key`` manage the signing keys; ``check`` checks a
certificate's QR code offline, with only the published keys and no database."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from somet.certificates import reissuing
from somet.certificates.core.offline import check, payload_in
from somet.certificates.keys import JWKS_FILE
from somet.core.errors import DomainError
from somet.jobs.operations import claim_run, record_outcome
from somet.models import JobRun
from somet.web.extensions import db

certificates_cli = AppGroup(
    "certificates", help="Certificates: re-issue in bulk, signing keys, offline check."
)


@certificates_cli.command("reissue")
@click.option("--cohort", "cohort_id", type=int, help="Only this cohort's certificates.")
@click.option("--all", "every", is_flag=True, help="Every live certificate (new template/key).")
@click.option("--reason", required=True, help="Why: shown on each revoked certificate.")
@click.option("--workers", type=int, help="Rendering processes (default: every core).")
@click.option("--resume", is_flag=True, help="Take over a run whose process died while running it.")
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


# --- keys and the offline checker ------------------------------------------------------------

PROBLEMS = {
    "not_a_payload": "there is no SOMET1 payload in it (a QR code of an older certificate?)",
    "damaged": "the payload is damaged (not base45, zlib or SOMET's claims)",
    "unknown_key": "it names key {kid}, which is not in the keys file",
    "bad_signature": "the signature does not match: the payload was changed or forged",
    "key_revoked": "it was signed with key {kid}, which was revoked on {revoked}: {reason}",
}


@certificates_cli.command("check")
@click.argument("source")
@click.option(
    "--keys",
    "keys_file",
    type=click.Path(exists=True, dir_okay=False),
    help="The published keys (a copy of /.well-known/jwks.json); default: the instance's.",
)
def check_command(source: str, keys_file: str | None) -> None:
    """Check a certificate offline: a PNG or PDF with its QR code, or the SOMET1 payload.

    Reads no database: only the keys file. Exit code 0 when valid, 1 when not.
    """
    from somet.certificates.core.keyset import KeysetError, parse_jwks
    from somet.certificates.qr_reading import QrReadError, qr_texts

    keys_path = Path(keys_file) if keys_file else Path(current_app.instance_path) / JWKS_FILE
    try:
        keys = parse_jwks(json.loads(keys_path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise click.ClickException(f"no keys file at {keys_path}: give --keys FILE") from None
    except (ValueError, KeysetError) as error:
        raise click.ClickException(f"{keys_path} is not a keys file: {error}") from None
    texts = [source]
    if _is_file(source):
        try:
            texts = qr_texts(Path(source))
        except QrReadError as error:
            raise click.ClickException(str(error)) from None
        if not texts:
            raise click.ClickException(f"no QR code found in {source}")
    results = [check(text, keys) for text in texts]
    result = next((r for r in results if r.problem != "not_a_payload"), results[0])
    _show(result)
    if not result.valid:
        raise SystemExit(1)


def _is_file(source: str) -> bool:
    """A path to read, not a pasted payload or link (which may be longer than a file name)."""
    if payload_in(source) is not None:
        return False
    try:
        return Path(source).is_file()
    except OSError:  # e.g. a name too long for the file system: not a file
        return False


def _show(result) -> None:
    if result.valid:
        click.echo(f"VALID: certificate {result.claims.serial} ({result.claims.kind})")
    else:
        key = result.key
        words = PROBLEMS[result.problem].format(
            kid=key.kid if key else (result.claims.key_id if result.claims else ""),
            revoked=key.revoked if key else "",
            reason=key.revocation_reason if key else "",
        )
        click.echo(f"INVALID: {words}")
    claims = result.claims
    if claims is None:
        return
    click.echo(f"  Holder:    {claims.holder}")
    label = "Programme:" if claims.kind == "internship" else "Class:"
    click.echo(f"  {label:<11}{claims.course}")
    dates = claims.start if claims.start == claims.end else f"{claims.start} – {claims.end}"
    click.echo(f"  Dates:     {dates}")
    click.echo(f"  Hours:     {claims.hours:g}")
    click.echo(f"  Issued on: {claims.issued_on}")
    status = f" ({result.key.status})" if result.key else ""
    click.echo(f"  Key:       {claims.key_id}{status}")
    if result.valid:
        click.echo("Checked offline; whether it was revoked since is on the verification page.")


@certificates_cli.command("keys")
def keys_command() -> None:
    """List the signing keys: status, dates and how many certificates each signed."""
    from somet.certificates.keys import key_history

    for key, count in key_history():
        since = key.revoked_at or key.retired_at or key.created_at
        click.echo(f"{key.kid}  {key.status.value:<8} since {since:%Y-%m-%d}  {count} certificates")


@certificates_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Make a new signing key for new certificates; the old one is retired (what it signed
    stays valid)."""
    from somet.certificates.keys import rotate_key

    old, new = rotate_key(None)
    retired = f" Key {old} is retired: what it signed stays valid." if old else ""
    click.echo(f"New certificates are signed with key {new}.{retired}")
    keys_file = Path(current_app.instance_path) / JWKS_FILE
    click.echo(f"Published at /.well-known/jwks.json and in {keys_file}.")


@certificates_cli.command("revoke-key")
@click.argument("kid")
@click.option("--reason", required=True, help="Why (e.g. the key file leaked).")
def revoke_key_command(kid: str, reason: str) -> None:
    """Refuse a retired key's signatures from now on (online and in the published keys)."""
    from somet.certificates.keys import revoke_key

    try:
        live = revoke_key(None, kid, reason)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Key {kid} is revoked and its private key file deleted.")
    click.echo(f"{live} live certificates were signed with it.")
    if live:
        click.echo("Re-issue them: flask certificates reissue --all --reason '...'")
