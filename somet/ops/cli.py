"""Command-line tools: ``flask demo``, ``flask users ...``, ``flask backup`` and ``restore``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from somet.accounts import operations as accounts
from somet.core.errors import DomainError
from somet.models import Role
from somet.web.extensions import db

users_cli = AppGroup("users", help="Manage logins.")


@click.command("demo")
@click.option("--reset", is_flag=True, help="Empty every table first, then load the demo.")
def demo_command(reset: bool) -> None:
    """Load the demo training centre (does nothing if it is already loaded)."""
    from somet.demo.data import DEMO_PASSWORD
    from somet.demo.loader import load_demo

    result = load_demo(reset=reset)
    click.echo("Demo data loaded." if result.created else "Demo data is already loaded.")
    click.echo(f"Logins (password for all: {DEMO_PASSWORD}):")
    for email, what in result.logins:
        click.echo(f"  {email:<28} {what}")


@click.command("demo-hosts")
@click.option("--as-of", "as_of", required=True, metavar="YYYY-MM-DD", help="Attendance up to.")
def demo_hosts_command(as_of: str) -> None:
    """Rehearsal: the hosts confirm the demo cohort's requests and record its attendance."""
    from somet.core.rehearsal import RehearsalRefused, rehearsal_moment
    from somet.demo.rehearsal import play_hosts

    try:
        now = rehearsal_moment(as_of, current_app.config["SOMET_ENV"])
    except RehearsalRefused as refused:
        click.echo(f"Error: {refused}", err=True)
        raise SystemExit(2) from None
    try:
        counts = play_hosts(now)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Hosts played as of {now:%Y-%m-%d}: {counts['confirmed']} requests confirmed, "
        f"{counts['attendance_days']} attendance days recorded; the cohort is scheduled."
    )


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator login (the first user of a new installation)."""
    from werkzeug.security import generate_password_hash

    from somet.models import User

    try:
        accounts.check_password_rules(password)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    if accounts.find_user_by_email(email) is not None:
        raise click.ClickException(f"A user with the e-mail {email} already exists.")
    db.session.add(
        User(
            email=email.lower(),
            full_name=name,
            role=Role.ADMIN,
            password_hash=generate_password_hash(password),
        )
    )
    db.session.commit()
    click.echo(f"Administrator {email} created.")


@click.command("backup")
@click.option(
    "--output",
    "output_dir",
    default="backups",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the archive into.",
)
def backup_command(output_dir: str) -> None:
    """Write a consistent copy of the SQLite database and the stored files."""
    from somet.ops.backup import create_backup

    try:
        path = create_backup(_backup_locations(), Path(output_dir))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path}")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="This replaces the database and stored files. Continue?")
def restore_command(archive: str) -> None:
    """Restore a backup made by ``flask backup`` (stop the web app and job runner first)."""
    from somet.ops.backup import restore_backup

    try:
        restore_backup(_backup_locations(), Path(archive))
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {archive}")


def _backup_locations():
    from flask import current_app

    from somet.ops.backup import BackupLocations

    db.engine.dispose()  # release pooled connections before copying the file
    return BackupLocations(
        database_url=current_app.config["SQLALCHEMY_DATABASE_URI"],
        storage_dir=Path(current_app.config["SOMET_STORAGE_DIR"]),
        instance_dir=Path(current_app.instance_path),
    )

